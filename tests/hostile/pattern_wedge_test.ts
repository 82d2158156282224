/**
 * Patterns the agent itself looks at (not the search child): the shell
 * words of a command checked for secrets, `glob_files` globs, and the
 * permission rules of an untrusted repository. Any of them, however
 * built, is decided in time linear in its size: the agent never stops
 * answering (a watchdog only keeps a broken build from hanging the suite).
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { baseEnv, MAIN } from "../helpers/cli.ts";
import type { LmServer } from "../helpers/lm_server.ts";
import { hostileClone, seenByModel, USER_KEY } from "./_repo.ts";

/** What the model was shown after each cell (the last request's observations). */
function observations(server: LmServer): string[] {
  const messages = (server.requests.at(-1)?.body.messages ?? []) as {
    role: string;
    content: string;
  }[];
  return messages.filter((m) => m.role === "user").slice(1).map((m) =>
    m.content
  );
}

/** Runs the CLI headless in `cwd`; `null` when it had to be killed. */
async function runWatched(
  args: string[],
  cwd: string,
  home: string,
  env: Record<string, string> = {},
  denoFlags: string[] = [],
): Promise<{ code: number; stderr: string } | null> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...denoFlags, MAIN, ...args],
    cwd,
    clearEnv: true,
    env: { ...baseEnv(home), OPENAI_API_KEY: USER_KEY, ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const watchdog = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 120_000);
  const out = await child.output();
  clearTimeout(watchdog);
  return killed
    ? null
    : { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("hostile: a command word of forty stars and a letter is checked for secrets at once", async () => {
  // As a regular expression, ^[^/]*[^/]*...Z$ against ".git-credentials"
  // backtracks through every split of its characters.
  await using clone = await hostileClone({}, [
    `print(run_bash('ls ./${"*".repeat(40)}Z'))`,
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung checking the command");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(seenByModel(clone.mine), "needs approval");
});

Deno.test("hostile: a glob_files pattern of 400,000 braces is answered at once", async () => {
  await using clone = await hostileClone({ "a.txt": "x\n" }, [
    "print(glob_files('{'.repeat(400000)))",
    "print(glob_files('['.repeat(400000)))",
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung reading the glob");
  assertEquals(run.code, 0, run.stderr);
  const [braces, brackets] = observations(clone.mine);
  assertStringIncludes(braces, "no files found");
  assertStringIncludes(brackets, "no files found");
});

Deno.test("hostile: a repository's huge deny rule costs one compile, not one per path a command names", async () => {
  const rule = `read_file(${"*a".repeat(200_000)}b)`;
  const files = Array.from({ length: 2000 }, (_, i) => `f${i}.txt`).join(" ");
  await using clone = await hostileClone(
    {
      ".nanocode/config.json": JSON.stringify({
        permissions: { deny: [rule] },
      }),
    },
    [`print(run_bash('ls ${files}'))`],
  );
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung on the repository's rule");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(seenByModel(clone.mine), "needs approval");
});

Deno.test("hostile: a repository's deny rule nesting braces 20,000 deep is one clear start-up error", async () => {
  const deep = `${"{".repeat(20_000)}x${"}".repeat(20_000)}`;
  await using clone = await hostileClone(
    {
      ".nanocode/config.json": JSON.stringify({
        permissions: { deny: [`read_file(${deep})`] },
      }),
      "a.txt": "hello\n",
    },
    ["print(read_file('a.txt'))"],
  );
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null);
  assertEquals(run.code, 2, run.stderr);
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  assertStringIncludes(run.stderr, "nest");
  assertEquals(run.stderr.includes("Maximum call stack"), false);
  assertEquals(clone.mine.requests.length, 0);
});

Deno.test("hostile: 120 KB commands built to make the checks quadratic are decided at once", async () => {
  await using clone = await hostileClone({}, [
    `print(run_bash('find . ' + '-exec '.repeat(20000)))`,
    `print(run_bash('1'.repeat(120000)))`,
    `print(run_bash('./a '.repeat(30000)))`,
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung checking a command");
  assertEquals(run.code, 0, run.stderr);
  const seen = observations(clone.mine);
  assertEquals(seen.length, 3);
  for (const text of seen) assertStringIncludes(text, "needs approval");
});

Deno.test("hostile: a command longer than one shell argument, or nesting $( 50,000 deep, is refused with the reason", async () => {
  await using clone = await hostileClone({}, [
    `print(run_bash('echo ' + 'x'.repeat(200000)))`,
    `print(run_bash('$('.repeat(50000)))`,
  ]);
  const run = await runWatched(["--yes", "go"], clone.repo, clone.home);
  assert(run !== null);
  assertEquals(run.code, 0, run.stderr);
  const seen = seenByModel(clone.mine);
  assertStringIncludes(seen, "more than one shell argument holds");
  assertStringIncludes(seen, "write it to a script file");
  assertStringIncludes(seen, "nests substitutions or subshells more than 64");
  assertEquals(seen.includes("Maximum call stack"), false);
});

/** A PATH with git, bash and sh but no ripgrep: the built-in search runs. */
async function pathWithoutRg(dir: string): Promise<string> {
  for (const tool of ["git", "bash", "sh"]) {
    for (const folder of ["/usr/bin", "/bin"]) {
      try {
        await Deno.symlink(`${folder}/${tool}`, `${dir}/${tool}`);
        break;
      } catch { /* try the next folder */ }
    }
  }
  return dir;
}

Deno.test("hostile: a cloned repository's .gitignore that is a FIFO, or .ignore leading to /dev/zero, does not hang the built-in search", async () => {
  await using clone = await hostileClone({ "a.txt": "needle\n" }, [
    "print(glob_files('*.txt'))",
  ]);
  const made = await new Deno.Command("mkfifo", {
    args: [`${clone.repo}/.gitignore`],
  }).output();
  assert(made.success, "mkfifo works");
  await Deno.symlink("/dev/zero", `${clone.repo}/.ignore`);
  await Deno.mkdir(`${clone.root.path}/bin`);
  const run = await runWatched(["go"], clone.repo, clone.home, {
    PATH: await pathWithoutRg(`${clone.root.path}/bin`),
    NANOCODE_CELL_TIMEOUT: "600",
  });
  assert(run !== null, "the search hung reading the FIFO");
  assertEquals(run.code, 0, run.stderr);
  assertEquals(observations(clone.mine)[0].split("\n")[0], "a.txt");
});

Deno.test("hostile: a cloned repository whose ignore files hold millions of rules does not exhaust the built-in search's memory", async () => {
  const files: Record<string, string> = { "a.txt": "needle\n" };
  for (let folder = 0; folder < 30; folder++) {
    const rules = Array.from(
      { length: 60_000 },
      (_, i) => `x${folder}_${i}`,
    );
    files[`f${folder}/.gitignore`] = `${rules.join("\n")}\n`;
    files[`f${folder}/kept.txt`] = "needle\n";
  }
  await using clone = await hostileClone(files, ["print(glob_files('*.txt'))"]);
  await Deno.mkdir(`${clone.root.path}/bin`);
  // A heap of 1 GiB: 1.8 million compiled rules would need several.
  const run = await runWatched(["go"], clone.repo, clone.home, {
    PATH: await pathWithoutRg(`${clone.root.path}/bin`),
  }, ["--v8-flags=--max-old-space-size=1024"]);
  assert(run !== null, "the search hung");
  assertEquals(run.code, 0, run.stderr.slice(-2000));
  const listed = observations(clone.mine)[0];
  assertStringIncludes(listed, "a.txt");
  assertStringIncludes(listed, "f29/kept.txt");
});
