import { assert, assertEquals } from "../helpers/assert.ts";
import { SecretScanner } from "../../src/exec/secret_scan.ts";
import { secretReason } from "../../src/policy/classify.ts";
import { tempDir } from "../helpers/temp.ts";

async function fixture() {
  const ws = await tempDir({
    ".env": "A=1\n",
    ".env.example": "A=\n",
    "pkg/config/.env.local": "A=1\n",
    "pkg/certs/server.pem": "key\n",
    "pkg/.git/HEAD": "ref\n",
    "sub/.nanocode/config.json": "{}\n",
    ".git/HEAD": "ref\n",
    ".git/secrets.env": "not walked\n",
    "venv/.env/bin/activate": "venv named .env\n",
    "src/a.ts": "1\n",
  });
  const home = await tempDir({
    ".ssh/id_rsa": "k\n",
    ".npmrc": "t\n",
    ".config/gh/hosts.yml": "t\n",
    ".config/other/settings.json": "{}\n",
    ".local/share/nanocode/sessions/a.jsonl": "{}\n",
    "projects/deep/x/.env": "another project's secret\n",
    "projects/deep/x/.git/config": "[core]\n",
    "a/b/c/d/e/.env": "below the home scan depth\n",
    ".cache/tool/.env": "a cache, not looked into\n",
    "code/app/node_modules/pkg/.env": "dependencies, not looked into\n",
    "notes.txt": "n\n",
  });
  const protectedDirs = [`${home.path}/.local/share/nanocode`];
  const scanner = new SecretScanner({
    roots: [ws.path],
    home: home.path,
    protectedDirs,
    secretReason: (p) => secretReason(p, { home: home.path, protectedDirs }),
  });
  return { ws, home, scanner };
}

Deno.test("SecretScanner.scan() finds secret files at any depth of the workspace, and git and .nanocode folders", async () => {
  const { ws, home, scanner } = await fixture();
  await using _w = ws;
  await using _h = home;
  const found = scanner.scan();
  assertEquals(
    found.maskFiles,
    [
      home.file(".config/gh/hosts.yml"),
      home.file(".npmrc"),
      home.file("projects/deep/x/.env"),
      ws.file(".env"),
      ws.file("pkg/certs/server.pem"),
      ws.file("pkg/config/.env.local"),
    ].sort(),
  );
  assertEquals(
    found.maskDirs,
    [
      home.file(".local/share/nanocode"),
      home.file(".ssh"),
    ].sort(),
  );
  assertEquals(found.gitDirs, [ws.file(".git"), ws.file("pkg/.git")]);
  assertEquals(found.ownDirs, [ws.file("sub/.nanocode")]);
  assertEquals(
    found.gitConfigs,
    [
      home.file(".config/git/config"),
      home.file(".gitconfig"),
      home.file("projects/deep/x/.git/config"),
      ws.file(".git/config"),
      ws.file("pkg/.git/config"),
    ].sort(),
  );
  assertEquals(found.truncated, false);
});

Deno.test("SecretScanner.scan() masks sockets and named pipes: ways to processes outside the sandbox", async () => {
  await using ws = await tempDir({ "src/a.ts": "1\n" });
  await using home = await tempDir();
  await Deno.mkdir(home.file(".docker/run"), { recursive: true });
  const socket = Deno.listen({
    transport: "unix",
    path: home.file(".docker/run/docker.sock"),
  });
  try {
    const fifo = await new Deno.Command("mkfifo", { args: [ws.file("pipe")] })
      .output();
    assert(fifo.success);
    const scanner = new SecretScanner({
      roots: [ws.path],
      home: home.path,
      protectedDirs: [],
      secretReason: (p) =>
        secretReason(p, { home: home.path, protectedDirs: [] }),
    });
    assertEquals(
      scanner.scan().maskFiles,
      [
        home.file(".docker/run/docker.sock"),
        ws.file("pipe"),
      ].sort(),
    );
  } finally {
    socket.close();
  }
});

Deno.test("SecretScanner.scan() looks at shallow folders first, so the folder limit leaves out deep trees, not a project's .env", async () => {
  const deep: Record<string, string> = {};
  for (let i = 0; i < 30; i++) deep[`aaa/n${i}/m/k/x.js`] = "1\n";
  await using ws = await tempDir({ ...deep, "services/api/.env": "A=1\n" });
  const scanner = new SecretScanner({
    roots: [ws.path],
    home: "/",
    protectedDirs: [],
    secretReason: (p) => secretReason(p, { home: "/", protectedDirs: [] }),
    maxDirs: 40,
  });
  const found = scanner.scan();
  assertEquals(found.truncated, true);
  assertEquals(found.maskFiles, [ws.file("services/api/.env")]);
});

Deno.test("SecretScanner.scan() sees files added, renamed and removed since the last scan", async () => {
  const { ws, home, scanner } = await fixture();
  await using _w = ws;
  await using _h = home;
  // Old folder times, so the scanner trusts (and reuses) its listings.
  const hourAgo = Date.now() / 1000 - 3600;
  for (
    const dir of [ws.path, ws.file("src"), ws.file("pkg"), ws.file("pkg/certs")]
  ) {
    await Deno.utime(dir, hourAgo, hourAgo);
  }
  scanner.scan();
  await Deno.writeTextFile(ws.file("src/.env.test"), "A=1\n");
  await Deno.rename(
    ws.file("pkg/certs/server.pem"),
    ws.file("pkg/certs/server.key.pem"),
  );
  await Deno.remove(ws.file(".env"));
  const found = scanner.scan();
  assert(found.maskFiles.includes(ws.file("src/.env.test")));
  assert(found.maskFiles.includes(ws.file("pkg/certs/server.key.pem")));
  assert(!found.maskFiles.includes(ws.file(".env")));
  assert(!found.maskFiles.includes(ws.file("pkg/certs/server.pem")));
});

Deno.test("SecretScanner.scan() masks what a secret-looking symlink points at, not the link's folder", async () => {
  const { ws, home, scanner } = await fixture();
  await using _w = ws;
  await using _h = home;
  await using elsewhere = await tempDir({ "real-env": "A=1\n" });
  await Deno.symlink(elsewhere.file("real-env"), ws.file("src/.env"));
  await Deno.symlink("/nonexistent/target", ws.file("src/.envrc"));
  const found = scanner.scan();
  assert(found.maskFiles.includes(elsewhere.file("real-env")));
});

Deno.test("SecretScanner.scan() never masks a folder that holds a workspace root", async () => {
  await using home = await tempDir({ ".ssh/id_rsa": "k\n" });
  await Deno.mkdir(home.file(".ssh/project"));
  const scanner = new SecretScanner({
    roots: [home.file(".ssh/project")],
    home: home.path,
    protectedDirs: [],
    secretReason: (p) =>
      secretReason(p, { home: home.path, protectedDirs: [] }),
  });
  const found = scanner.scan();
  assertEquals(found.maskDirs, []);
  assertEquals(found.maskFiles, []);
});

Deno.test("SecretScanner.scan() stops at the folder limit and says so", async () => {
  await using ws = await tempDir({ "a/b/c/d/.env": "A=1\n" });
  const scanner = new SecretScanner({
    roots: [ws.path],
    home: "/",
    protectedDirs: [],
    secretReason: (p) => secretReason(p, { home: "/", protectedDirs: [] }),
    maxDirs: 3,
  });
  const found = scanner.scan();
  assertEquals(found.truncated, true);
  assertEquals(found.maskFiles, []);
});
