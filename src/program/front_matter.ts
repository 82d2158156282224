/**
 * README front matter: sets a few top-level keys of the YAML block at the
 * start of a README and leaves every other key and the body as they were.
 *
 * @module
 */

/** A value nanocode writes into front matter. */
export type FrontMatterValue = string | number | boolean | string[];

const PLAIN = /^[A-Za-z_/][A-Za-z0-9 ._/+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~)$/i;

/** A scalar in YAML: plain when safe, else double-quoted (JSON quoting is valid YAML). */
function scalar(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(" ")
    ? value
    : JSON.stringify(value);
}

/** The YAML lines for one key. */
function render(key: string, value: FrontMatterValue): string[] {
  if (!Array.isArray(value)) return [`${key}: ${scalar(value)}`];
  if (value.length === 0) return [`${key}: []`];
  return [`${key}:`, ...value.map((item) => `- ${scalar(item)}`)];
}

/** The top-level key a front matter line starts, if it starts one. */
function keyOf(line: string): string | undefined {
  const match = /^([^\s#\-][^:]*?):(\s|$)/.exec(line);
  if (!match) return undefined;
  const key = match[1].trim();
  return key.replace(/^(["'])(.*)\1$/, "$2");
}

/**
 * Returns `readme` with `values` set in its YAML front matter: lines of
 * other keys, comments and the body stay byte for byte; a key already
 * present is replaced where it stands (with its nested lines), new keys
 * are appended to the block. A README without front matter gets one
 * before its text; a missing README (`undefined`) becomes front matter
 * plus a `# title` heading.
 *
 * @example
 * ```ts
 * import { setFrontMatter } from "./front_matter.ts";
 * const readme = "---\nlicense: mit\nlibrary_name: old\n---\n# Hello\n";
 * console.log(setFrontMatter(readme, { library_name: "nanocode" }));
 * // ---\nlicense: mit\nlibrary_name: nanocode\n---\n# Hello\n
 * ```
 */
export function setFrontMatter(
  readme: string | undefined,
  values: Record<string, FrontMatterValue>,
  title = "Program",
): string {
  const eol = readme?.includes("\r\n") ? "\r\n" : "\n";
  const block = (lines: string[]) => ["---", ...lines, "---"].join(eol) + eol;
  const fresh = Object.entries(values).flatMap(([k, v]) => render(k, v));
  if (readme === undefined) return `${block(fresh)}${eol}# ${title}${eol}`;
  const lines = readme.split(eol);
  const end = lines[0].trimEnd() === "---"
    ? lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l))
    : -1;
  if (end < 0) {
    return `${block(fresh)}${readme.startsWith(eol) ? "" : eol}${readme}`;
  }
  const out: string[] = [];
  const done = new Set<string>();
  let skipping = false;
  for (const line of lines.slice(1, end)) {
    const key = keyOf(line);
    if (key !== undefined) {
      skipping = Object.hasOwn(values, key);
      if (skipping) {
        out.push(...render(key, values[key]));
        done.add(key);
        continue;
      }
    }
    // A replaced key's own lines: indented ones and list items.
    if (skipping && /^(\s+\S|-(\s|$))/.test(line)) continue;
    skipping = false;
    out.push(line);
  }
  for (const [key, value] of Object.entries(values)) {
    if (!done.has(key)) out.push(...render(key, value));
  }
  return [block(out), lines.slice(end + 1).join(eol)].join("");
}
