/**
 * The fallback when the iteration budget runs out: one more model call, on
 * the same chat (so the provider's prefix cache applies and the model sees
 * its whole trajectory), asking for the outputs as marked fields.
 *
 * @module
 */

import type { Field } from "./signature.ts";
import { validateSubmission } from "./signature.ts";

/**
 * The user message that asks for the final outputs.
 *
 * @example
 * ```ts
 * import { extractRequest } from "./extract.ts";
 * console.log(extractRequest([{ name: "answer", type: "string" }]).includes("[[ ## answer ## ]]")); // true
 * ```
 */
export function extractRequest(outputs: Field[]): string {
  const fields = outputs.map((f) =>
    `[[ ## ${f.name} ## ]]\n<${f.type ?? "any"}${
      f.description ? `: ${f.description}` : ""
    }>`
  ).join("\n\n");
  return "The cell budget is used up: no more code will run. Based on everything above, " +
    "give your final result now, in exactly this form (JSON for non-text fields):\n\n" +
    `${fields}\n\n[[ ## completed ## ]]`;
}

/**
 * Reads the outputs from the extract reply. A single text output falls
 * back to the whole reply when the markers are missing; a field that does
 * not validate is kept as the text the model wrote.
 *
 * @example
 * ```ts
 * import { parseExtract } from "./extract.ts";
 * const outputs = parseExtract([{ name: "answer", type: "string" }], "[[ ## answer ## ]]\nDone.");
 * console.log(outputs.answer); // "Done."
 * ```
 */
export function parseExtract(
  outputs: Field[],
  text: string,
): Record<string, unknown> {
  const marker = /\[\[ ## (\w+) ## \]\]/g;
  const found = new Map<string, string>();
  const matches = [...text.matchAll(marker)];
  for (const [i, m] of matches.entries()) {
    const end = i + 1 < matches.length ? matches[i + 1].index : text.length;
    found.set(m[1], text.slice(m.index + m[0].length, end).trim());
  }
  const raw = outputs.map((f) => {
    if (found.has(f.name)) return found.get(f.name)!;
    return outputs.length === 1 ? text.replace(marker, "").trim() : "";
  });
  const values = outputs.map((f, i) => {
    if ((f.type ?? "any") === "string") return raw[i];
    try {
      return JSON.parse(raw[i]);
    } catch {
      return raw[i];
    }
  });
  const checked = validateSubmission(outputs, values);
  if (checked.ok) return checked.outputs;
  return Object.fromEntries(outputs.map((f, i) => [f.name, values[i]]));
}
