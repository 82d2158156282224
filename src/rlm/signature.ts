/**
 * Signatures: the named inputs and outputs of an RLM, and validation of
 * what the model passes to `SUBMIT`.
 *
 * @module
 */

/** Value types a field may declare. */
export type FieldType =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "array"
  | "object"
  | "any";

/** One input or output field. */
export interface Field {
  /** A JavaScript identifier: the REPL variable (inputs) or SUBMIT parameter (outputs). */
  name: string;
  /** Declared type; submitted outputs are checked (and coerced) against it. Default `any`. */
  type?: FieldType;
  /** Shown in the prompt next to the variable or SUBMIT parameter. */
  description?: string;
}

/** What an RLM takes and produces, plus its task instructions. */
export interface Signature {
  /** Task instructions shown at the top of the system prompt. */
  instructions: string;
  /** Fields whose values `run` sets as REPL variables of the same name. */
  inputs: Field[];
  /** Fields the model passes to `SUBMIT`, in order; at least one. */
  outputs: Field[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks a signature: field names must be distinct JavaScript identifiers
 * and there must be at least one output.
 *
 * @throws {TypeError} naming the offending field.
 * @example
 * ```ts
 * import { checkSignature } from "./signature.ts";
 * checkSignature({ instructions: "", inputs: [{ name: "task" }], outputs: [{ name: "answer" }] });
 * ```
 */
export function checkSignature(signature: Signature): void {
  if (signature.outputs.length === 0) {
    throw new TypeError("A signature needs at least one output field");
  }
  const seen = new Set<string>();
  for (const field of [...signature.inputs, ...signature.outputs]) {
    if (!IDENTIFIER.test(field.name)) {
      throw new TypeError(
        `Field name "${field.name}" is not a JavaScript identifier`,
      );
    }
    if (seen.has(field.name)) {
      throw new TypeError(`Field name "${field.name}" is used twice`);
    }
    seen.add(field.name);
  }
}

/**
 * The SUBMIT call as shown to the model, e.g. `SUBMIT(answer)`.
 *
 * @example
 * ```ts
 * import { submitSignature } from "./signature.ts";
 * console.log(submitSignature([{ name: "answer" }])); // "SUBMIT(answer)"
 * ```
 */
export function submitSignature(outputs: Field[]): string {
  return `SUBMIT(${outputs.map((f) => f.name).join(", ")})`;
}

/** Describes the type of a JavaScript value in the words the prompt uses. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function coerce(field: Field, value: unknown): unknown {
  const type = field.type ?? "any";
  switch (type) {
    case "any":
      return value;
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") {
        return String(value);
      }
      break;
    case "number":
    case "integer": {
      const n = typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : value;
      if (typeof n === "number" && Number.isFinite(n)) {
        if (type === "number" || Number.isInteger(n)) return n;
      }
      break;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "array":
      if (Array.isArray(value)) return value;
      break;
    case "object":
      if (
        typeof value === "object" && value !== null && !Array.isArray(value)
      ) {
        return value;
      }
      break;
  }
  throw new TypeError(
    `${field.name} must be ${
      type === "integer" || type === "array" || type === "object"
        ? `an ${type}`
        : `a ${type}`
    }, got ${typeName(value)}`,
  );
}

/** Outcome of {@linkcode validateSubmission}. */
export type Submission =
  | { ok: true; outputs: Record<string, unknown> }
  | { ok: false; message: string };

/**
 * Maps the arguments of a `SUBMIT(...)` call to the output fields and
 * checks their types. Arguments are positional (`SUBMIT(answer, files)`);
 * one object holding every output by name is accepted too
 * (`SUBMIT({ answer, files })`). The failure message tells the model how
 * to call SUBMIT correctly.
 *
 * @example
 * ```ts
 * import { validateSubmission } from "./signature.ts";
 * const outputs = [{ name: "answer", type: "string" as const }];
 * console.log(validateSubmission(outputs, ["done"])); // { ok: true, outputs: { answer: "done" } }
 * ```
 */
export function validateSubmission(
  outputs: Field[],
  args: unknown[],
): Submission {
  let values: unknown[] = args;
  const first = args[0];
  const named = args.length === 1 && typeof first === "object" &&
    first !== null && !Array.isArray(first) &&
    outputs.every((f) => Object.hasOwn(first, f.name)) &&
    (outputs.length > 1 || (outputs[0].type ?? "any") !== "object");
  if (named) {
    values = outputs.map((f) => (first as Record<string, unknown>)[f.name]);
  }
  const usage = `call ${submitSignature(outputs)} with ${
    outputs.map((f) => `${f.name}: ${f.type ?? "any"}`).join(", ")
  }`;
  if (values.length < outputs.length || values.some((v) => v === undefined)) {
    const missing = outputs.filter((_, i) => values[i] === undefined)
      .map((f) => f.name);
    return {
      ok: false,
      message: `SUBMIT is missing ${missing.join(", ")}; ${usage}`,
    };
  }
  if (values.length > outputs.length) {
    return {
      ok: false,
      message:
        `SUBMIT got ${values.length} arguments but takes ${outputs.length}; ${usage}`,
    };
  }
  const result: Record<string, unknown> = {};
  for (const [i, field] of outputs.entries()) {
    try {
      result[field.name] = coerce(field, values[i]);
    } catch (error) {
      return {
        ok: false,
        message: `SUBMIT: ${(error as Error).message}; ${usage}`,
      };
    }
  }
  return { ok: true, outputs: result };
}
