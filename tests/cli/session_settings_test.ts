import { assertEquals } from "../helpers/assert.ts";
import { notifyAfterMs, notifyMode } from "../../src/cli/session_settings.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("notifyMode: the environment wins over the config; a bad value warns and rings the bell", () => {
  const warnings: string[] = [];
  const warn = (w: string) => void warnings.push(w);
  assertEquals(notifyMode({}, env({}), warn), "bell");
  assertEquals(notifyMode({ notify: "off" }, env({}), warn), "off");
  assertEquals(
    notifyMode({ notify: "off" }, env({ NANOCODE_NOTIFY: "osc9" }), warn),
    "osc9",
  );
  assertEquals(notifyMode({ notify: "loud" }, env({}), warn), "bell");
  assertEquals(warnings.length, 1);
  assertEquals(warnings[0].includes('"loud"'), true);
});

Deno.test("notifyAfterMs: seconds from the environment or the config, 20 s by default; a bad value warns", () => {
  const warnings: string[] = [];
  const warn = (w: string) => void warnings.push(w);
  assertEquals(notifyAfterMs({}, env({}), warn), 20_000);
  assertEquals(notifyAfterMs({ notify_after: 0 }, env({}), warn), 0);
  assertEquals(notifyAfterMs({ notify_after: 1.5 }, env({}), warn), 1500);
  assertEquals(
    notifyAfterMs(
      { notify_after: 5 },
      env({ NANOCODE_NOTIFY_AFTER: " 60 " }),
      warn,
    ),
    60_000,
  );
  assertEquals(warnings, []);
  for (const bad of [-1, "soon", true, Infinity]) {
    assertEquals(notifyAfterMs({ notify_after: bad }, env({}), warn), 20_000);
  }
  assertEquals(
    notifyAfterMs({}, env({ NANOCODE_NOTIFY_AFTER: "later" }), warn),
    20_000,
  );
  assertEquals(warnings.length, 5);
  assertEquals(
    warnings[0],
    "notify_after must be a number of seconds (0 or more), not -1; using 20",
  );
});
