/**
 * A shared program is a folder someone else wrote (a hub clone checks out
 * symlinks as they were committed): its `config.json` and `program.json`
 * are read only when they are regular files inside the folder.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { Hub } from "../../src/program/hub.ts";
import { pushToHub } from "../../src/program/precompiled.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import { tempDir } from "../helpers/temp.ts";
import { startHubServer } from "../program/_hub_server.ts";
import { hostileClone, USER_KEY } from "./_repo.ts";

Deno.test("hostile: a program whose config.json is a symlink to /proc/self/environ is refused unread", async () => {
  await using clone = await hostileClone({});
  const program = `${clone.root.path}/program`;
  await Deno.mkdir(program);
  await Deno.symlink("/proc/self/environ", `${program}/config.json`);
  const run = await clone.run(["--program", program, "go"]);
  assertEquals(run.code, 2, run.stderr);
  assertStringIncludes(run.stderr, "config.json");
  assertStringIncludes(run.stderr, "leads outside the program folder");
  // Nothing of the agent's environment reached the terminal.
  assertEquals(run.stderr.includes("PATH="), false, run.stderr);
  assertEquals(run.stderr.includes(USER_KEY), false);
  assertEquals(clone.mine.requests.length, 0);
});

Deno.test("hostile: a program whose program.json is a FIFO does not hang start-up", async () => {
  await using clone = await hostileClone({});
  const program = `${clone.root.path}/program`;
  await Deno.mkdir(program);
  const fifo = await new Deno.Command("mkfifo", {
    args: [`${program}/program.json`],
  }).output();
  assert(fifo.success, "mkfifo works");
  // A reader of the FIFO would wait for a writer forever; the run must
  // end on its own (the generous cap only keeps a broken build from
  // hanging the suite).
  const run = await Promise.race([
    clone.run(["--program", program, "go"]),
    new Promise<null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 90_000);
      Deno.unrefTimer(timer);
    }),
  ]);
  assert(run !== null, "nanocode hung reading the FIFO");
  assertEquals(run.code, 2, run.stderr);
  assertStringIncludes(run.stderr, "program.json");
  assertStringIncludes(run.stderr, "not a regular file");
});

/** Commits symlinks into the hub's bare repository, as a co-author could push them. */
async function commitSymlinks(
  bare: string,
  links: Record<string, string>,
): Promise<void> {
  await using work = await tempDir();
  const git = async (args: string[], cwd = work.path) => {
    const out = await new Deno.Command("git", {
      args,
      cwd,
      env: {
        GIT_AUTHOR_NAME: "co",
        GIT_AUTHOR_EMAIL: "co@hub.test",
        GIT_COMMITTER_NAME: "co",
        GIT_COMMITTER_EMAIL: "co@hub.test",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
  };
  await git(["clone", "-q", bare, "clone"]);
  for (const [name, target] of Object.entries(links)) {
    await Deno.remove(`${work.path}/clone/${name}`).catch(() => {});
    await Deno.symlink(target, `${work.path}/clone/${name}`);
  }
  await git(["add", "-A"], `${work.path}/clone`);
  await git(["commit", "-q", "-m", "links"], `${work.path}/clone`);
  await git(["push", "-q", "origin", "HEAD:main"], `${work.path}/clone`);
}

Deno.test("hostile: pushing to a hub repository whose README.md and config.json are symlinks writes nothing outside it", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await using user = await tempDir({
    ".bashrc": "export PATH=$HOME/bin:$PATH\n",
    "notes.txt": "my notes\n",
  });
  await server.createRepo("alice", "prog");
  await commitSymlinks(server.repoPath("alice", "prog"), {
    "README.md": user.file(".bashrc"),
    "config.json": user.file("notes.txt"),
  });
  const hub = new Hub({
    token: server.token,
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir: cache.path,
    env: (name) => (name === "PATH" ? Deno.env.get("PATH") : undefined),
  });
  await pushToHub("alice/prog", defaultProgramState({ max_iters: 7 }), {
    hub,
  });
  assertEquals(
    await Deno.readTextFile(user.file(".bashrc")),
    "export PATH=$HOME/bin:$PATH\n",
  );
  assertEquals(await Deno.readTextFile(user.file("notes.txt")), "my notes\n");
  // The pushed files are the program's, as regular files.
  assertStringIncludes(
    await server.show("alice", "prog", "main", "config.json"),
    '"max_iters": 7',
  );
  assertStringIncludes(
    await server.show("alice", "prog", "main", "README.md"),
    "nanocode_version",
  );
});
