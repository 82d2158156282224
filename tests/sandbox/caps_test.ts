/**
 * The agent's own caps, against a compromised sandbox process: one that
 * knows the frame key (it reads it from stdin like the real one) and sends
 * whatever it likes. Whatever it sends, the agent keeps its limits.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { clipText, MessageRate, OutputCap } from "../../src/sandbox/caps.ts";
import { FrameGate, loadProtocol } from "../../src/sandbox/frame_gate.ts";
import { encodeFrameHeader, FrameDecoder } from "../../src/sandbox/frames.ts";
import type { SandboxProcess } from "../../src/sandbox/process.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { HostFunction } from "../../src/sandbox/types.ts";

/** What the fake sandbox does when asked to run a cell (`id` is the cell id). */
type Misbehaviour = string;

/** A sandbox program that speaks the protocol with the key, then misbehaves. */
function compromised(onRun: Misbehaviour): Sandbox {
  const program = `
const header = (${encodeFrameHeader.toString()});
const FrameDecoder = (${FrameDecoder.toString()});
let key = new Uint8Array(0);
const enc = new TextEncoder();
function send(kind, body) {
  const payload = enc.encode(typeof body === "string" ? body : JSON.stringify(body));
  const out = new Uint8Array(5 + key.length + payload.length);
  out.set(header(kind, key.length + payload.length));
  out.set(key, 5);
  out.set(payload, 5 + key.length);
  let n = 0;
  while (n < out.length) n += Deno.stdout.writeSync(out.subarray(n));
}
const frames = new FrameDecoder(1 << 30);
for await (const chunk of Deno.stdin.readable) {
  for (const frame of frames.push(chunk)) {
    if (frame.kind === "K") { key = frame.payload; send("Y", {}); }
    if (frame.kind === "R") {
      const id = JSON.parse(new TextDecoder().decode(frame.payload)).id;
      ${onRun}
    }
  }
}`;
  return new Sandbox({
    cellTimeout: 20,
    maxOutputChars: 1000,
    command: {
      path: Deno.execPath(),
      args: [
        "run",
        "--no-prompt",
        "data:text/javascript," + encodeURIComponent(program),
      ],
      env: { NO_COLOR: "1" },
    },
  });
}

Deno.test("Sandbox.run() caps the output of a cell whatever the sandbox sends (per message and per cell)", async () => {
  await using sb = compromised(`
    for (let i = 0; i < 5; i++) send("O", { id, text: String(i).repeat(1_000_000) });
    send("D", { id, value: "v".repeat(5_000_000), omitted: 0, tail: "t".repeat(3_000_000),
      error: { name: "Error", message: "m".repeat(1_000_000) } });`);
  const result = await sb.run("anything");
  assertEquals(result.lost, undefined);
  assert(result.output.startsWith("0".repeat(500)));
  assertStringIncludes(result.output, "characters omitted");
  assert(result.output.length < 2_000, `${result.output.length} chars`);
  assert(result.value!.length < 1_000, `${result.value!.length} chars`);
  assert(result.error!.message.length < 11_000);
});

Deno.test("Sandbox.run() replaces a sandbox that floods more messages a second than the cap", async () => {
  await using sb = compromised(
    `for (let i = 0; i < 5000; i++) send("O", { id, text: "x" });`,
  );
  const result = await sb.run("anything");
  assertEquals(result.lost, "protocol");
  assertStringIncludes(result.detail!, "messages in one second");
});

Deno.test("Sandbox.run() refuses a second host call while one runs: the clock cannot be stopped twice", async () => {
  let calls = 0;
  const functions: Record<string, HostFunction> = {
    slow: () => {
      calls++;
      return new Promise((resolve) => setTimeout(() => resolve("late"), 300));
    },
  };
  await using sb = compromised(`
    send("C", { cid: 1, cell: id, name: "slow", args: [] });
    send("C", { cid: 2, cell: id, name: "slow", args: [] });`);
  const result = await sb.run("anything", { functions });
  assertEquals(result.lost, "protocol");
  assertStringIncludes(result.detail!, "another one was running");
  assertEquals(calls, 1);
});

Deno.test("Sandbox.run() replaces a sandbox that reports memory over its limit", async () => {
  await using sb = compromised(
    `send("F", { message: "memory limit exceeded", rss: 3 * 2 ** 30 });`,
  );
  const result = await sb.run("anything");
  assertEquals(result.lost, "memory");
  assertStringIncludes(result.detail!, "The sandbox used 3072 MiB of memory");
});

Deno.test("MessageRate admits the budget of each one-second window", () => {
  let now = 0;
  const rate = new MessageRate(2, () => now);
  assertEquals([rate.admit(), rate.admit(), rate.admit()], [true, true, false]);
  now = 999;
  assertEquals(rate.admit(), false);
  now = 1000;
  assertEquals([rate.admit(), rate.admit(), rate.admit()], [true, true, false]);
});

Deno.test("OutputCap keeps the first characters and counts the rest; clipText keeps head and tail", () => {
  const cap = new OutputCap(5);
  assertEquals([cap.take("abc"), cap.take("defg"), cap.take("h")], [
    "abc",
    "de",
    "",
  ]);
  assertEquals(cap.dropped, 3);
  assertEquals(clipText("short", 10), "short");
  assertEquals(
    clipText("0123456789", 4),
    "01\n... [6 characters omitted] ...\n89",
  );
});

Deno.test("FrameGate: a cell's own answers are not a flood; anything past them still is", async () => {
  await loadProtocol();
  const proc = {} as SandboxProcess;
  const kinds: string[] = [];
  const errors: string[] = [];
  const gate = new FrameGate(
    (_proc, message) => kinds.push(message.kind),
    (_proc, error) => errors.push(error.message),
  );
  const frame = (kind: string, body: unknown) => ({
    kind,
    payload: new TextEncoder().encode(JSON.stringify(body)),
  });
  const protocol = Promise.resolve();
  // A loop of quick cells: each prints once and ends, 1500 in a burst (well
  // over the cap's 1000 a second, and well under a second of work).
  for (let id = 1; id <= 1500; id++) {
    gate.expectCell(proc);
    gate.receive(proc, frame("O", { id, text: "x\n" }), () => {}, protocol);
    gate.receive(
      proc,
      frame("D", { id, omitted: 0, tail: "" }),
      () => {},
      protocol,
    );
  }
  assertEquals(errors, []);
  assertEquals(kinds.length, 3000);
  // One cell that floods: its first batch is an answer, the rest count.
  gate.expectCell(proc);
  for (let i = 0; i < 1100 && !errors.length; i++) {
    gate.receive(proc, frame("O", { id: 1501, text: "x" }), () => {}, protocol);
  }
  assertEquals(errors.length, 1);
  assertStringIncludes(errors[0], "messages in one second");
});
