import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { Hub } from "../../src/program/hub.ts";
import { programFiles } from "../../src/program/files.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import type { Config } from "../../src/config/fields.ts";
import { type HubServer, startHubServer } from "./_hub_server.ts";

function hubFor(server: HubServer, cacheDir: string, token?: string): Hub {
  return new Hub({
    token,
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir,
    env: (name) => (name === "PATH" ? Deno.env.get("PATH") : undefined),
  });
}

function files(config: Partial<Config> = {}): Map<string, string> {
  return programFiles(defaultProgramState(config));
}

async function maxIters(dir: string): Promise<number> {
  return JSON.parse(await Deno.readTextFile(`${dir}/config.json`)).max_iters;
}

Deno.test("Hub.fetchProgram() checks out a branch, a tag or a commit when given one", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path, server.token);
  const first = await hub.push("alice/revs", files({ max_iters: 1 }), {
    tag: "v1",
  });
  await hub.push("alice/revs", files({ max_iters: 2 }));
  await hub.push("alice/revs", files({ max_iters: 3 }), { branch: "prod" });

  assertEquals(await maxIters(await hub.fetchProgram("alice/revs")), 2);
  assertEquals(await maxIters(await hub.fetchProgram("alice/revs", "v1")), 1);
  assertEquals(
    await maxIters(await hub.fetchProgram("alice/revs", "prod")),
    3,
  );
  assertEquals(
    await maxIters(await hub.fetchProgram("alice/revs", first.commit)),
    1,
  );
  assertEquals(
    await maxIters(
      await hub.fetchProgram("alice/revs", first.commit.slice(0, 10)),
    ),
    1,
  );
  const folder = await hub.fetchProgram("alice/revs", "main");
  assert(folder.startsWith(cache.path), folder);
  assertStringIncludes(
    await Deno.readTextFile(`${folder}/README.md`),
    "# revs",
  );
});

Deno.test("Hub.fetchProgram() refreshes the cache when the branch moved", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await using pushCache = await tempDir();
  const pusher = hubFor(server, pushCache.path, server.token);
  await pusher.push("alice/moving", files({ max_iters: 5 }));
  const reader = hubFor(server, cache.path, server.token);
  assertEquals(await maxIters(await reader.fetchProgram("alice/moving")), 5);
  await pusher.push("alice/moving", files({ max_iters: 6 }));
  assertEquals(await maxIters(await reader.fetchProgram("alice/moving")), 6);
});

Deno.test("Hub.fetchProgram() follows the hub when the cached branch diverged", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path, server.token);
  await hub.push("alice/div", files({ max_iters: 5 }));
  const folder = await hub.fetchProgram("alice/div");
  const old = (await server.git("alice", "div", ["rev-parse", "main"])).trim();
  // Local edits and stray files in the cache do not survive a refresh.
  await Deno.writeTextFile(`${folder}/config.json`, "edited");
  await Deno.writeTextFile(`${folder}/stray.txt`, "stray");

  // Rewrite history on the server: main goes back to its first commit and
  // gets a different commit on top.
  const root = (await server.git("alice", "div", [
    "rev-list",
    "--max-parents=0",
    "main",
  ])).trim();
  await server.git("alice", "div", ["update-ref", "refs/heads/main", root]);
  await server.commit("alice", "div", "main", {
    "config.json": JSON.stringify({ max_iters: 42 }),
  }, "Rewritten");

  assertEquals(await maxIters(await hub.fetchProgram("alice/div")), 42);
  const cached = await new Deno.Command("git", {
    args: ["-C", folder, "log", "--format=%H", "main"],
    stdout: "piped",
  }).output();
  assert(!new TextDecoder().decode(cached.stdout).includes(old));
  assertEquals(
    await Deno.stat(`${folder}/stray.txt`).then(() => true, () => false),
    false,
  );
});

Deno.test("Hub.fetchProgram() clones a public repository without a token", async () => {
  await using server = await startHubServer();
  await using pushCache = await tempDir();
  await hubFor(server, pushCache.path, server.token).push(
    "alice/open",
    files({ max_iters: 8 }),
    { private: false },
  );
  assertEquals(
    server.rest.find((r) => r.path === "/api/v2/repos")?.body,
    {
      username: "alice",
      name: "open",
      description: "",
      private: false,
      auto_init: true,
      default_branch: "main",
      trust_model: "default",
    },
  );
  await using cache = await tempDir();
  const before = server.gitRequests.length;
  const anonymous = hubFor(server, cache.path);
  assertEquals(await maxIters(await anonymous.fetchProgram("alice/open")), 8);
  const requests = server.gitRequests.slice(before);
  assert(requests.length > 0);
  assert(requests.every((r) => r.user === null && r.status === 200));
});

Deno.test("Hub.fetchProgram() fails clearly when a private repository is read without a token", async () => {
  await using server = await startHubServer();
  await using pushCache = await tempDir();
  await hubFor(server, pushCache.path, server.token).push(
    "alice/closed",
    files(),
  );
  await using cache = await tempDir();
  await assertRejects(
    () => hubFor(server, cache.path).fetchProgram("alice/closed"),
    Error,
    "The Modaic hub refused access to alice/closed: set MODAIC_TOKEN",
  );
});

Deno.test("Hub.fetchProgram() fails clearly when the revision does not exist", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path, server.token);
  await hub.push("alice/norev", files());
  await assertRejects(
    () => hub.fetchProgram("alice/norev", "nope"),
    Error,
    'Revision "nope" was not found in alice/norev',
  );
});

Deno.test("Hub.fetchProgram() uses a cached commit without the network when given its full id", async () => {
  await using cache = await tempDir();
  let commit: string;
  let url: string;
  {
    await using server = await startHubServer();
    url = server.url;
    const hub = hubFor(server, cache.path, server.token);
    commit = (await hub.push("alice/offline", files({ max_iters: 7 }))).commit;
    await hub.fetchProgram("alice/offline");
  }
  const hub = new Hub({
    token: "hub-test-token-7f3a9c",
    gitUrl: url,
    apiUrl: url,
    cacheDir: cache.path,
    env: (name) => (name === "PATH" ? Deno.env.get("PATH") : undefined),
  });
  assertEquals(
    await maxIters(await hub.fetchProgram("alice/offline", commit)),
    7,
  );
  await assertRejects(
    () => hub.fetchProgram("alice/offline", "main"),
    Error,
    "Modaic hub",
  );
});

Deno.test("Hub.fetchProgram() returns a local path as it is", async () => {
  const hub = new Hub({ cacheDir: "/nonexistent", env: () => undefined });
  for (const path of ["./prog", "../prog", "/abs/prog", "\\win\\prog"]) {
    assertEquals(await hub.fetchProgram(path), path);
  }
});

Deno.test("Hub.fetchProgram() rejects a single segment id", async () => {
  const hub = new Hub({ cacheDir: "/nonexistent", env: () => undefined });
  await assertRejects(
    () => hub.fetchProgram("nanocode"),
    TypeError,
    '"nanocode" is not a hub id: use owner/name, or a path starting with ./',
  );
});

Deno.test("Hub.fetchProgram() caches under $XDG_CACHE_HOME/modaic when MODAIC_CACHE is not set", async () => {
  await using server = await startHubServer();
  await using home = await tempDir();
  await using xdg = await tempDir();
  const env: Record<string, string | undefined> = {
    PATH: Deno.env.get("PATH"),
    HOME: home.path,
    XDG_CACHE_HOME: xdg.path,
  };
  const hub = new Hub({
    token: server.token,
    gitUrl: server.url,
    apiUrl: server.url,
    env: (name) => env[name],
  });
  assertEquals(hub.cacheDir, `${xdg.path}/modaic`);
  await hub.push("alice/xdg", files({ max_iters: 4 }));
  const folder = await hub.fetchProgram("alice/xdg");
  assert(folder.startsWith(`${xdg.path}/modaic/`), folder);
  assertEquals(await maxIters(folder), 4);
  assertEquals([...Deno.readDirSync(home.path)], []);
  // MODAIC_CACHE still wins; without either, ~/.cache/modaic.
  env.MODAIC_CACHE = `${home.path}/m`;
  assertEquals(new Hub({ env: (n) => env[n] }).cacheDir, `${home.path}/m`);
  delete env.MODAIC_CACHE;
  delete env.XDG_CACHE_HOME;
  assertEquals(
    new Hub({ env: (n) => env[n] }).cacheDir,
    `${home.path}/.cache/modaic`,
  );
});
