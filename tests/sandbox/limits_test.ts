import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { sandboxArgs, sandboxPrelude } from "../../src/sandbox/bootstrap.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import { groupMembers, processAlive } from "../helpers/procs.ts";
import type { HostFunction } from "../../src/sandbox/types.ts";

/** CPU seconds this process has used (user + system). */
function ownCpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function stoppedAndFresh(code: string): Promise<void> {
  await using sb = new Sandbox({ cellTimeout: 1.5 });
  await sb.run("const before = 'set'");
  const pid = sb.pid!;
  const result = await sb.run(code);
  assertEquals(result.lost, "timeout");
  assertStringIncludes(result.detail!, "cell timeout");
  // The whole process group is gone: no thread is left spinning.
  assertEquals(groupMembers(pid), []);
  assert(!processAlive(pid), "the old sandbox process is gone");
  const cpuBefore = ownCpuSeconds();
  await new Promise((r) => setTimeout(r, 1000));
  const cpuUsed = ownCpuSeconds() - cpuBefore;
  assert(
    cpuUsed < 0.5,
    `the agent process used ${cpuUsed} s of CPU while idle`,
  );
  // The next cell runs in a fresh sandbox: earlier state is gone.
  const next = await sb.run("typeof before");
  assertEquals(next.value, "undefined");
  assert(sb.pid !== pid, "a new sandbox process runs the next cell");
}

Deno.test("Sandbox.run() stops `while (true) {}` at the timeout and starts fresh", async () => {
  await stoppedAndFresh("while (true) {}");
});

Deno.test("Sandbox.run() stops a catastrophic regex at the timeout and starts fresh", async () => {
  await stoppedAndFresh("/^(a+)+$/.test('a'.repeat(40) + 'b')");
});

Deno.test("Sandbox.run() keeps output printed before a timeout", async () => {
  await using sb = new Sandbox({ cellTimeout: 1 });
  const result = await sb.run("print('started')\nfor (;;) {}");
  assertEquals(result.lost, "timeout");
  assertEquals(result.output, "started\n");
});

Deno.test("Sandbox.run() does not count host-call time against the cell timeout", async () => {
  await using sb = new Sandbox({ cellTimeout: 1 });
  const functions: Record<string, HostFunction> = {
    slow: () => new Promise((r) => setTimeout(() => r("done"), 1500)),
  };
  const result = await sb.run("slow()", { functions });
  assertEquals(result.lost, undefined);
  assertEquals(result.value, "done");
});

Deno.test("Sandbox.run() stops a cell that computes after a long host call at its timeout", async () => {
  await using sb = new Sandbox({ cellTimeout: 1 });
  const functions: Record<string, HostFunction> = {
    slow: () => new Promise((r) => setTimeout(() => r(null), 600)),
  };
  // The call's time does not count, the compute after it does; the cell
  // gives up by itself (a visible failure, not a hang) only far past it.
  const result = await sb.run(
    [
      "slow()",
      "const end = Date.now() + 30_000",
      "while (Date.now() < end);",
      "'ran past its timeout'",
    ].join("\n"),
    { functions },
  );
  assertEquals(result.value, undefined);
  assertEquals(result.lost, "timeout");
});

Deno.test("Sandbox.run() survives a cell that exhausts memory", async () => {
  await using sb = new Sandbox({ heapMb: 128, cellTimeout: 60 });
  const result = await sb.run(
    "const a = []; for (;;) a.push(new Array(1e6).fill(1))",
  );
  assertEquals(result.lost, "crash");
  assertStringIncludes(result.detail!, "out of memory");
  const next = await sb.run("1 + 1");
  assertEquals(next.value, "2");
});

Deno.test("Sandbox.run() survives a cell that builds a huge string", async () => {
  await using sb = new Sandbox({ heapMb: 256, cellTimeout: 60 });
  const result = await sb.run("let s = 'x'; for (;;) s += s");
  // V8 refuses the string (RangeError) or the heap cap ends the process;
  // either way the agent gets a result and the sandbox is usable after.
  assert(
    result.error?.name === "RangeError" || result.lost === "crash",
    `unexpected result ${JSON.stringify(result)}`,
  );
  assertEquals((await sb.run("'ok'")).value, "ok");
});

Deno.test("Sandbox.run() reports a sandbox process killed from outside", async () => {
  await using sb = new Sandbox({ cellTimeout: 60 });
  await sb.run("0");
  const pid = sb.pid!;
  const running = sb.run("await new Promise(() => {})");
  await new Promise((r) => setTimeout(r, 100));
  Deno.kill(pid, "SIGKILL");
  const result = await running;
  assertEquals(result.lost, "crash");
  assertStringIncludes(result.detail!, "SIGKILL");
  assertEquals((await sb.run("'back'")).value, "back");
});

Deno.test("Sandbox.run() interrupts a busy cell when the signal aborts", async () => {
  await using sb = new Sandbox({ cellTimeout: 60 });
  const controller = new AbortController();
  // Abort once the cell is running (it says so first).
  const result = await sb.run("print('spinning')\nfor (;;) {}", {
    signal: controller.signal,
    onOutput: () => controller.abort(),
  });
  assertEquals(result.lost, "interrupt");
  assertEquals((await sb.run("'fresh'")).value, "fresh");
});

Deno.test("Sandbox.run() interrupts a host call and keeps state", async () => {
  await using sb = new Sandbox({ cellTimeout: 60 });
  await sb.run("const kept = 'yes'");
  const controller = new AbortController();
  let sawAbort = false;
  const functions: Record<string, HostFunction> = {
    wait: (_args, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => {
          sawAbort = true;
          reject(new DOMException("Interrupted by the user", "AbortError"));
        });
      }),
  };
  const running = sb.run("wait()", { functions, signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const result = await running;
  assert(sawAbort, "the host function saw the abort");
  assertEquals(result.error?.name, "AbortError");
  assertEquals(result.lost, undefined);
  assertEquals((await sb.run("kept")).value, "yes");
});

Deno.test("Sandbox.run() restarts the REPL when the sandbox's own memory watch sees ArrayBuffers over the limit (systems without /proc)", async () => {
  const selfWatching = {
    heapMb: 256,
    sharedBytes: 1 << 20,
    memoryMb: 300,
    selfWatch: true,
  };
  // The sandbox watches itself at 300 MiB; the agent's own watch is set
  // far higher, so the breach is the sandbox's report.
  await using sb = new Sandbox({
    cellTimeout: 60,
    memoryMb: 4096,
    command: {
      path: Deno.execPath(),
      args: sandboxArgs(selfWatching),
      env: { NO_COLOR: "1" },
      prelude: sandboxPrelude(selfWatching),
    },
  });
  await sb.run("const kept = 1");
  const result = await sb.run(
    "const held = []\nfor (let i = 0; i < 8; i++) { held.push(new Uint8Array(64 << 20).fill(1)); await new Promise((r) => setTimeout(r, 100)) }",
  );
  assertEquals(result.lost, "memory");
  assertStringIncludes(result.detail!, "MiB of memory, over its limit");
  assertEquals((await sb.run("typeof kept")).value, "undefined");
});
