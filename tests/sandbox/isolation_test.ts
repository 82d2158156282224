import { assert, assertEquals } from "../helpers/assert.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";

const attempts: [string, string][] = [
  ["reading a file", "Deno.readTextFileSync('/etc/passwd')"],
  ["reading a file asynchronously", "await Deno.readTextFile('/etc/hostname')"],
  ["writing a file", "Deno.writeTextFileSync('/tmp/nanocode-escape', 'x')"],
  ["opening /dev/tty", "Deno.openSync('/dev/tty')"],
  ["fetch", "await fetch('http://127.0.0.1:9/')"],
  ["Deno.connect", "await Deno.connect({ hostname: '127.0.0.1', port: 9 })"],
  ["Deno.Command", "new Deno.Command('id').outputSync()"],
  ["Deno.env", "Deno.env.get('HOME')"],
  ["Deno.env.toObject", "Deno.env.toObject()"],
  ["importing a local file", "await import('file:///etc/passwd')"],
  [
    "importing from the network",
    "await import('https://deno.land/std/version.ts')",
  ],
  ["importing npm", "await import('npm:left-pad')"],
  ["reading stdin", "await Deno.stdin.read(new Uint8Array(10))"],
  ["writing to stdout", "Deno.stdout.writeSync(new Uint8Array([65]))"],
  ["FFI", "Deno.dlopen('libc.so.6', {})"],
];

for (const [what, code] of attempts) {
  Deno.test(`Sandbox.run() refuses ${what} from cell code`, async () => {
    await using sb = new Sandbox({ cellTimeout: 20 });
    const result = await sb.run(code);
    assert(result.error, `${what} should fail, got ${JSON.stringify(result)}`);
    assertEquals(result.lost, undefined);
  });
}

Deno.test("Sandbox.run() gives a nested worker no more permissions than its own", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  const inner =
    "try { Deno.readTextFileSync('/etc/passwd'); postMessage('read it') }" +
    " catch (e) { postMessage(e.name) }";
  const result = await sb.run([
    `const src = 'data:text/javascript,' + encodeURIComponent(${
      JSON.stringify(inner)
    })`,
    "let got = []",
    "for (const permissions of ['inherit', { read: true }]) {",
    "  try {",
    "    const w = new Worker(src, { type: 'module', deno: { permissions } })",
    "    got.push(await new Promise((r) => { w.onmessage = (e) => r(e.data); w.onerror = (e) => { e.preventDefault(); r('error') } }))",
    "    w.terminate()",
    "  } catch (e) { got.push(e.name) }",
    "}",
    "got.join(',')",
  ].join("\n"));
  assert(
    result.value && !result.value.includes("read it"),
    `got ${JSON.stringify(result)}`,
  );
});

Deno.test("Sandbox.run() leaves no file behind after a refused write", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  const target = await Deno.makeTempFile();
  await Deno.remove(target);
  await sb.run(`Deno.writeTextFileSync(${JSON.stringify(target)}, 'x')`);
  let exists = true;
  try {
    await Deno.stat(target);
  } catch {
    exists = false;
  }
  assert(!exists, "the file was not created");
});

Deno.test("the sandbox process runs with an empty environment and no permissions", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  await sb.run("0");
  const environ = await Deno.readTextFile(`/proc/${sb.pid}/environ`);
  assertEquals(environ.split("\0").filter(Boolean), ["NO_COLOR=1"]);
  const cmdline = (await Deno.readTextFile(`/proc/${sb.pid}/cmdline`)).split(
    "\0",
  );
  assert(cmdline.includes("--no-prompt"));
  assert(!cmdline.some((arg) => arg.startsWith("--allow") || arg === "-A"));
  const result = await sb.run(
    "Deno.permissions.querySync({ name: 'read' }).state",
  );
  assertEquals(result.value, "prompt");
});

Deno.test("Sandbox.run() survives forged and oversized messages posted by cell code", async () => {
  await using sb = new Sandbox({ cellTimeout: 20, maxFrameBytes: 1 << 20 });
  await sb.run("const kept = 1");
  // Forged messages of unknown shape are dropped by the host thread.
  const junk = await sb.run(
    "postMessage(null); postMessage(['Z', 'x']); postMessage(['D', 5]); postMessage({ t: 'run' }); 'still running'",
  );
  assertEquals(junk.value, "still running");
  assertEquals((await sb.run("kept")).value, "1");
  // A forged "done" with a wrong shape is a protocol error: fresh sandbox.
  const forged = await sb.run(
    "postMessage(['D', JSON.stringify({ id: 'x' })]); await new Promise(() => {})",
  );
  assertEquals(forged.lost, "protocol");
  // An oversized message is refused by size, also with a fresh sandbox.
  const big = await sb.run(
    "postMessage(['O', 'x'.repeat(2 << 20)]); await new Promise(() => {})",
  );
  assertEquals(big.lost, "protocol");
  assertEquals((await sb.run("typeof kept")).value, "undefined");
});

Deno.test("the sandbox started the compiled-binary way (nanocode itself as host) keeps cells permission-less", async () => {
  const main = new URL("../../main.ts", import.meta.url).pathname;
  await using sb = new Sandbox({
    cellTimeout: 20,
    // What a compiled binary runs: itself with the host flag (here through
    // `deno run -A main.ts`, which has every permission, as the binary would).
    command: {
      path: Deno.execPath(),
      args: [
        "run",
        "-A",
        "--no-config",
        "--unstable-worker-options",
        main,
        "--nanocode-sandbox-host",
        String(1 << 20),
      ],
      env: { NO_COLOR: "1", DENO_V8_FLAGS: "--max-old-space-size=256" },
    },
  });
  assertEquals((await sb.run("const x: number = 6 * 7\nx")).value, "42");
  for (
    const code of [
      "Deno.readTextFileSync('/etc/passwd')",
      "await fetch('http://127.0.0.1:9/')",
      "new Deno.Command('id').outputSync()",
    ]
  ) {
    const result = await sb.run(code);
    assert(result.error, `${code} should fail`);
  }
});

Deno.test("Sandbox starts with a short command line (the program comes on stdin) and no permission flags", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  assertEquals((await sb.run("6 * 7")).value, "42");
  const pid = sb.pid!;
  const args = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0")
    .filter(Boolean);
  const line = args.join(" ");
  assert(line.length < 600, `ps shows ${line.length} characters: ${line}`);
  assert(!line.includes("hostMain"), "the program itself is not on the line");
  assert(
    !args.some((a) => /^--allow-|^-A$/.test(a)),
    `no permission flag: ${line}`,
  );
  // The program's frames still flow after the loader read it.
  assertEquals((await sb.run("'x'.repeat(3)")).value, "xxx");
});
