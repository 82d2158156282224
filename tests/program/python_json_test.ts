import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { pythonJson, pythonString } from "../../src/program/python_json.ts";

Deno.test("pythonString() escapes non-ASCII as \\uXXXX with surrogate pairs when ensure_ascii applies", () => {
  assertEquals(pythonString("café 🙂"), '"caf\\u00e9 \\ud83d\\ude42"');
  assertEquals(
    pythonString('a"b\\c\n\r\t\b\f\u0001\u007f/'),
    '"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f/"',
  );
});

Deno.test("pythonJson() indents by two spaces and writes empty containers inline when nesting", () => {
  assertEquals(
    pythonJson({ a: [], b: {}, c: [1, { d: null }], e: true }),
    '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": null\n    }\n  ],\n  "e": true\n}',
  );
  assertEquals(pythonJson([]), "[]");
  assertEquals(pythonJson("x"), '"x"');
});

Deno.test("pythonJson() writes floats like Python's repr when numbers are not safe integers", () => {
  assertEquals(
    pythonJson([1e-5, 0.0001, 1.5e16, 2.5, 1e300, 9007199254740992, -0]),
    "[\n  1e-05,\n  0.0001,\n  1.5e+16,\n  2.5,\n  1e+300,\n  9007199254740992.0,\n  -0.0\n]",
  );
});

Deno.test("pythonJson() skips undefined values and refuses functions when they appear", () => {
  assertEquals(pythonJson({ a: undefined, b: 1 }), '{\n  "b": 1\n}');
  assertThrows(() => pythonJson({ f: () => 1 }), TypeError, "function");
});
