/**
 * What Deno itself costs for the path of a host call, measured with a bare
 * relay of the same topology and the same mechanisms as the sandbox (and
 * nothing else: no key, no validation, no JSON, no host function): a
 * permission-less worker puts a call in a shared buffer, wakes the main
 * thread (waiting in `Atomics.waitAsync`) and blocks in `Atomics.wait`;
 * the child's main thread writes a frame to stdout and reads the reply
 * from stdin synchronously; the parent reads the child's stdout as the
 * agent does (`readChunks`) and answers through the stdin writer.
 *
 * Each leg is timed alone too: the worker to the main thread and back
 * (the main thread wakes the worker at once), and the main thread to the
 * parent over the pipes and back (no worker).
 *
 * @module
 */

import { median, tempScript } from "./lib.ts";
import { readChunks } from "../src/util/read_chunks.ts";

const CHILD = `
const [mode, n] = [Deno.args[0], Number(Deno.args[1])];
const sab = new SharedArrayBuffer(32 + 65536);
const ctl = new Int32Array(sab, 0, 8), data = new Uint8Array(sab, 32);
const head = new Uint8Array(5), reply = new Uint8Array(65536);
const readAll = (b) => { for (let o = 0; o < b.length;) { const k = Deno.stdin.readSync(b.subarray(o)); if (!k) Deno.exit(0); o += k; } };
const frame = (text) => { const p = new TextEncoder().encode(text), f = new Uint8Array(5 + p.length); new DataView(f.buffer).setUint32(0, p.length); f[4] = 67; f.set(p, 5); return f; };
function send(text) {
  Deno.stdout.writeSync(frame(text));
  readAll(head);
  const length = new DataView(head.buffer).getUint32(0);
  readAll(reply.subarray(0, length));
  return length;
}
const done = (ms) => { Deno.stderr.writeSync(new TextEncoder().encode(String(ms))); Deno.exit(0); };
if (mode === "pipe") {
  const start = performance.now();
  for (let i = 0; i < n; i++) send('{"cid":' + i + '}');
  done((performance.now() - start) / n);
}
const worker = new Worker("data:text/javascript," + encodeURIComponent(\`
  self.onmessage = (e) => {
    const ctl = new Int32Array(e.data, 0, 8), data = new Uint8Array(e.data, 32);
    const encoder = new TextEncoder();
    const start = performance.now();
    for (let i = 0; i < \${n}; i++) {
      Atomics.store(ctl, 0, 0);
      ctl[5] = encoder.encodeInto('{"cid":' + i + '}', data).written;
      Atomics.store(ctl, 3, 1);
      Atomics.notify(ctl, 3);
      Atomics.wait(ctl, 0, 0);
      data.slice(0, ctl[2]);
    }
    self.postMessage((performance.now() - start) / \${n});
  };\`), { type: "module", deno: { permissions: "none" } });
worker.onmessage = (e) => done(e.data);
worker.postMessage(sab);
const text = new TextDecoder();
for (;;) {
  const wait = Atomics.waitAsync(ctl, 3, 0);
  if (wait.async) await wait.value;
  const call = text.decode(data.slice(0, ctl[5]));
  Atomics.store(ctl, 3, 0);
  const length = mode === "relay" ? send(call) : 2;
  data.set(reply.subarray(0, length));
  ctl[2] = length;
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}
`;

/** Per round trip in ms, the median of one child process's `calls`. */
async function once(script: string, mode: string, calls: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-worker-options", script, mode, String(calls)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const said = new Response(child.stderr).text();
  const answer = new Uint8Array([0, 0, 0, 2, 80, 123, 125]); // "P" "{}"
  // The agent's own reader (a reused buffer); a frame may span reads.
  let pending = new Uint8Array(0);
  await readChunks(child.stdout, 65536, (chunk) => {
    const bytes = pending.length
      ? new Uint8Array([...pending, ...chunk])
      : chunk;
    let at = 0;
    while (bytes.length - at >= 5) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + at);
      if (bytes.length - at < 5 + view.getUint32(0)) break;
      at += 5 + view.getUint32(0);
      writer.write(answer).catch(() => {});
    }
    pending = bytes.slice(at);
    return false;
  });
  await child.status;
  return Number(await said);
}

/** The bare relay and its legs, in ms per round trip (medians of `rounds` alternated runs). */
export interface RelayFloor {
  /** Worker -> main thread -> worker (Atomics.notify both ways). */
  workerLeg: number;
  /** Main thread -> parent over the pipes -> main thread (sync read). */
  pipeLeg: number;
  /** The whole path: worker -> main thread -> parent -> main thread -> worker. */
  relay: number;
}

/**
 * Measures the bare relay and its legs.
 *
 * @example
 * ```ts ignore
 * const floor = await relayFloor();
 * console.log(floor.relay, floor.workerLeg + floor.pipeLeg);
 * ```
 */
export async function relayFloor(
  calls = 2000,
  rounds = 5,
): Promise<RelayFloor> {
  const [script, cleanup] = await tempScript(CHILD);
  const runs: Record<keyof RelayFloor, number[]> = {
    workerLeg: [],
    pipeLeg: [],
    relay: [],
  };
  const modes = { workerLeg: "worker", pipeLeg: "pipe", relay: "relay" };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [name, mode] of Object.entries(modes)) {
        runs[name as keyof RelayFloor].push(await once(script, mode, calls));
      }
    }
  } finally {
    await cleanup();
  }
  return {
    workerLeg: median(runs.workerLeg),
    pipeLeg: median(runs.pipeLeg),
    relay: median(runs.relay),
  };
}
