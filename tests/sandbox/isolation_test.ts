import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
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

Deno.test("Sandbox.run() cannot start a nested worker, through the Worker global or node:worker_threads", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  const result = await sb.run([
    "const src = 'data:text/javascript,' + encodeURIComponent('postMessage(1)')",
    "const tries = {",
    "  global: () => new Worker(src, { type: 'module' }),",
    "  proto: () => new (Object.getPrototypeOf(globalThis).constructor.prototype.Worker ?? self.Worker)(src),",
    "  nodeUrl: async () => new (await import('node:worker_threads')).Worker(new URL(src)),",
    "  nodeEval: async () => new (await import('node:worker_threads')).Worker('1', { eval: true }),",
    "  nodeSub: async () => { const { Worker: W } = await import('node:worker_threads'); class X extends W {}; return new X('1', { eval: true }) },",
    "}",
    "const got = []",
    "for (const [name, start] of Object.entries(tries)) {",
    "  try { await start(); got.push(name + ': started') } catch (e) { got.push(name + ': ' + e.message) }",
    "}",
    "got.join('\\n')",
  ].join("\n"));
  assert(result.value, JSON.stringify(result));
  assert(!result.value.includes("started"), result.value);
  assertStringIncludes(
    result.value,
    "nodeEval: A nested Worker is not available in the REPL",
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
  // A DENO_DIR that cannot exist: Deno caches nothing, anywhere.
  assertEquals(environ.split("\0").filter(Boolean).sort(), [
    "DENO_DIR=/dev/null/nanocode-sandbox",
    "NO_COLOR=1",
  ]);
  const cmdline = (await Deno.readTextFile(`/proc/${sb.pid}/cmdline`)).split(
    "\0",
  );
  for (const flag of ["--no-prompt", "--no-npm", "--no-remote"]) {
    assert(cmdline.includes(flag), flag);
  }
  assert(!cmdline.some((arg) => arg.startsWith("--allow") || arg === "-A"));
  const result = await sb.run(
    "Deno.permissions.querySync({ name: 'read' }).state",
  );
  assertEquals(result.value, "prompt");
});

Deno.test("Sandbox.run() ignores messages cell code posts, and replaces the sandbox when it writes to stdout itself", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  await sb.run("const kept = 1");
  // The worker's own postMessage is gone, and the host ignores that channel.
  const posted = await sb.run([
    "const tries = []",
    "try { postMessage(['D', '{}']) } catch (e) { tries.push(e.message) }",
    "try { Object.getPrototypeOf(globalThis).postMessage?.call(globalThis, ['D', '{}']); tries.push('proto') } catch (e) { tries.push(e.message) }",
    "tries.join('; ')",
  ].join("\n"));
  assertStringIncludes(posted.value!, "postMessage() is not available");
  assertEquals((await sb.run("kept")).value, "1");
  // Bytes written to stdout around the bootstrap are not a message: even a
  // well-formed "done" frame for this very cell is refused.
  const id = 4; // the cell number of the next run
  const forged = await sb.run([
    "const { writeSync } = await import('node:fs')",
    `const body = new TextEncoder().encode(JSON.stringify({ id: ${id}, value: 'forged', omitted: 0, tail: '' }))`,
    "const frame = new Uint8Array(5 + body.length)",
    "new DataView(frame.buffer).setUint32(0, body.length); frame[4] = 68; frame.set(body, 5)",
    "writeSync(1, frame)",
    "await new Promise(() => {})",
  ].join("\n"));
  assertEquals(forged.value, undefined);
  assertEquals(forged.lost, "protocol");
  assertStringIncludes(forged.detail!, "without the sandbox's key");
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
