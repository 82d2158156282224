/**
 * JSON text formatted the way Python's `json.dumps(value, indent=2)` (with
 * the default `ensure_ascii=True`) formats it, so files nanocode writes diff
 * cleanly against files the Python `modaic` client wrote.
 *
 * @module
 */

/**
 * Formats `value` like Python's `json.dumps(value, indent=2)`: two-space
 * indentation, one item per line, `": "` after keys, empty arrays and
 * objects as `[]` and `{}`, every character outside printable
 * ASCII escaped as `\uXXXX` (astral characters as surrogate pairs), floats
 * in Python's `repr` notation, and no trailing newline. Object keys keep
 * their insertion order; keys whose value is `undefined` are left out;
 * non-finite numbers become `null`.
 *
 * @throws {TypeError} for values JSON cannot hold (functions, bigints, symbols).
 * @example
 * ```ts
 * import { pythonJson } from "./python_json.ts";
 * console.log(pythonJson({ a: [1, "é"], b: {} }));
 * // {
 * //   "a": [
 * //     1,
 * //     "\u00e9"
 * //   ],
 * //   "b": {}
 * // }
 * ```
 */
export function pythonJson(value: unknown, indent = 2): string {
  return encode(value, "", " ".repeat(indent));
}

function encode(value: unknown, outer: string, step: string): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return pythonString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return pythonNumber(value);
    case "object":
      break;
    default:
      throw new TypeError(`Cannot write a ${typeof value} as JSON`);
  }
  const inner = outer + step;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => inner + encode(item, inner, step));
    return `[\n${items.join(",\n")}\n${outer}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter((
    [, v],
  ) => v !== undefined);
  if (entries.length === 0) return "{}";
  const items = entries.map(([k, v]) =>
    `${inner}${pythonString(k)}: ${encode(v, inner, step)}`
  );
  return `{\n${items.join(",\n")}\n${outer}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/**
 * A JSON string literal as Python writes it with `ensure_ascii=True`.
 *
 * @example
 * ```ts
 * import { pythonString } from "./python_json.ts";
 * console.log(pythonString("naïve 🙂")); // "na\u00efve \ud83d\ude42"
 * ```
 */
export function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += "\\u" + code.toString(16).padStart(4, "0");
  }
  return out + '"';
}

/** A number in Python's notation: safe integers as digits, others as float `repr` does. */
function pythonNumber(n: number): string {
  if (!Number.isFinite(n)) return "null";
  if (Object.is(n, -0)) return "-0.0";
  // Safe integers print as digits (Python ints, and the usual floats are
  // not told apart after JSON.parse); larger ones are floats to Python.
  if (Number.isSafeInteger(n)) return String(n);
  // JavaScript and Python both print the shortest digits that round-trip;
  // only the choice between fixed and scientific notation differs.
  const [mantissa, exp = "0"] = n.toExponential().split("e");
  const exponent = Number(exp);
  if (exponent >= -4 && exponent < 16) {
    return Number.isInteger(n) ? `${n}.0` : String(n);
  }
  const sign = exponent < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}
