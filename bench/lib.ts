/**
 * Small helpers for the benchmarks: repeated timing, medians, process
 * memory, and the results table.
 *
 * @module
 */

/** One measured figure compared with its baseline from the same run. */
export interface Figure {
  /** What was measured. */
  name: string;
  /** The measured value. */
  value: number;
  /** The baseline's value, measured in the same run. */
  baseline: number;
  /** What the baseline is. */
  baselineName: string;
  /** Unit of both values (`ms`, `MiB`, ...). */
  unit: string;
  /** The ratio value / baseline must stay at or under this. */
  limit: number;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs); returns the median in ms. */
export async function timeMedian(
  runs: number,
  fn: () => Promise<unknown> | unknown,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Times `value` and `baseline` in turn (A B, B A, A B, ...), so a machine
 * whose speed drifts during the run moves both alike and neither always
 * runs second; returns each median in ms.
 */
export async function timePair(
  runs: number,
  value: () => Promise<unknown> | unknown,
  baseline: () => Promise<unknown> | unknown,
  warmup = 1,
): Promise<{ value: number; baseline: number }> {
  const timed = (fn: () => unknown) => async () => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  return await measurePair(runs, timed(value), timed(baseline), warmup);
}

/**
 * Like {@linkcode timePair}, for figures each function measures itself (a
 * per-call time, a difference of two timings): runs them in turn and
 * returns the median of what each returned.
 */
export async function measurePair(
  runs: number,
  value: () => Promise<number>,
  baseline: () => Promise<number>,
  warmup = 1,
): Promise<{ value: number; baseline: number }> {
  for (let i = 0; i < warmup; i++) {
    await value();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A B, then B A: whichever runs second is not always the same one.
    if (i % 2 === 0) {
      a.push(await value());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      a.push(await value());
    }
  }
  return { value: median(a), baseline: median(b) };
}

/** Resident set size of a process in MiB, from /proc. */
export function rssMiB(pid: number | "self" = "self"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Peak resident set size of a process in MiB, from /proc. */
export function peakRssMiB(pid: number | "self" = "self"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Formats the figures as a table with ratios and verdicts. */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const ratio = f.value / f.baseline;
    return [
      f.name,
      `${f.value.toFixed(2)} ${f.unit}`,
      `${f.baselineName}: ${f.baseline.toFixed(2)} ${f.unit}`,
      `${ratio.toFixed(2)}x`,
      `<= ${f.limit}x`,
      ratio <= f.limit ? "ok" : "OVER",
    ];
  });
  const head = ["measure", "value", "baseline", "ratio", "target", ""];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)]
    .join("\n");
}

/** A temporary file holding `source`, removed by the returned function. */
export async function tempScript(
  source: string,
): Promise<[string, () => Promise<void>]> {
  const path = await Deno.makeTempFile({ suffix: ".js" });
  await Deno.writeTextFile(path, source);
  return [path, () => Deno.remove(path)];
}

/** Wall time in ms of running a command to completion. */
export async function timeCommand(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "null",
    env,
  }).output();
  const ms = performance.now() - start;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed with code ${out.code}`);
  }
  return ms;
}

/** Pids of `root` and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry.name));
      children.set(ppid, list);
    } catch { /* exited */ }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function readOr(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is a child caught between fork and exec: it still runs its
 * parent's program (the same command line) and, spawned with `CLONE_VM` as
 * Deno spawns, shares its parent's memory, which its smaps would count a
 * second time in full.
 */
function preExecClone(pid: number): boolean {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return false;
  const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  const own = readOr(`/proc/${pid}/cmdline`);
  return own !== null && own === readOr(`/proc/${ppid}/cmdline`);
}

/**
 * Memory of a process tree in MiB: the sum of RSS (which counts pages the
 * processes share, such as the deno binary, once per process) and the sum
 * of PSS (which splits shared pages between the processes sharing them).
 * A child caught before its `exec` is left out: its memory is its parent's.
 */
export function treeMemory(root: number): { rss: number; pss: number } {
  const [first, ...rest] = processTree(root);
  return pidsMemory([first, ...rest.filter((pid) => !preExecClone(pid))]);
}

let sealedNoted = false;

function statusRssKib(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function pidsMemory(pids: number[]): { rss: number; pss: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    try {
      const text = Deno.readTextFileSync(`/proc/${pid}/smaps_rollup`);
      rss += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    } catch (error) {
      if (!(error instanceof Deno.errors.PermissionDenied)) continue; // exited
      // nanocode seals itself (src/exec/seal.ts): as an ordinary user its
      // smaps are closed to the bench, its status is not. Its PSS is
      // counted as its RSS then (an upper bound).
      const kib = statusRssKib(pid);
      rss += kib;
      pss += kib;
      if (kib && !sealedNoted) {
        sealedNoted = true;
        console.error(
          "(a sealed nanocode process: its PSS is counted as its RSS; run the bench as root for PSS)",
        );
      }
    }
  }
  return { rss: rss / 1024, pss: pss / 1024 };
}

/** Samples {@linkcode treeMemory} every `ms` until stopped; returns the peaks. */
export function sampleTree(
  root: number,
  ms = 10,
): () => { rss: number; pss: number } {
  let peak = { rss: 0, pss: 0 };
  const timer = setInterval(() => {
    const now = treeMemory(root);
    peak = {
      rss: Math.max(peak.rss, now.rss),
      pss: Math.max(peak.pss, now.pss),
    };
  }, ms);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** SSE body of one instant streamed completion with `text`. */
export function sse(text: string): string {
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null,
    usage?: unknown,
  ) =>
    `data: ${
      JSON.stringify({
        id: "c",
        object: "chat.completion.chunk",
        created: 0,
        model: "main-model",
        choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
        ...(usage ? { usage } : {}),
      })
    }\n\n`;
  return chunk({ role: "assistant", content: text }, null) + chunk({}, "stop") +
    chunk({}, null, {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
    }) + "data: [DONE]\n\n";
}

/**
 * A model server that answers at once: every reply is a cell, and every
 * `steps`-th one submits. Reports its own busy time.
 */
export function instantServer(steps: number) {
  let n = 0;
  let busyMs = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (req) => {
    const start = performance.now();
    await req.text();
    // nanocode asks a local server's /models for the model's limits first.
    if (req.method === "GET") {
      return Response.json({ object: "list", data: [] });
    }
    n++;
    const code = n % steps === 0 ? "SUBMIT('done')" : `print(${n})`;
    const body = sse(`Step ${n}.\n\n\`\`\`js\n${code}\n\`\`\``);
    busyMs += performance.now() - start;
    return new Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    busyMs: () => busyMs,
    reset: () => {
      busyMs = 0;
    },
    close: () => server.shutdown(),
  };
}
