import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { countingListener } from "../helpers/listener.ts";
import { createExecutor } from "../../src/exec/executor.ts";
import { runToEnd } from "../../src/exec/run.ts";
import { exists } from "../hostile/_harness.ts";
import { sandboxFixture, SECRET } from "./_fixture.ts";

const sandboxed = { ignore: NO_BWRAP };

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() lets a workspace-level command write the workspace only",
  fn: async () => {
    await using f = await sandboxFixture();
    const inside = await f.run("echo made > src/new.txt && echo ok");
    assertEquals(inside, { code: 0, out: "ok\n" });
    assertEquals(await f.ws.read("src/new.txt"), "made\n");
    // A folder outside under /tmp is hidden: the write finds no folder.
    const outside = await f.run(`echo x > ${f.outside.path}/pwned.txt`);
    assert(outside.code !== 0);
    assertStringIncludes(outside.out, "No such file or directory");
    const tmp = await f.run("echo x > /tmp/pwned.txt");
    assertStringIncludes(tmp.out, "Read-only file system");
    assert(!await exists(f.outside.file("pwned.txt")));
    const home = await f.run("touch ~/pwned.txt; rm -f ~/notes.txt");
    assert(home.code !== 0);
    assert(!await exists(f.home.file("pwned.txt")));
    assertEquals(await f.home.read("notes.txt"), "plain notes\n");
    const etc = await f.run("touch /etc/pwned");
    assertStringIncludes(etc.out, "Read-only file system");
  },
});

Deno.test({
  ...sandboxed,
  name: "executor.spawn() keeps .git and .nanocode read-only in the workspace",
  fn: async () => {
    await using f = await sandboxFixture();
    const { code, out } = await f.run(
      "echo evil > .git/HEAD; rm -rf .git; echo '{}' > .nanocode/config.json; touch .nanocode/x",
    );
    assert(code !== 0);
    assertStringIncludes(out, "Read-only file system");
    assertEquals(await f.ws.read(".git/HEAD"), "ref: refs/heads/main\n");
    assertEquals(
      await f.ws.read(".nanocode/config.json"),
      '{"permission_mode": "ask"}\n',
    );
    assert(!await exists(f.ws.file(".nanocode/x")));
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() shows secret files and folders empty, however they are named",
  fn: async () => {
    await using f = await sandboxFixture();
    const { out } = await f.run(
      "cat .env config/.env.local deploy/id_rsa .e*; cat ~/.ss?/* ~/.aws/* ~/.npmrc ~/.config/gh/*; " +
        "cat ~/.local/share/nanocode/sessions/*; ls -A ~/.ssh; cat .env.example ~/notes.txt",
    );
    assert(!out.includes(SECRET), out);
    // Files that only look similar are untouched.
    assertStringIncludes(out, "API_KEY=\n");
    assertStringIncludes(out, "plain notes\n");
    // The files are still there for the user.
    assertStringIncludes(await f.ws.read(".env"), SECRET);
    assertStringIncludes(await f.home.read(".ssh/id_ed25519"), SECRET);
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() masks a secret file created after the previous command",
  fn: async () => {
    await using f = await sandboxFixture();
    assertEquals((await f.run("cat src/a.ts")).code, 0);
    await Deno.writeTextFile(f.ws.file("src/.env.production"), SECRET);
    const { out } = await f.run("cat src/.env.production; echo end");
    assertEquals(out, "end\n");
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() shows a secret file the user approved (unmask) and no other",
  fn: async () => {
    await using f = await sandboxFixture();
    const { out } = await f.run("cat .env; cat config/.env.local; echo end", {
      unmask: [f.ws.file(".env")],
    });
    assertEquals(out, `API_KEY=${SECRET}\nend\n`);
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() gives no network at the workspace level, even to 127.0.0.1",
  fn: async () => {
    await using f = await sandboxFixture();
    await using listener = countingListener();
    const { port } = listener;
    const blocked = await f.run(`echo hi > /dev/tcp/127.0.0.1/${port}`);
    assert(blocked.code !== 0, blocked.out);
    assertEquals(listener.accepted(), 0);
    const open = await f.run(`echo hi > /dev/tcp/127.0.0.1/${port}`, {
      level: "open",
    });
    assertEquals(open.code, 0, open.out);
    while (listener.accepted() === 0) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assertEquals(listener.accepted(), 1);
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() gives a private /proc: the parent's environment is the scrubbed one",
  fn: async () => {
    await using f = await sandboxFixture();
    const { out } = await f.run(
      "ls /proc | grep -c '^[0-9]'; tr '\\0' '\\n' < /proc/$PPID/environ | cut -d= -f1 | sort; cat /proc/[0-9]*/cmdline | tr '\\0' ' '",
      { level: "open" },
      { ONLY_THIS: "1" },
    );
    const [count, ...rest] = out.split("\n");
    assert(Number(count) < 8, `${count} processes visible`);
    const names = rest.filter((line) => /^[A-Z_]+$/.test(line));
    assertEquals(names, ["HOME", "NANOCODE_RUN", "ONLY_THIS", "PATH"]);
    assert(!out.includes(Deno.execPath()), out);
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() at the open level writes anywhere but keeps secrets masked",
  fn: async () => {
    await using f = await sandboxFixture();
    const { code, out } = await f.run(
      `echo made > ${f.outside.path}/made.txt; echo ok > .git/ok; cat .env; ls -A ~/.ssh; echo end`,
      { level: "open" },
    );
    assertEquals(code, 0, out);
    assertEquals(out, "end\n");
    assertEquals(await f.outside.read("made.txt"), "made\n");
    assertEquals(await f.ws.read(".git/ok"), "ok\n");
  },
});

Deno.test({
  ...sandboxed,
  name:
    "executor.spawn() gives a private writable TMPDIR that lasts the session; /tmp stays read-only",
  fn: async () => {
    await using f = await sandboxFixture();
    const first = await f.run('echo kept > "$TMPDIR/x"; touch /tmp/pwned-$$');
    assertStringIncludes(first.out, "Read-only file system");
    const second = await f.run('cat "$TMPDIR/x"');
    assertEquals(second.out, "kept\n");
    const { out } = await f.run("echo $TMPDIR");
    const tmp = out.trim();
    assert(await exists(tmp));
    await f.executor.close();
    assert(!await exists(tmp), "the temporary folder is removed on close");
  },
});

Deno.test("executor.status() says why there is no sandbox, and commands still run plainly", async () => {
  const executor = createExecutor({
    sandbox: "auto",
    roots: ["/tmp"],
    home: "/root",
    protectedDirs: [],
    secretReason: () => undefined,
    probe: () =>
      Promise.resolve({
        ok: false,
        reason:
          "bubblewrap cannot start here (bwrap: Creating new namespace failed: Operation not permitted)",
      }),
  });
  assertEquals(await executor.status(), {
    kind: "none",
    reason:
      "bubblewrap cannot start here (bwrap: Creating new namespace failed: Operation not permitted)",
  });
  const child = await executor.spawn({
    argv: ["/bin/bash", "-c", "echo plain"],
    cwd: "/tmp",
    env: { PATH: "/usr/bin:/bin" },
    sandbox: { level: "workspace" },
  });
  assertEquals(child.level, "none");
  const chunks: string[] = [];
  await runToEnd(child, {
    timeoutMs: 30_000,
    onOutput: (chunk) => chunks.push(new TextDecoder().decode(chunk)),
  });
  assertEquals(chunks.join(""), "plain\n");
});

Deno.test("executor.status() is none when the sandbox setting is off", async () => {
  const executor = createExecutor({
    sandbox: "off",
    roots: ["/tmp"],
    home: "/root",
    protectedDirs: [],
    secretReason: () => undefined,
  });
  assertEquals(await executor.status(), {
    kind: "none",
    reason: "the sandbox setting is off",
  });
});
