/**
 * The sandbox process's side of a host call, driven frame by frame: while
 * a cell waits for a reply, the host thread reads it synchronously, so
 * what may arrive meanwhile (a stale reply, a reply cut into many writes,
 * a reply bigger than the shared buffer) is checked here against the real
 * process.
 */
import { assertEquals } from "../helpers/assert.ts";
import { sandboxCommand } from "../../src/sandbox/bootstrap.ts";
import { encodeFrame, FrameDecoder } from "../../src/sandbox/frames.ts";
import { FRAME_KEY_BYTES } from "../../src/sandbox/host_main.ts";
import { transformCell } from "../../src/sandbox/transform.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A sandbox process spoken to in raw frames. */
async function rawSandbox(sharedBytes = 1 << 20) {
  const command = sandboxCommand(Deno.execPath(), {
    heapMb: 256,
    sharedBytes,
    memoryMb: 1024,
  });
  const child = new Deno.Command(command.path, {
    args: command.args,
    clearEnv: true,
    env: command.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const key = crypto.getRandomValues(new Uint8Array(FRAME_KEY_BYTES));
  await writer.write(command.prelude!);
  await writer.write(encodeFrame("K", key));
  const frames = new FrameDecoder(64 << 20);
  const queue: { kind: string; text: string }[] = [];
  let wake = (): void => {};
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      for (const frame of frames.push(chunk)) {
        const text = decoder.decode(frame.payload.subarray(key.length));
        queue.push({ kind: frame.kind, text });
      }
      wake();
    }
  })();
  /** The next frame (skipping printed output). */
  async function next(): Promise<{ kind: string; text: string }> {
    for (;;) {
      const frame = queue.shift();
      if (frame && frame.kind !== "O") return frame;
      if (!frame) await new Promise<void>((r) => wake = r);
    }
  }
  /** Sends the bytes, optionally one write each `step` bytes. */
  async function write(bytes: Uint8Array, step = bytes.length): Promise<void> {
    for (let at = 0; at < bytes.length; at += step) {
      await writer.write(bytes.slice(at, at + step));
      if (step < bytes.length) await new Promise((r) => setTimeout(r, 1));
    }
  }
  async function runCell(id: number, source: string): Promise<void> {
    const cell = await transformCell(source);
    if (!cell.ok) throw new Error("the test cell does not compile");
    await write(encodeFrame(
      "R",
      encoder.encode(
        JSON.stringify({ id, code: cell.code, fns: ["f"], cap: 10_000 }),
      ),
    ));
  }
  function reply(cid: number, text: string): Uint8Array {
    const body = encoder.encode("S" + text);
    const payload = new Uint8Array(4 + body.length);
    new DataView(payload.buffer).setUint32(0, cid);
    payload.set(body, 4);
    return encodeFrame("P", payload);
  }
  async function close(): Promise<void> {
    await writer.close().catch(() => {});
    await child.status;
    await reading;
  }
  assertEquals((await next()).kind, "Y");
  return { next, write, runCell, reply, close };
}

Deno.test("a host call skips replies to other calls that arrive while it waits, and takes its own even when cut into single bytes", async () => {
  const sandbox = await rawSandbox();
  await sandbox.runCell(1, "f('a') + '|' + f('b')");
  for (const wanted of ["a", "b"]) {
    const call = await sandbox.next();
    assertEquals(call.kind, "C");
    const { cid, args } = JSON.parse(call.text);
    assertEquals(args, [wanted]);
    // A reply to an earlier call, a reply to a call never made, then the
    // real one, one byte per write.
    await sandbox.write(sandbox.reply(cid - 1, "stale"));
    await sandbox.write(sandbox.reply(cid + 7, "forged"));
    await sandbox.write(sandbox.reply(cid, `got ${wanted}`), 1);
  }
  const done = await sandbox.next();
  assertEquals(done.kind, "D");
  assertEquals(JSON.parse(done.text).value, "got a|got b");
  await sandbox.close();
});

Deno.test("a host-call reply bigger than the shared buffer arrives whole, and the next cell runs after it", async () => {
  const sandbox = await rawSandbox(1024);
  const big = "x".repeat(5000) + "end";
  await sandbox.runCell(1, "f().length");
  const call = JSON.parse((await sandbox.next()).text);
  await sandbox.write(sandbox.reply(call.cid, big), 777);
  const done = await sandbox.next();
  assertEquals(JSON.parse(done.text).value, String(big.length));
  // The pump reads again once the cell is done: a second cell runs.
  await sandbox.runCell(2, "f() + '!'");
  const second = JSON.parse((await sandbox.next()).text);
  await sandbox.write(sandbox.reply(second.cid, "again"));
  assertEquals(JSON.parse((await sandbox.next()).text).value, "again!");
  await sandbox.close();
});

Deno.test("text printed before a host call reaches the agent before the call does", async () => {
  const { Sandbox } = await import("../../src/sandbox/sandbox.ts");
  await using sb = new Sandbox({ cellTimeout: 20 });
  let seen = "";
  const late: number[] = [];
  const result = await sb.run(
    "for (let i = 0; i < 200; i++) { print('line ' + i); f(i) }",
    {
      onOutput: (text) => seen += text,
      functions: {
        f: ([i]) => {
          if (!seen.includes(`line ${i}\n`)) late.push(i as number);
          return null;
        },
      },
    },
  );
  assertEquals(result.error, undefined);
  assertEquals(late, []);
});
