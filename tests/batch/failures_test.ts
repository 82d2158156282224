import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { codeReply, startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { plainCommandRunner } from "../../src/batch/commands.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { OpenAiLm } from "../../src/lm/client.ts";
import { ResultsFile } from "../../src/batch/results_file.ts";
import { Throttle } from "../../src/batch/throttle.ts";
import type { BatchTask } from "../../src/batch/types.ts";
import {
  byTask,
  recordingReporter,
  testContext,
  writeFilePlay,
} from "./_fixtures.ts";
import { gate } from "./_cli.ts";

function task(id: string, extra: Partial<BatchTask> = {}): BatchTask {
  return { id, task: `[task ${id}] Write the file task-${id}.txt.`, ...extra };
}

/** Command lines of running processes that contain `needle`. */
async function processesWith(needle: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmd = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`))
        .replaceAll("\0", " ");
      if (cmd.includes(needle)) found.push(cmd);
    } catch {
      // gone
    }
  }
  return found;
}

Deno.test("runLocalBatch() times out a task whose model, setup or verify hangs, and kills what it started", async () => {
  await using work = await tempDir();
  const never = gate();
  await using server = await startLmServer(byTask(async (id, step) => {
    if (id === "model-hangs") await never.promise;
    return writeFilePlay(id, step);
  }));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter } = recordingReporter();
  try {
    const run = await runLocalBatch({
      tasks: [
        task("model-hangs"),
        task("setup-hangs", { setup: "sleep 987.651" }),
        task("verify-hangs", { verify: "sleep 987.652 & sleep 987.653" }),
        task("quick"),
      ],
      results,
      reporter,
      context: testContext(server.url, work.path, {
        limits: { timeoutMs: 2000, maxCost: null },
      }),
    });
    assertEquals(run.summary.timeout, 3);
    assertEquals(run.summary.done, 1);
  } finally {
    never.open();
    results.close();
  }
  const byId = new Map(
    (await work.read("results.jsonl")).trim().split("\n").map((l) => {
      const r = JSON.parse(l);
      return [r.id, r];
    }),
  );
  for (const id of ["model-hangs", "setup-hangs", "verify-hangs"]) {
    const r = byId.get(id)!;
    assertEquals(r.status, "timeout", id);
    assertEquals(r.error.cause, "timeout");
    assertStringIncludes(r.error.message, "ran past its 2 s budget");
    assertEquals(r.verify_exit, null);
  }
  // The verify that hung ran after the agent: its diff is kept.
  assertStringIncludes(byId.get("verify-hangs")!.diff, "task-verify-hangs.txt");
  assertEquals(byId.get("quick")!.status, "done");
  assertEquals(await processesWith("sleep 987.65"), []);
});

Deno.test("a daemon that setup or verify forks does not outlive its command, sandboxed or not", async () => {
  for (const commands of [undefined, plainCommandRunner]) {
    await using work = await tempDir();
    await using server = await startLmServer(byTask(writeFilePlay));
    const results = await ResultsFile.open(join(work.path, "results.jsonl"));
    try {
      await runLocalBatch({
        tasks: [
          task("setsid", {
            setup: "setsid sleep 987.661 >/dev/null 2>&1 </dev/null & echo up",
          }),
          task("nohup", {
            verify: "nohup sleep 987.662 >/dev/null 2>&1 </dev/null & true",
          }),
        ],
        results,
        reporter: recordingReporter().reporter,
        context: testContext(
          server.url,
          work.path,
          commands ? { commands } : {},
        ),
      });
    } finally {
      results.close();
    }
    assertEquals(results.finished.get("setsid")?.status, "done");
    assertEquals(results.finished.get("nohup")?.verify_exit, 0);
    assertEquals(await processesWith("sleep 987.66"), []);
  }
});

Deno.test("runLocalBatch() stops a task that goes over its cost budget", async () => {
  await using work = await tempDir();
  // Each reply costs $0.02 (OpenRouter reports usage.cost); the spender never submits.
  await using server = await startLmServer(byTask((id, step) => {
    const usage = { prompt_tokens: 900, completion_tokens: 60, cost: 0.02 };
    if (id === "spender") {
      return {
        text: codeReply(`Let me check attempt ${step}.`, `print(${step})`),
        usage,
      };
    }
    return { ...writeFilePlay(id, step), usage };
  }));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter } = recordingReporter();
  await runLocalBatch({
    tasks: [task("spender"), task("thrifty")],
    results,
    reporter,
    context: testContext(server.url, work.path, {
      limits: { timeoutMs: 120_000, maxCost: 0.05 },
    }),
  });
  results.close();
  const spender = results.finished.get("spender")!;
  assertEquals(spender.status, "failed");
  assertEquals(spender.error?.cause, "budget");
  assertStringIncludes(spender.error!.message, "over its $0.05 budget");
  assertEquals(spender.usage.lmCalls, 3);
  assert(Math.abs(spender.cost! - 0.06) < 1e-9, `cost ${spender.cost}`);
  const thrifty = results.finished.get("thrifty")!;
  assertEquals(thrifty.status, "done");
  assert(Math.abs(thrifty.cost! - 0.04) < 1e-9);
  // The model was not asked again after the budget ran out.
  const spenderCalls = server.requests.filter((r) =>
    JSON.stringify(r.body.messages?.[1] ?? "").includes("[task spender]")
  );
  assertEquals(spenderCalls.length, 3);
});

/** OpenAI's 429 for a requests-per-minute limit, with its headers. */
const RATE_LIMITED = {
  status: 429,
  errorBody: {
    error: {
      message:
        "Rate limit reached for gpt-4o in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 15ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
  },
  headers: {
    "retry-after-ms": "15",
    "x-ratelimit-limit-requests": "3",
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": "15ms",
  },
};

Deno.test("runLocalBatch() slows down in a 429 storm and finishes every task", async () => {
  await using work = await tempDir();
  let storm = 16;
  await using server = await startLmServer(byTask((id, step) => {
    if (storm > 0) {
      storm--;
      return RATE_LIMITED;
    }
    return writeFilePlay(id, step);
  }));
  const ids = ["a", "b", "c", "d", "e", "f"];
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter, seen } = recordingReporter();
  const throttle = new Throttle(4);
  const limits: number[] = [];
  throttle.listen((change) => limits.push(change.limit));
  const run = await runLocalBatch({
    tasks: ids.map((id) => task(id, { verify: `test -f task-${id}.txt` })),
    results,
    reporter,
    context: testContext(server.url, work.path, { throttle }),
  });
  results.close();
  assertEquals(storm, 0, "the storm was used up");
  assertEquals(run.summary.done, 6, JSON.stringify(run.summary.causes));
  assertEquals(run.summary.verify.passed, 6);
  assertEquals(run.summary.failed, 0);
  assert(throttle.rateLimits > 0);
  assert(run.summary.throttle!.lowest < 4, "the batch slowed down");
  assert(limits[0] === 2, `the first 429 halved the limit: ${limits}`);
  // Tasks the provider rate-limited to failure went back in line, not into the results as failures.
  for (const id of seen.requeued) {
    assertEquals(results.finished.get(id)?.status, "done");
  }
});

Deno.test("runLocalBatch() records a task failed when the provider says the quota is used up", async () => {
  await using work = await tempDir();
  await using server = await startLmServer(byTask(() => ({
    status: 429,
    errorBody: {
      error: {
        message:
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    },
  })));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter, seen } = recordingReporter();
  const context = testContext(server.url, work.path);
  // No waiting between the client's own retries in this test.
  context.lmFactory = (config, model, env, onRetry) =>
    new OpenAiLm({
      model,
      apiBase: config.api_base,
      env,
      onRetry,
      retryBaseMs: 1,
      maxRetries: 1,
    });
  await runLocalBatch({ tasks: [task("q")], results, reporter, context });
  results.close();
  assertEquals(
    seen.requeued,
    [],
    "a used-up quota does not come back by waiting",
  );
  const r = results.finished.get("q")!;
  assertEquals(r.status, "failed");
  assertEquals(r.error?.cause, "rate_limit");
  assertStringIncludes(r.error!.message, "exceeded your current quota");
});
