/**
 * Where text goes: an output stream with its terminal facts. The real
 * implementations write to stdout and stderr; tests use
 * {@linkcode MemoryOutput}.
 *
 * @module
 */

/** A place to write text. */
export interface Output {
  write(text: string): void;
  /** Whether it is a terminal. */
  readonly isTerminal: boolean;
  /** Its width in columns (80 when unknown). */
  columns(): number;
  /** Its height in rows (24 when unknown). */
  rows?(): number;
}

const encoder = new TextEncoder();

function writeAll(
  file: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += file.writeSync(bytes.subarray(written));
    } catch (error) {
      // A closed pipe (`nanocode ... | head`) ends output quietly.
      if (error instanceof Deno.errors.BrokenPipe) return;
      throw error;
    }
  }
}

function realOutput(file: typeof Deno.stdout, fd: "stdout" | "stderr"): Output {
  const isTerminal = file.isTerminal();
  return {
    isTerminal,
    write: (text) => writeAll(file, text),
    columns() {
      if (!isTerminal) return 80;
      try {
        return Deno.consoleSize().columns || 80;
      } catch {
        return 80;
      }
    },
    rows() {
      if (!isTerminal) return 24;
      try {
        return Deno.consoleSize().rows || 24;
      } catch {
        return 24;
      }
    },
    toString: () => fd,
  } as Output;
}

let stdoutCache: Output | undefined;
let stderrCache: Output | undefined;

/**
 * The process's stdout.
 *
 * @example
 * ```ts
 * import { stdoutOutput } from "./terminal.ts";
 * stdoutOutput().write("hello\n");
 * ```
 */
export function stdoutOutput(): Output {
  return stdoutCache ??= realOutput(Deno.stdout, "stdout");
}

/**
 * The process's stderr.
 *
 * @example
 * ```ts
 * import { stderrOutput } from "./terminal.ts";
 * stderrOutput().write("progress\n");
 * ```
 */
export function stderrOutput(): Output {
  return stderrCache ??= realOutput(Deno.stderr, "stderr");
}

/**
 * An output that keeps what was written, for tests.
 *
 * @example
 * ```ts
 * import { MemoryOutput } from "./terminal.ts";
 * const out = new MemoryOutput();
 * out.write("a");
 * console.log(out.text); // "a"
 * ```
 */
export class MemoryOutput implements Output {
  text = "";
  constructor(
    readonly isTerminal = false,
    public width = 80,
    public height = 24,
  ) {}
  write(text: string): void {
    this.text += text;
  }
  columns(): number {
    return this.width;
  }
  rows(): number {
    return this.height;
  }
}
