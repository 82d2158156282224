/**
 * Host functions with dotted names live in nested objects of the REPL's
 * global scope, with their `.help` text; they go when a cell no longer
 * has them.
 */

import { assertEquals } from "../helpers/assert.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { HostFunction } from "../../src/sandbox/types.ts";

Deno.test("Sandbox.run() reaches dotted host functions through nested objects, with .help", async () => {
  await using sandbox = new Sandbox({ cellTimeout: 10 });
  const twice: HostFunction = Object.assign(
    (args: unknown[]) => (args[0] as { n: number }).n * 2,
    { help: "ns.math.twice(args: { n: number }): number" },
  );
  const functions = { "ns.math.twice": twice, "ns.other": () => "o" };
  const first = await sandbox.run(
    "print(ns.math.twice({ n: 21 }), ns.other())\nns.math.twice.help",
    { functions },
  );
  assertEquals(first.error, undefined);
  assertEquals(first.output, "42 o\n");
  assertEquals(first.value, "ns.math.twice(args: { n: number }): number");
  // Reassigning the namespace does not lose the functions in the next cell.
  await sandbox.run("ns = {}", { functions });
  const again = await sandbox.run("ns.math.twice({ n: 2 })", { functions });
  assertEquals(again.value, "4");
  const gone = await sandbox.run("typeof ns.math.twice", {
    functions: { "ns.other": () => "o" },
  });
  assertEquals(gone.value, "undefined");
});
