/**
 * Short labels of tool calls: `Read(src/a.ts)`, `Bash(npm test)`.
 *
 * @module
 */

import { sanitize } from "./sanitize.ts";

/**
 * Reads argument `index` (or the named field of an object argument).
 *
 * @example
 * ```ts
 * import { toolArg } from "./tool_labels.ts";
 * console.log(toolArg([{ path: "a.ts" }], 0, "path")); // "a.ts"
 * ```
 */
export function toolArg(args: unknown[], index: number, name: string): unknown {
  const first = args[0];
  if (
    args.length === 1 && typeof first === "object" && first !== null &&
    !Array.isArray(first)
  ) {
    return (first as Record<string, unknown>)[name];
  }
  return args[index];
}

/**
 * A value on one line (newlines as ⏎), cut to `max` characters.
 *
 * @example
 * ```ts
 * import { oneLine } from "./tool_labels.ts";
 * console.log(oneLine("a\nb", 10)); // "a ⏎ b"
 * ```
 */
export function oneLine(value: unknown, max: number): string {
  const text = typeof value === "string"
    ? value
    : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\s*\n\s*/g, " ⏎ ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const LABELS: Record<string, [string, string]> = {
  read_file: ["Read", "path"],
  write_file: ["Write", "path"],
  edit_file: ["Edit", "path"],
  glob_files: ["Glob", "pattern"],
  grep_files: ["Grep", "pattern"],
  run_bash: ["Bash", "cmd"],
};

/**
 * The main argument of a known tool's call, shown in its label (the path,
 * pattern or command), sanitised and cut to `max`.
 *
 * @example
 * ```ts
 * import { toolSubject } from "./tool_labels.ts";
 * console.log(toolSubject("read_file", ["src/a.ts"], 40)); // "src/a.ts"
 * ```
 */
export function toolSubject(
  name: string,
  args: unknown[],
  max: number,
): string {
  const known = LABELS[name];
  const value = known ? toolArg(args, 0, known[1]) : args[0];
  return sanitize(oneLine(value ?? "", max));
}

/**
 * The `Read(src/a.ts)` label of a tool call.
 *
 * @example
 * ```ts
 * import { toolLabel } from "./tool_labels.ts";
 * console.log(toolLabel("run_bash", ["npm test"], 80)); // "Bash(npm test)"
 * ```
 */
export function toolLabel(
  name: string,
  args: unknown[],
  width: number,
): string {
  const known = LABELS[name];
  if (known) {
    const value = toolArg(args, 0, known[1]);
    let detail = oneLine(
      value ?? "",
      Math.max(20, width - known[0].length - 6),
    );
    if (name === "glob_files" || name === "grep_files") {
      const path = toolArg(args, 1, "path");
      if (typeof path === "string" && path !== "." && path !== "") {
        detail += ` in ${oneLine(path, 60)}`;
      }
    }
    return sanitize(`${known[0]}(${detail})`);
  }
  const shown = args.map((a) => oneLine(a, 40)).join(", ");
  return sanitize(
    `${name}(${oneLine(shown, Math.max(20, width - name.length - 6))})`,
  );
}
