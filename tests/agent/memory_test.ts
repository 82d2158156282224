import { assert } from "../helpers/assert.ts";

Deno.test("CodingAgent.forward() keeps no memory from turn to turn (live heap after 100 turns ≈ after 10)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL("./_heap_child.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = new TextDecoder().decode(out.stdout).trim();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const live = JSON.parse(report) as Record<string, number>;
  // 90 more turns (270 model calls and cells) may keep the history and
  // little else: a leak of even 10 KiB a step would show as ~3 MiB.
  const growth = live["100"] - live["10"];
  assert(
    growth < 2,
    `live heap grew ${
      growth.toFixed(2)
    } MiB between turn 10 and 100 (${report})`,
  );
});
