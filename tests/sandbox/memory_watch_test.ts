import { assert, assertEquals } from "../helpers/assert.ts";
import { procRss, watchMemory } from "../../src/sandbox/memory_watch.ts";

Deno.test("procRss() reads the resident memory of a running process, and null for a gone one", () => {
  const rss = procRss(Deno.pid);
  assert(rss !== null && rss > 1 << 20, `rss ${rss}`);
  assertEquals(procRss(2 ** 22 + 12345), null);
});

Deno.test("watchMemory() reports a breach once, then stops", async () => {
  const readings = [10, 20, 300, 400];
  const breaches: number[] = [];
  watchMemory(
    1,
    100,
    (rss) => breaches.push(rss),
    1,
    () => readings.shift() ?? 0,
  );
  // Wait for the breach however slowly timers fire on a busy machine, then
  // give the watch time for several more ticks: it must not read again.
  for (let i = 0; i < 1000 && breaches.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(breaches, [300]);
  assertEquals(readings, [400]);
});

Deno.test("watchMemory() stops when the process is gone", async () => {
  let reads = 0;
  const watch = watchMemory(1, 100, () => {}, 1, () => {
    reads++;
    return null;
  });
  for (let i = 0; i < 1000 && reads === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(reads, 1);
  watch.stop();
});
