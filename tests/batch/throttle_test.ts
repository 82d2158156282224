import { assert, assertEquals } from "../helpers/assert.ts";
import { Throttle, type ThrottleChange } from "../../src/batch/throttle.ts";
import {
  type BatchReporter,
  plainReporter,
  terminalReporter,
} from "../../src/batch/progress.ts";
import { summarize } from "../../src/batch/summary.ts";
import { createStyle } from "../../src/ui/style.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";

Deno.test("Throttle halves its limit once per rate-limit pause and raises it one step per window of successes", () => {
  let now = 1000;
  const throttle = new Throttle(8, { now: () => now });
  const changes: ThrottleChange[] = [];
  throttle.listen((c) => changes.push(c));
  throttle.rateLimited(500);
  throttle.rateLimited(500); // same burst: no second halving
  assertEquals(throttle.limit, 4);
  now += 600;
  throttle.rateLimited(100);
  assertEquals(throttle.limit, 2);
  assertEquals(throttle.lowest, 2);
  assertEquals(throttle.rateLimits, 3);
  throttle.succeeded();
  assertEquals(throttle.limit, 2, "one success is not a window of 2");
  throttle.succeeded();
  assertEquals(throttle.limit, 3);
  for (let i = 0; i < 3 + 4 + 5 + 6 + 7; i++) throttle.succeeded();
  assertEquals(throttle.limit, 8, "back to the maximum, not past it");
  assertEquals(changes.filter((c) => c.reason === "rate limited").length, 3);
  assertEquals(changes.at(-1)?.limit, 8);
});

Deno.test("Throttle.acquire() holds calls past the limit and during a pause", async () => {
  // A clock that stands still until the test moves it: no race with a busy machine.
  let now = 0;
  const throttle = new Throttle(2, { now: () => now });
  const first = await throttle.acquire();
  const second = await throttle.acquire();
  let third = false;
  const waiting = throttle.acquire().then((release) => {
    third = true;
    return release;
  });
  await Promise.resolve();
  assertEquals(third, false, "a third call waits for a free slot");
  first();
  const release = await waiting;
  assert(third);
  second();
  release();
  // A pause holds new calls (even with free slots) until its timer ends it.
  throttle.rateLimited(20);
  let resumed = false;
  const paused = throttle.acquire().then((release) => {
    resumed = true;
    return release;
  });
  await new Promise((r) => setTimeout(r, 60));
  assertEquals(resumed, false, "held during the pause");
  now = 1_000;
  (await paused)();
  assert(resumed);
});

Deno.test("Throttle.acquire() gives up when its signal aborts", async () => {
  const throttle = new Throttle(1);
  const held = await throttle.acquire();
  const controller = new AbortController();
  const waiting = throttle.acquire(controller.signal);
  controller.abort(new Error("stopped"));
  const error = await waiting.then(() => null, (e) => e);
  assertEquals((error as Error).message, "stopped");
  held();
  (await throttle.acquire())();
});

function storm(reporter: BatchReporter): void {
  for (let i = 0; i < 5; i++) {
    reporter.throttled({ limit: 2, reason: "rate limited", pauseMs: 1000 });
  }
  reporter.throttled({ limit: 1, reason: "rate limited", pauseMs: 1000 });
  reporter.throttled({ limit: 1, reason: "rate limited", pauseMs: 1000 });
  reporter.throttled({ limit: 2, reason: "recovering", pauseMs: 0 });
  reporter.throttled({ limit: 2, reason: "rate limited", pauseMs: 1000 });
}

Deno.test("progress says a rate limit once per slow-down, not once per 429", () => {
  const plain = new MemoryOutput();
  storm(plainReporter(plain));
  assertEquals(plain.text.trim().split("\n"), [
    "nanocode: rate limited by the provider: at most 2 at once",
    "nanocode: rate limited by the provider: at most 1 at once",
    "nanocode: rate limited by the provider: at most 2 at once",
  ]);
  const terminal = new MemoryOutput(true);
  const reporter = terminalReporter(terminal, createStyle(false));
  reporter.start({ total: 4, pending: 4, concurrency: 4 });
  storm(reporter);
  reporter.finished(summarize([], new Map()), 0, false);
  const lines = terminal.text.split(/[\r\n]/).filter((l) => l.includes("⏸"));
  assertEquals(lines.length, 3, terminal.text);
});
