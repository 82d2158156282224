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
    token: token ?? server.token,
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir,
    env: (name) => (name === "PATH" ? Deno.env.get("PATH") : undefined),
  });
}

function files(config: Partial<Config> = {}): Map<string, string> {
  return programFiles(defaultProgramState(config));
}

const FRONT = { nanocode_version: "0.1.0" };

Deno.test("Hub.push() creates the repository and writes the files when the repository is new", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path);
  const sent = files({ max_iters: 9 });
  const result = await hub.push("alice/prog", sent, {
    commitMessage: "First push",
    frontMatter: FRONT,
  });

  const create = server.rest.find((r) => r.path === "/api/v2/repos");
  assertEquals(create?.method, "POST");
  assertEquals(create?.authorization, `token ${server.token}`);
  assertEquals(create?.body, {
    username: "alice",
    name: "prog",
    description: "",
    private: true,
    auto_init: true,
    default_branch: "main",
    trust_model: "default",
  });
  assertEquals(create?.status, 201);
  assertEquals(
    server.rest.find((r) => r.path === "/api/v1/user")?.authorization,
    `token ${server.token}`,
  );

  assertEquals(result.repo, "alice/prog");
  assertEquals(result.branch, "main");
  assertEquals(result.changed, true);
  const head = (await server.git("alice", "prog", ["rev-parse", "main"]))
    .trim();
  assertEquals(result.commit, head);
  for (const name of ["config.json", "program.json"]) {
    assertEquals(
      await server.show("alice", "prog", "main", name),
      sent.get(name),
    );
  }
  assertEquals(
    await server.show("alice", "prog", "main", "README.md"),
    '---\nnanocode_version: "0.1.0"\n---\n\n# prog\n\nA program on the test hub.\n',
  );
  const log = await server.git("alice", "prog", [
    "log",
    "-1",
    "--format=%an <%ae>|%cn|%s",
    "main",
  ]);
  assertEquals(
    log.trim(),
    "Alice Example <alice@hub.test>|Alice Example|First push",
  );
  // Git was answered only when it authenticated as the token's user.
  const answered = server.gitRequests.filter((r) => r.status === 200);
  assert(answered.length > 0);
  assert(answered.every((r) => r.user === "alice"));
});

Deno.test("Hub.push() changes only the files it owns when the repository holds Python code", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await server.createRepo("alice", "py");
  const pythonFiles = {
    "nanocode.py": "class Nanocode:\n    pass\n",
    "pyproject.toml": '[project]\nname = "nanocode"\n',
    "auto_classes.json":
      '{"AutoConfig": "nanocode.Config", "AutoProgram": "nanocode.Program"}',
    "README.md":
      "---\nlicense: mit\nnanocode_version: 0.0.1\n---\n# Nanocode\n\nPython body text.\n",
  };
  await server.commit("alice", "py", "main", pythonFiles, "Python push");
  const hub = hubFor(server, cache.path);

  const first = await hub.push("alice/py", files({ max_iters: 10 }), {
    frontMatter: FRONT,
  });
  const second = await hub.push("alice/py", files({ max_iters: 11 }), {
    frontMatter: FRONT,
  });

  assertEquals(second.changed, true);
  const changed = await server.git("alice", "py", [
    "diff",
    "--name-only",
    first.commit,
    second.commit,
  ]);
  assertEquals(changed.trim().split("\n"), ["config.json"]);
  for (const name of ["nanocode.py", "pyproject.toml", "auto_classes.json"]) {
    assertEquals(
      await server.show("alice", "py", "main", name),
      pythonFiles[name as keyof typeof pythonFiles],
    );
  }
  assertEquals(
    await server.show("alice", "py", "main", "README.md"),
    '---\nlicense: mit\nnanocode_version: "0.1.0"\n---\n# Nanocode\n\nPython body text.\n',
  );
  assertStringIncludes(
    await server.show("alice", "py", "main", "config.json"),
    '"max_iters": 11,',
  );
  // The repository existed: the REST call said so and nothing was recreated.
  const creates = server.rest.filter((r) => r.path === "/api/v2/repos");
  assertEquals(creates.map((r) => r.status), [409, 409]);
});

Deno.test("Hub.push() does not commit when nothing changed", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path);
  const first = await hub.push("alice/same", files());
  const second = await hub.push("alice/same", files());
  assertEquals(second.changed, false);
  assertEquals(second.commit, first.commit);
});

Deno.test("Hub.push() starts a new branch from main when the branch does not exist", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await server.createRepo("alice", "br");
  await server.commit("alice", "br", "main", { "nanocode.py": "x = 1\n" });
  const main = (await server.git("alice", "br", ["rev-parse", "main"])).trim();
  const hub = hubFor(server, cache.path);
  const result = await hub.push("alice/br", files({ max_iters: 4 }), {
    branch: "dev",
  });
  assertEquals(result.branch, "dev");
  assertEquals(
    (await server.git("alice", "br", ["rev-parse", "dev^"])).trim(),
    main,
  );
  assertEquals(
    await server.show("alice", "br", "dev", "nanocode.py"),
    "x = 1\n",
  );
  assertEquals(
    (await server.git("alice", "br", ["rev-parse", "main"])).trim(),
    main,
  );
});

Deno.test("Hub.push() creates a tag on the pushed commit when asked", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path);
  const result = await hub.push("alice/tagged", files(), { tag: "v1" });
  assertEquals(result.tag, "v1");
  assertEquals(
    (await server.git("alice", "tagged", ["rev-parse", "v1^{commit}"])).trim(),
    result.commit,
  );
});

Deno.test("Hub.push() fails clearly when the tag already exists", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path);
  const first = await hub.push("alice/tagged", files(), { tag: "v1" });
  await assertRejects(
    () => hub.push("alice/tagged", files({ max_iters: 3 }), { tag: "v1" }),
    Error,
    'Tag "v1" already exists in alice/tagged',
  );
  assertEquals(
    (await server.git("alice", "tagged", ["rev-parse", "v1^{commit}"])).trim(),
    first.commit,
  );
  // A fresh cache (no local copy of the tag) hears it from the server.
  await using other = await tempDir();
  await assertRejects(
    () =>
      hubFor(server, other.path).push("alice/tagged", files({ max_iters: 3 }), {
        tag: "v1",
      }),
    Error,
    'Tag "v1" already exists',
  );
});

Deno.test("Hub.push() fails with a clear message without the token when the token is wrong", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const wrong = "wrong-token-5be1d0";
  const error = await assertRejects(
    () => hubFor(server, cache.path, wrong).push("alice/prog", files()),
    Error,
    "set MODAIC_TOKEN",
  );
  assert(!error.message.includes(wrong), error.message);
  assertEquals(server.rest[0].authorization, `token ${wrong}`);
});

Deno.test("Hub.push() reports a refused git request without the token when git rejects it", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  server.rejectGit = true;
  const error = await assertRejects(
    () => hubFor(server, cache.path).push("alice/prog", files()),
    Error,
    "The Modaic hub refused access to alice/prog: set MODAIC_TOKEN",
  );
  assert(!error.message.includes(server.token), error.message);
  // The token was not stored in the clone's config either.
  const config = await Deno.readTextFile(
    `${cache.path}/nanocode/staging/alice/prog/.git/config`,
  );
  assert(!config.includes(server.token), config);
});

Deno.test("Hub.push() fails clearly when there is no token", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = new Hub({
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir: cache.path,
    env: () => undefined,
  });
  await assertRejects(
    () => hub.push("alice/prog", files()),
    Error,
    "The Modaic hub needs an access token for this: set MODAIC_TOKEN",
  );
  assertEquals(server.rest.length, 0);
});

Deno.test("Hub.push() refuses a branch name with a slash before calling the hub", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await assertRejects(
    () =>
      hubFor(server, cache.path).push("alice/prog", files(), {
        branch: "feature/x",
      }),
    TypeError,
    'Branch name "feature/x" contains "/"',
  );
  await assertRejects(
    () => hubFor(server, cache.path).push("prog", files()),
    TypeError,
    "not a hub id",
  );
  assertEquals(server.rest.length, 0);
});

Deno.test("Hub.push() ignores the user's git config, hooks and variables when running git", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  await using home = await tempDir({
    ".gitconfig":
      `[url "http://127.0.0.1:9/"]\n\tinsteadOf = ${server.url}/\n[core]\n\thooksPath = ${"/nonexistent"}\n[commit]\n\tgpgsign = true\n`,
  });
  const env: Record<string, string | undefined> = {
    PATH: Deno.env.get("PATH"),
    HOME: home.path,
    GIT_DIR: "/nonexistent/.git",
    GIT_CONFIG_PARAMETERS: "'user.name=Mallory'",
  };
  const hub = new Hub({
    token: server.token,
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir: cache.path,
    env: (name) => env[name],
  });
  const result = await hub.push("alice/isolated", files());
  assertEquals(result.changed, true);
  const author = await server.git("alice", "isolated", [
    "log",
    "-1",
    "--format=%an",
    "main",
  ]);
  assertEquals(author.trim(), "Alice Example");
});
