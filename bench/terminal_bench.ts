/**
 * Terminal benchmarks (issue 12): how long a typed key takes to show on the
 * screen (its echo in the input line), at an idle prompt and during a busy
 * turn (reasoning streaming in, then a command printing output live), on a
 * real pty. The goal is one frame, 16 ms.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type Figure, median } from "./lib.ts";

const deno = Deno.execPath();
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** A model server whose first reply streams slowly and runs a chatty command. */
function busyServer() {
  let n = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (req) => {
    await req.text();
    // nanocode asks a local server's /models for the model's limits first.
    if (req.method === "GET") {
      return Response.json({ object: "list", data: [{ id: "m" }] });
    }
    n++;
    const encoder = new TextEncoder();
    const chunk = (content: string, finish: string | null = null) =>
      encoder.encode(`data: ${
        JSON.stringify({
          id: "c",
          object: "chat.completion.chunk",
          created: 0,
          model: "m",
          choices: [{ index: 0, delta: { content }, finish_reason: finish }],
        })
      }\n\n`);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        if (n === 1) {
          for (let i = 0; i < 150; i++) {
            controller.enqueue(chunk(`Considering part ${i} of the task.\n`));
            await new Promise((r) => setTimeout(r, 10));
          }
          controller.enqueue(chunk(
            "```js\nprint(run_bash('for i in $(seq 1 300); do echo output line $i; sleep 0.01; done'))\n```",
          ));
        } else controller.enqueue(chunk("```js\nSUBMIT('done')\n```"));
        controller.enqueue(chunk("", "stop"));
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    close: () => server.shutdown(),
  };
}

/** A nanocode session on a pty whose output can be awaited. */
function session(env: Record<string, string>, cwd: string) {
  const child = new Deno.Command("script", {
    args: [
      "-qfec",
      `stty cols 120 rows 40; exec ${deno} run -A ${MAIN}`,
      "/dev/null",
    ],
    cwd,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  let output = "";
  const waiter: { wake: (() => void) | null } = { wake: null };
  (async () => {
    const decoder = new TextDecoder();
    for await (const bytes of child.stdout) {
      output += decoder.decode(bytes, { stream: true });
      waiter.wake?.();
    }
  })();
  const waitFor = async (text: string, from: number, ms = 30_000) => {
    const end = performance.now() + ms;
    while (!output.slice(from).includes(text)) {
      if (performance.now() > end) throw new Error(`never saw ${text}`);
      await new Promise<void>((r) => {
        waiter.wake = r;
        setTimeout(r, 50);
      });
    }
    return performance.now();
  };
  return {
    get length() {
      return output.length;
    },
    send: (text: string) => writer.write(new TextEncoder().encode(text)),
    waitFor,
    async close() {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
    },
  };
}

/** Types `count` letters one at a time; returns each one's echo delay in ms. */
async function echoDelays(
  pty: ReturnType<typeof session>,
  count: number,
  gapMs: number,
): Promise<number[]> {
  const delays: number[] = [];
  let typed = "";
  for (let i = 0; i < count; i++) {
    const letter = "abcdefghijklmnopqrstuvwxyz"[i % 26];
    typed += letter;
    const from = pty.length;
    const sent = performance.now();
    await pty.send(letter);
    const seen = await pty.waitFor(typed, from);
    delays.push(seen - sent);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return delays;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs the terminal benchmarks and returns their figures. */
export async function terminalBench(): Promise<Figure[]> {
  const home = await Deno.makeTempDir({ prefix: "nanocode-bench-home-" });
  const work = await Deno.makeTempDir({ prefix: "nanocode-bench-work-" });
  const server = busyServer();
  const env = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: home,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    TERM: "xterm-256color",
    NANOCODE_API_BASE: server.url,
    NANOCODE_LM: "openai/m",
    OPENAI_API_KEY: "k",
    NANOCODE_PERMISSION_MODE: "yolo",
  };
  const pty = session(env, work);
  try {
    await pty.waitFor("❯", 0);
    await new Promise((r) => setTimeout(r, 1500));
    const idle = await echoDelays(pty, 20, 30);
    await pty.send("\x15go\r");
    await pty.waitFor("Considering part 5", 0);
    const busy = await echoDelays(pty, 40, 40);
    await pty.waitFor("output line 200", 0);
    const busyOutput = await echoDelays(pty, 20, 40);
    const all = [...busy, ...busyOutput];
    return [
      {
        name: "keystroke echo at an idle prompt (median, pty)",
        value: median(idle),
        baseline: 16,
        baselineName: "goal: one frame",
        unit: "ms",
        limit: 1,
      },
      {
        name: "keystroke echo during a busy turn (median, pty)",
        value: median(all),
        baseline: 16,
        baselineName: "goal: one frame",
        unit: "ms",
        limit: 1,
      },
      {
        name: "keystroke echo during a busy turn (95th percentile)",
        value: percentile(all, 0.95),
        baseline: 16,
        baselineName: "goal: one frame",
        unit: "ms",
        limit: 1,
      },
    ];
  } finally {
    await pty.close();
    await server.close();
    await Deno.remove(home, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
}
