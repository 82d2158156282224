/**
 * Terminal colours, off when they must be: `NO_COLOR` set, `TERM=dumb`, or
 * output that is not a terminal.
 *
 * @module
 */

import type { EnvReader } from "../config/paths.ts";

/** Text styling functions; identity functions when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  underline(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

const CODES: Record<Exclude<keyof Style, "enabled">, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

/**
 * Builds a style; with `enabled` false every function returns its input.
 *
 * @example
 * ```ts
 * import { createStyle } from "./style.ts";
 * console.log(createStyle(false).bold("x")); // "x"
 * ```
 */
export function createStyle(enabled: boolean): Style {
  const style = { enabled } as Style;
  for (const [name, [open, close]] of Object.entries(CODES)) {
    (style as unknown as Record<string, (t: string) => string>)[name] = enabled
      ? (text: string) => `\x1b[${open}m${text}\x1b[${close}m`
      : (text: string) => text;
  }
  return style;
}

/**
 * Whether colour should be used for an output.
 *
 * @example
 * ```ts
 * import { colorWanted } from "./style.ts";
 * console.log(colorWanted(true, (n) => n === "NO_COLOR" ? "1" : undefined)); // false
 * ```
 */
export function colorWanted(isTerminal: boolean, env: EnvReader): boolean {
  if (env("NO_COLOR") !== undefined && env("NO_COLOR") !== "") return false;
  if (env("TERM") === "dumb") return false;
  if (env("FORCE_COLOR") && env("FORCE_COLOR") !== "0") return true;
  return isTerminal;
}
