import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import {
  checkSignature,
  type Field,
  validateSubmission,
} from "../../src/rlm/signature.ts";

const two: Field[] = [
  { name: "answer", type: "string" },
  { name: "files", type: "array" },
];

Deno.test("validateSubmission() maps positional arguments to outputs", () => {
  assertEquals(validateSubmission(two, ["done", ["a.ts"]]), {
    ok: true,
    outputs: { answer: "done", files: ["a.ts"] },
  });
});

Deno.test("validateSubmission() accepts one object with every output by name", () => {
  assertEquals(validateSubmission(two, [{ answer: "x", files: [] }]), {
    ok: true,
    outputs: { answer: "x", files: [] },
  });
});

Deno.test("validateSubmission() names a missing output and how to call SUBMIT", () => {
  const result = validateSubmission(two, ["only answer"]);
  assertEquals(result.ok, false);
  if (!result.ok) {
    assertStringIncludes(result.message, "missing files");
    assertStringIncludes(result.message, "SUBMIT(answer, files)");
  }
});

Deno.test("validateSubmission() refuses a wrong type with the types expected", () => {
  const result = validateSubmission(two, ["x", "not a list"]);
  assertEquals(result.ok, false);
  if (!result.ok) {
    assertStringIncludes(result.message, "files must be an array, got string");
  }
});

Deno.test("validateSubmission() turns numbers into text for string outputs", () => {
  assertEquals(validateSubmission([{ name: "answer", type: "string" }], [42]), {
    ok: true,
    outputs: { answer: "42" },
  });
  const obj = validateSubmission([{ name: "answer", type: "string" }], [{
    a: 1,
  }]);
  assertEquals(obj.ok, false);
});

Deno.test("validateSubmission() checks integers and extra arguments", () => {
  const count: Field[] = [{ name: "count", type: "integer" }];
  assertEquals(validateSubmission(count, ["12"]), {
    ok: true,
    outputs: { count: 12 },
  });
  assertEquals(validateSubmission(count, [1.5]).ok, false);
  assertEquals(validateSubmission(count, [1, 2]).ok, false);
});

Deno.test("checkSignature() refuses names that are not identifiers or repeat", () => {
  assertThrows(
    () =>
      checkSignature({
        instructions: "",
        inputs: [{ name: "my task" }],
        outputs: [{ name: "a" }],
      }),
    TypeError,
    "not a JavaScript identifier",
  );
  assertThrows(
    () =>
      checkSignature({
        instructions: "",
        inputs: [{ name: "a" }],
        outputs: [{ name: "a" }],
      }),
    TypeError,
    "used twice",
  );
  assertThrows(
    () => checkSignature({ instructions: "", inputs: [], outputs: [] }),
    TypeError,
  );
});
