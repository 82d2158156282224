import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import {
  backoffDelay,
  idleFetch,
  IdleTimeoutError,
  retryAfterMs,
  sleep,
} from "../../src/lm/retry.ts";
import { startLmServer } from "../helpers/lm_server.ts";

Deno.test("backoffDelay() doubles per retry and caps at maxMs when there is no jitter", () => {
  const options = { baseMs: 1000, maxMs: 30_000, random: () => 0 };
  assertEquals([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, options)), [
    1000,
    2000,
    4000,
    8000,
    16_000,
    30_000,
    30_000,
  ]);
});

Deno.test("backoffDelay() takes off at most 25 % when jitter is drawn", () => {
  assertEquals(
    backoffDelay(1, { baseMs: 1000, maxMs: 30_000, random: () => 0.999999 }),
    750,
  );
  for (let i = 0; i < 100; i++) {
    const delay = backoffDelay(3, { baseMs: 100, maxMs: 30_000 });
    assert(delay >= 300 && delay <= 400, `delay ${delay}`);
  }
});

Deno.test("retryAfterMs() reads seconds, milliseconds and HTTP dates when present", () => {
  assertEquals(retryAfterMs(new Headers({ "retry-after": "2" })), 2000);
  assertEquals(retryAfterMs(new Headers({ "retry-after": "0" })), 0);
  assertEquals(
    retryAfterMs(new Headers({ "retry-after-ms": "150", "retry-after": "9" })),
    150,
  );
  const now = () => Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
  assertEquals(
    retryAfterMs(
      new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:05 GMT" }),
      now,
    ),
    5000,
  );
  assertEquals(
    retryAfterMs(
      new Headers({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }),
      now,
    ),
    0,
  );
});

Deno.test("retryAfterMs() returns undefined when the headers ask for nothing readable", () => {
  assertEquals(retryAfterMs(undefined), undefined);
  assertEquals(retryAfterMs(new Headers()), undefined);
  assertEquals(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
  assertEquals(retryAfterMs(new Headers({ "retry-after": "-1" })), undefined);
});

Deno.test("sleep() rejects with the reason when the signal aborts", async () => {
  const controller = new AbortController();
  const waiting = sleep(60_000, controller.signal);
  controller.abort(new RangeError("stop"));
  await assertRejects(() => waiting, RangeError, "stop");
  await assertRejects(
    () => sleep(10, AbortSignal.abort(new RangeError("early"))),
    RangeError,
    "early",
  );
  await sleep(1, controller.signal.aborted ? undefined : controller.signal);
});

Deno.test("idleFetch() fails with IdleTimeoutError when the server sends no headers in time", async () => {
  await using server = await startLmServer([{ text: "late", delayMs: 30_000 }]);
  const fetchIdle = idleFetch(50);
  await assertRejects(
    () =>
      fetchIdle(`${server.url}/chat/completions`, {
        method: "POST",
        body: "{}",
      }),
    IdleTimeoutError,
  );
});

Deno.test("idleFetch() fails the body with IdleTimeoutError when the server stalls", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b"],
    hangAfterChunks: 1,
  }]);
  const res = await idleFetch(50)(`${server.url}/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ stream: true }),
  });
  await assertRejects(() => res.text(), IdleTimeoutError);
});

Deno.test("idleFetch() passes the body through when it arrives in time", async () => {
  await using server = await startLmServer([{ text: "hi" }]);
  const res = await idleFetch(5_000)(`${server.url}/chat/completions`, {
    method: "POST",
    body: "{}",
  });
  assertEquals(res.status, 200);
  assertEquals((await res.json()).choices[0].message.content, "hi");
});
