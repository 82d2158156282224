/**
 * Attacks on the command sandbox itself, tried as a hostile cell would:
 * unmounting a mask (nanocode run as root), driving a daemon through a unix
 * socket (a tmux server, a Docker-style socket) while the network is off,
 * reading a sibling project's secrets in the home folder, and reading the
 * token a clone or CI left in `.git/config`.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { baseEnv, lmEnv, MAIN } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { sandboxFixture } from "../exec/_fixture.ts";
import { killMidCommand } from "./_kill.ts";
import { exists, hostile, ScriptedApprover } from "./_harness.ts";

const SECRET = "sk-live-escape-0123456789";
const run = (cmd: string) => `print(run_bash(${JSON.stringify(cmd)}))`;
const has = (program: string) =>
  new Deno.Command("sh", {
    args: ["-c", `command -v ${program}`],
    stdout: "null",
  }).outputSync().success;
const HAS_TMUX = has("tmux");
const HAS_PYTHON = has("python3");

for (const mode of ["auto-edit", "yolo"] as const) {
  Deno.test({
    name:
      `hostile sandbox: a command keeps no capabilities in ${mode}, so it cannot unmount the mask over .env or ~/.ssh (nanocode run as root)`,
    ignore: NO_BWRAP,
    fn: async () => {
      await using h = await hostile({
        mode,
        files: { ".env": `KEY=${SECRET}\n` },
        homeFiles: { ".ssh/id_ed25519": `-----BEGIN ${SECRET}\n` },
      });
      const [caps, unmounted] = await h.turn(
        run("grep CapEff /proc/self/status"),
        run(
          "umount .env 2>&1; umount ~/.ssh 2>&1; cat .env ~/.ssh/id_ed25519; mount -o remount,rw / 2>&1; echo done",
        ),
      );
      assertStringIncludes(caps, "CapEff:\t0000000000000000");
      assertStringIncludes(unmounted, "done");
      assert(!unmounted.includes(SECRET), unmounted);
    },
  });
}

Deno.test({
  name:
    "hostile sandbox: a tmux server's socket in /tmp cannot be told to run a command outside the sandbox",
  ignore: NO_BWRAP || !HAS_TMUX,
  fn: async () => {
    await using sockets = await tempDir();
    await using outside = await tempDir();
    const socket = sockets.file("default");
    const tmux = (...args: string[]) =>
      new Deno.Command("tmux", {
        args: ["-S", socket, ...args],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).output();
    await tmux("new-session", "-d", "-s", "victim", "sleep 600");
    try {
      await using h = await hostile({ mode: "auto-edit" });
      const escaped = outside.file("escaped");
      const [seen] = await h.turn(
        run(
          `tmux -S ${socket} new-window -d 'touch ${escaped}'; sleep 1; echo tried`,
        ),
      );
      assertStringIncludes(seen, "tried");
      assertEquals(await exists(escaped), false, seen);
    } finally {
      await tmux("kill-server");
    }
  },
});

Deno.test({
  name:
    "hostile sandbox: with the network off, unix sockets outside the workspace (in /tmp, in ~/.docker/run) accept no connection",
  ignore: NO_BWRAP || !HAS_PYTHON,
  fn: async () => {
    await using sockets = await tempDir();
    await using h = await hostile({ mode: "auto-edit" });
    await Deno.mkdir(h.home.file(".docker/run"), { recursive: true });
    const paths = [
      sockets.file("daemon.sock"),
      h.home.file(".docker/run/docker.sock"),
    ];
    let accepted = 0;
    const listeners = paths.map((path) =>
      Deno.listen({ transport: "unix", path })
    );
    const serving = listeners.map(async (listener) => {
      for await (const conn of listener) {
        accepted++;
        conn.close();
      }
    });
    try {
      const seen = await h.turn(
        ...paths.map((path) =>
          run(
            `python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${path}'); print('connected')" 2>&1; echo tried`,
          )
        ),
      );
      for (const text of seen) {
        assertStringIncludes(text, "tried");
        assert(!text.includes("connected"), text);
      }
      assertEquals(accepted, 0);
    } finally {
      for (const listener of listeners) listener.close();
      await Promise.allSettled(serving);
    }
  },
});

Deno.test({
  name:
    "hostile sandbox: secrets of other projects in the home folder (~/code/other/.env, ~/src/github.com/org/app/.env) read as empty",
  ignore: NO_BWRAP,
  fn: async () => {
    await using h = await hostile({
      mode: "auto-edit",
      homeFiles: {
        "code/other/.env": `TOKEN=${SECRET}\n`,
        "src/github.com/org/app/.env": `TOKEN=${SECRET}\n`,
        "code/other/README.md": "other project\n",
      },
    });
    const [seen] = await h.turn(
      run(
        "f=.en; cat ~/code/other/${f}v ~/src/github.com/org/app/${f}v ~/code/other/README.md",
      ),
    );
    assertStringIncludes(seen, "other project");
    assert(!seen.includes(SECRET), seen);
  },
});

Deno.test({
  name:
    "hostile sandbox: a token in .git/config (remote URL, Actions extraheader) is not shown to a command, and git still works",
  ignore: NO_BWRAP,
  fn: async () => {
    await using h = await hostile({
      mode: "auto-edit",
      files: { "README.md": "# demo\n" },
    });
    const git = (...args: string[]) =>
      new Deno.Command("git", {
        args: ["-C", h.ws.path, ...args],
        stdout: "null",
        stderr: "null",
      }).output();
    await git("init", "-q");
    await git(
      "remote",
      "add",
      "origin",
      `https://x-access-token:${SECRET}@github.com/org/app.git`,
    );
    await git(
      "config",
      "http.https://github.com/.extraheader",
      `AUTHORIZATION: basic ${btoa(`x-access-token:${SECRET}`)}`,
    );
    const [seen] = await h.turn(
      run(
        "git remote -v; git config --list; cat .g?t/config; git status --short; echo status=$?",
      ),
    );
    assertStringIncludes(seen, "github.com/org/app.git");
    assertStringIncludes(seen, "status=0");
    assert(!seen.includes(SECRET), seen);
    assert(!seen.includes(btoa(`x-access-token:${SECRET}`)), seen);
    assertStringIncludes(await h.ws.read(".git/config"), SECRET);
  },
});

Deno.test({
  name:
    "hostile sandbox: approving a command that names one file in ~/.ssh shows that file, not the private key beside it",
  ignore: NO_BWRAP,
  fn: async () => {
    const approver = new ScriptedApprover(["yes"]);
    await using h = await hostile({
      mode: "auto-edit",
      approver,
      homeFiles: {
        ".ssh/config": "Host work\n  HostName example.com\n",
        ".ssh/id_ed25519": `-----BEGIN ${SECRET}\n`,
      },
    });
    const [seen] = await h.turn(
      run("cat ~/.ssh/config; f=id_ed; cat ~/.ssh/${f}25519; echo done"),
    );
    assertEquals(approver.asked.length, 1);
    assertStringIncludes(seen, "HostName example.com");
    assertStringIncludes(seen, "done");
    assert(!seen.includes(SECRET), seen);
  },
});

Deno.test({
  name:
    "hostile sandbox: a child that leaves its group and clears its environment (setsid env -i, double fork) dies with the agent's SIGKILL",
  ignore: NO_BWRAP,
  fn: async () => {
    const { before, left } = await killMidCommand(
      "auto-edit",
      (s) =>
        `(setsid env -i sleep ${s} &); (env -i setsid nohup sleep ${s} >/dev/null 2>&1 &); sleep ${s}`,
      3,
    );
    assertEquals(before, 3);
    assertEquals(left, []);
  },
});

Deno.test({
  name:
    "hostile sandbox: a .git file whose gitdir holds a named pipe, /dev/zero or a huge file does not wedge or exhaust the agent's next scan",
  ignore: NO_BWRAP,
  fn: async () => {
    await using dir = await tempDir({ "README.md": "# x\n" });
    await using server = await startLmServer(routeByModel([
      cell(
        run(
          "mkdir -p a/wt b/wt c/wt && mkfifo a/wt/commondir && ln -s /dev/zero b/wt/commondir && truncate -s 4G c/wt/commondir && " +
            "g=.gi; for d in a b c; do echo 'gitdir: wt' > $d/${g}t; done; echo plan''ted",
        ),
      ),
      cell(run("echo next command ''ran")),
      cell("SUBMIT('done')"),
    ]));
    const run2 = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--output-format", "json", "go"],
      cwd: dir.path,
      clearEnv: true,
      env: {
        ...baseEnv(dir.path),
        ...lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "auto-edit" }),
      },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const stderr = new TextDecoder().decode(run2.stderr);
    assertEquals(run2.code, 0, stderr);
    const steps = JSON.parse(new TextDecoder().decode(run2.stdout)).steps;
    assertStringIncludes(steps[0].observation, "planted");
    assertStringIncludes(steps[1].observation, "next command ran");
  },
});

Deno.test({
  name:
    "hostile sandbox: a command that floods the workspace with folders past the scan limit cannot push a nested .env or ~/.config/gh/hosts.yml out of the secret scan",
  ignore: NO_BWRAP,
  fn: async () => {
    // The real limit is 100,000 folders; the flood here beats a limit of 300.
    await using f = await sandboxFixture({ scanLimit: 300 });
    await Deno.mkdir(f.ws.file("services/api"), { recursive: true });
    await Deno.writeTextFile(f.ws.file("services/api/.env"), `T=${SECRET}\n`);
    const first = await f.run("cat services/api/.env ~/.config/gh/hosts.yml");
    assertEquals(first.out, "");
    const flood = await f.run("mkdir b && cd b && seq 1 400 | xargs mkdir");
    assertEquals(flood.code, 0, flood.out);
    const read = await f.run(
      "f=.en; cat services/api/${f}v ~/.config/gh/hosts.yml; echo read",
    );
    assertStringIncludes(read.out, "read");
    assert(!read.out.includes(SECRET), read.out);
  },
});

Deno.test({
  name:
    "hostile sandbox: a workspace past the scan limit still has ~/.ssh, ~/.aws and ~/.npmrc masked",
  ignore: NO_BWRAP,
  fn: async () => {
    await using f = await sandboxFixture({ scanLimit: 100 });
    for (let i = 0; i < 150; i++) {
      await Deno.mkdir(f.ws.file(`deps/d${i}`), { recursive: true });
    }
    const read = await f.run(
      "cat ~/.ssh/id_ed25519 ~/.aws/credentials ~/.npmrc ~/.config/gh/hosts.yml; echo read",
    );
    assertStringIncludes(read.out, "read");
    assert(!read.out.includes(SECRET), read.out);
  },
});
