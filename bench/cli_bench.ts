/**
 * Command-line benchmarks (issue 4): `--version`, launch to the first model
 * request, launch to the interactive prompt, peak memory of a one-shot, and
 * memory growth over 100 turns, each against a baseline from the same run.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  type Figure,
  instantServer,
  median,
  sampleTree,
  tempScript,
  timeCommand,
  timeMedian,
} from "./lib.ts";

const deno = Deno.execPath();
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A server that records when the first chat request arrived, then answers at once. */
function firstRequestServer() {
  let resolveFirst: (t: number) => void = () => {};
  let first = new Promise<number>((r) => (resolveFirst = r));
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (req) => {
    await req.text();
    // nanocode asks a local server's /models for the model's limits first.
    if (req.method === "GET") {
      return Response.json({
        object: "list",
        data: [{ id: "m", object: "model" }],
      });
    }
    resolveFirst(performance.now());
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${
        JSON.stringify({
          id: "c",
          object: "chat.completion.chunk",
          created: 0,
          model: "m",
          choices: [{ index: 0, delta, finish_reason: finish }],
        })
      }\n\n`;
    const body =
      chunk({ role: "assistant", content: "```js\nSUBMIT('ok')\n```" }, null) +
      chunk({}, "stop") + "data: [DONE]\n\n";
    return new Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    next() {
      first = new Promise<number>((r) => (resolveFirst = r));
    },
    first: () => first,
    close: () => server.shutdown(),
  };
}

/** Spawns a command; returns ms from spawn to the server's first request. */
async function launchToRequest(
  args: string[],
  server: ReturnType<typeof firstRequestServer>,
  env: Record<string, string>,
  cwd: string,
): Promise<number> {
  server.next();
  const start = performance.now();
  const child = new Deno.Command(deno, {
    args,
    cwd,
    env,
    stdout: "null",
    stderr: "null",
    stdin: "null",
  }).spawn();
  const at = await server.first();
  await child.status;
  return at - start;
}

/**
 * ms from spawning `script` around a command until each marker shows on the
 * terminal (in the order given; the command is killed after the last).
 */
async function launchToScreen(
  command: string,
  markers: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<number[]> {
  const start = performance.now();
  const child = new Deno.Command("script", {
    args: ["-qfec", `stty cols 100 rows 40; exec ${command}`, "/dev/null"],
    cwd,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let seen = "";
  const at: number[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    seen += decoder.decode(chunk, { stream: true });
    while (at.length < markers.length && seen.includes(markers[at.length])) {
      at.push(performance.now() - start);
    }
    if (at.length === markers.length) {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }
  }
  await child.stdin.close().catch(() => {});
  await child.status;
  if (at.length < markers.length) {
    throw new Error(`never saw ${markers[at.length]}: ${seen.slice(0, 500)}`);
  }
  return at;
}

/** Runs the CLI benchmarks and returns their figures. */
export async function cliBench(): Promise<Figure[]> {
  const home = await Deno.makeTempDir({ prefix: "nanocode-bench-home-" });
  const work = await Deno.makeTempDir({ prefix: "nanocode-bench-work-" });
  const env = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: home,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    TERM: "xterm-256color",
  };
  const [hello, cleanHello] = await tempScript("console.log('hi')");
  const [openaiScript, cleanOpenai] = await tempScript(
    `import OpenAI from "npm:openai@7.55.0";
const client = new OpenAI({ baseURL: Deno.args[0], apiKey: "k", maxRetries: 0 });
const stream = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
for await (const _ of stream) { /* drain */ }`,
  );
  const [idle, cleanIdle] = await tempScript(
    "console.log('ready ❯'); await new Promise((r) => setTimeout(r, 60000));",
  );
  const server = firstRequestServer();
  try {
    const runs = 9;
    const bare = await timeMedian(
      runs,
      () => timeCommand(deno, ["run", "--no-prompt", hello], env),
      2,
    );
    const version = await timeMedian(
      runs,
      () => timeCommand(deno, ["run", "-A", MAIN, "--version"], env),
      2,
    );

    const lmEnv = {
      ...env,
      NANOCODE_API_BASE: server.url,
      NANOCODE_LM: "openai/m",
      OPENAI_API_KEY: "k",
    };
    const times = async (args: string[], e: Record<string, string>) => {
      const out: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const t = await launchToRequest(args, server, e, work);
        if (i >= 2) out.push(t);
      }
      return median(out);
    };
    const bareOpenai = await times(
      ["run", "-A", openaiScript, server.url],
      env,
    );
    const headless = await times(["run", "-A", MAIN, "say ok"], lmEnv);

    const screenRuns = 7;
    const promptTimes: number[] = [];
    const bannerTimes: number[] = [];
    const bareScreen: number[] = [];
    for (let i = 0; i < screenRuns + 1; i++) {
      const [b] = await launchToScreen(
        `${deno} run --no-prompt ${idle}`,
        ["ready"],
        env,
        work,
      );
      // The prompt, drawn before the program loads, then the banner the
      // loaded session draws above it.
      const [p, banner] = await launchToScreen(
        `${deno} run -A ${MAIN}`,
        ["❯", "Type a task"],
        lmEnv,
        work,
      );
      if (i > 0) {
        bareScreen.push(b);
        promptTimes.push(p);
        bannerTimes.push(banner);
      }
    }
    console.error(
      `  on a pty: prompt at ${
        median(promptTimes).toFixed(1)
      } ms, the loaded session's banner at ${
        median(bannerTimes).toFixed(1)
      } ms, a bare deno print at ${median(bareScreen).toFixed(1)} ms`,
    );

    // Peak memory of the whole tree during a scripted one-shot.
    const child = new Deno.Command(deno, {
      args: ["run", "-A", MAIN, "say ok"],
      cwd: work,
      env: lmEnv,
      stdout: "null",
      stderr: "null",
    }).spawn();
    server.next();
    const stop = sampleTree(child.pid, 5);
    await child.status;
    const oneShot = stop();

    // Memory growth over 100 turns of 3 steps each in one session.
    const turnServer = instantServer(3);
    const turns = await new Deno.Command(deno, {
      args: [
        "run",
        "-A",
        fileURLToPath(new URL("./turn_child.ts", import.meta.url)),
        turnServer.url,
        "100",
      ],
      cwd: ROOT,
      env,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const report = JSON.parse(new TextDecoder().decode(turns.stdout)) as {
      rssAfterTurns: number[];
    };
    await turnServer.close();
    const after10 = report.rssAfterTurns[9];
    const after100 = report.rssAfterTurns[99];

    return [
      {
        name: "nanocode --version",
        value: version,
        baseline: bare,
        baselineName: "bare deno run (print)",
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "headless launch to first model request",
        value: headless,
        baseline: bareOpenai,
        baselineName: "bare script: npm:openai, one streamed call",
        unit: "ms",
        limit: 1.3,
      },
      {
        name: "launch to interactive prompt (on a pty)",
        value: median(promptTimes),
        baseline: median(bareScreen),
        baselineName: "bare deno run (print) on a pty",
        unit: "ms",
        limit: 2,
      },
      {
        name: "one-shot peak memory of the tree (PSS sum)",
        value: oneShot.pss,
        baseline: 110,
        baselineName: "target",
        unit: "MiB",
        limit: 1,
      },
      {
        name: "one-shot peak memory of the tree (RSS sum)",
        value: oneShot.rss,
        baseline: 110,
        baselineName: "target",
        unit: "MiB",
        limit: 1,
      },
      {
        name:
          "agent RSS after 100 turns of 3 steps vs after 10 (+20 MiB allowed)",
        value: after100,
        baseline: after10 + 20,
        baselineName: `after 10 turns (${after10.toFixed(1)} MiB) + 20`,
        unit: "MiB",
        limit: 1,
      },
    ];
  } finally {
    await server.close();
    await Promise.all([cleanHello(), cleanOpenai(), cleanIdle()]);
    await Deno.remove(home, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
}
