/**
 * Renders the agent's events as terminal lines in the original's look:
 * cyan `⏺ Thinking...`, one `⏺` line per tool call with its key argument,
 * dim streamed reasoning, and in verbose mode each step's code and output.
 * Everything that came from the model, files or commands is sanitised.
 *
 * @module
 */

import type { RlmEvent, UsageTotals } from "../rlm/events.ts";
import { sanitize } from "./sanitize.ts";
import type { Style } from "./style.ts";
import type { Output } from "./terminal.ts";

/** Options of an {@linkcode EventRenderer}. */
export interface RendererOptions {
  out: Output;
  style: Style;
  /** Show each step's code and observation. */
  verbose: boolean;
  /** Stream the model's reasoning (dim) as it arrives. */
  streamReasoning: boolean;
}

/** Reads argument `index` (or the named field of an object argument). */
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

function oneLine(value: unknown, max: number): string {
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
 * The `Read(src/a.ts)` label of a tool call.
 *
 * @example
 * ```ts
 * import { toolLabel } from "./render.ts";
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

function lastLines(text: string, n: number): string[] {
  const lines = text.replace(/\n+$/, "").split("\n");
  return lines.slice(-n);
}

/** Formats a usage line: tokens in/out/cached, cost when known, wall time. */
export function usageLine(total: UsageTotals, wallMs: number): string {
  const k = (
    n: number,
  ) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));
  const parts = [
    `${k(total.promptTokens)} in`,
    `${k(total.completionTokens)} out`,
  ];
  if (total.cachedTokens) parts.push(`${k(total.cachedTokens)} cached`);
  if (total.cost !== undefined) parts.push(`$${total.cost.toFixed(4)}`);
  parts.push(`${(wallMs / 1000).toFixed(1)} s`);
  if (total.subLmCalls) parts.push(`${total.subLmCalls} sub-model calls`);
  return parts.join(" · ");
}

/**
 * Turns events into terminal output.
 *
 * @example
 * ```ts
 * import { EventRenderer } from "./render.ts";
 * import { createStyle } from "./style.ts";
 * import { MemoryOutput } from "./terminal.ts";
 * const out = new MemoryOutput();
 * const r = new EventRenderer({ out, style: createStyle(false), verbose: false, streamReasoning: false });
 * r.handle({ type: "tool_call", step: 1, id: 1, name: "read_file", args: ["a.ts"] });
 * console.log(out.text); // "⏺ Read(a.ts)\n"
 * ```
 */
export class EventRenderer {
  #o: RendererOptions;
  #calls = new Map<number, { name: string; args: unknown[] }>();
  #reasoning = "";
  #reasoningShown = 0;
  #inCode = false;

  constructor(options: RendererOptions) {
    this.#o = options;
  }

  #line(text: string): void {
    this.#o.out.write(`${text}\n`);
  }

  /** Prints the start-of-turn line. */
  turnStart(): void {
    this.#line(this.#o.style.cyan("⏺ Thinking..."));
  }

  /** Renders one event. */
  handle(event: RlmEvent): void {
    const { style } = this.#o;
    const width = this.#o.out.columns();
    switch (event.type) {
      case "step_start":
        this.#reasoning = "";
        this.#reasoningShown = 0;
        this.#inCode = false;
        break;
      case "model_delta":
        if (this.#o.streamReasoning) this.#streamReasoning(event.text);
        break;
      case "model_reply":
        if (this.#o.streamReasoning) this.#flushReasoning(event.reasoning);
        else if (this.#o.verbose && event.reasoning) {
          this.#line(
            style.dim(`⏺ [REASONING STEP]\n${sanitize(event.reasoning)}`),
          );
        }
        break;
      case "code":
        if (this.#o.verbose) {
          this.#line(
            style.dim(`⏺ [CODE]\n\`\`\`js\n${sanitize(event.code)}\n\`\`\``),
          );
        }
        break;
      case "observation":
        if (this.#o.verbose) {
          this.#line(style.dim(`⏺ [OUTPUT]\n${sanitize(event.text)}`));
        } else if (!event.result) {
          this.#line(style.yellow(`⏺ ${sanitize(event.text)}`));
        } else if (event.result.lost) {
          this.#line(
            style.yellow(
              `⏺ ${
                sanitize(event.result.detail ?? "The sandbox restarted.")
              } REPL state was reset.`,
            ),
          );
        }
        break;
      case "tool_call":
        this.#calls.set(event.id, { name: event.name, args: event.args });
        this.#line(
          style.magenta(`⏺ ${toolLabel(event.name, event.args, width)}`),
        );
        break;
      case "tool_result":
        this.#toolResult(event.id, event.ok, event.output);
        break;
      case "sub_lm_call":
        this.#line(style.magenta(
          event.prompts.length === 1
            ? `⏺ LLM query(${
              sanitize(oneLine(event.prompts[0], Math.max(20, width - 20)))
            })`
            : `⏺ LLM query batched (${event.prompts.length} prompts)`,
        ));
        break;
      case "sub_lm_result": {
        const failed =
          event.answers.filter((a) => a.startsWith("[ERROR]")).length;
        if (failed) {
          this.#line(
            style.red(`  ⎿ ${failed} of ${event.answers.length} failed`),
          );
        }
        break;
      }
      case "notice":
        this.#line(style.dim(`⏺ ${sanitize(event.message)}`));
        break;
      case "context_elided":
        this.#line(style.dim(
          `⏺ Shortened ${event.cells.length} older cell outputs to fit the context window (~${event.tokensBefore} → ~${event.tokensAfter} tokens; kept in _out[n])`,
        ));
        break;
      case "refusal":
        this.#line(style.red(`⏺ The model refused: ${sanitize(event.text)}`));
        break;
      case "retry":
        if (event.discarded) {
          // The reply broke off: what streamed so far is void; show it again.
          this.#reasoning = "";
          this.#reasoningShown = 0;
          this.#inCode = false;
        }
        this.#line(style.yellow(
          `⏺ Model server: ${sanitize(event.reason)}; retrying in ${
            Math.ceil(event.delayMs / 1000)
          } s (retry ${event.attempt})`,
        ));
        break;
      case "extract":
        this.#line(
          style.yellow(`⏺ ${event.reason}; asking for the final answer`),
        );
        break;
      case "error":
        if (!event.fatal) this.#line(style.red(`⏺ ${sanitize(event.message)}`));
        break;
      case "cell_output":
      case "model_start":
      case "message":
      case "submit":
      case "usage":
        break;
    }
  }

  #streamReasoning(text: string): void {
    if (this.#inCode) return;
    this.#reasoning += text;
    // Show whole lines only, and stop at the code fence.
    const end = this.#reasoning.lastIndexOf("\n");
    if (end < this.#reasoningShown) return;
    const chunk = this.#reasoning.slice(this.#reasoningShown, end + 1);
    const fence = /^ {0,3}(`{3,}|~{3,})/m.exec(chunk);
    const visible = fence ? chunk.slice(0, fence.index) : chunk;
    if (visible.trim()) this.#o.out.write(this.#o.style.dim(sanitize(visible)));
    this.#reasoningShown = end + 1;
    if (fence) this.#inCode = true;
  }

  #flushReasoning(reasoning: string): void {
    if (this.#inCode) return;
    const rest = reasoning.slice(
      Math.min(this.#reasoningShown, reasoning.length),
    );
    if (rest.trim()) {
      this.#line(this.#o.style.dim(sanitize(rest.replace(/\n+$/, ""))));
    }
    this.#inCode = true;
  }

  #toolResult(id: number, ok: boolean, output: string): void {
    const { style } = this.#o;
    const call = this.#calls.get(id);
    this.#calls.delete(id);
    if (!ok) {
      this.#line(style.red(`  ⎿ ${sanitize(oneLine(output, 300))}`));
      return;
    }
    if (!call) return;
    switch (call.name) {
      case "edit_file": {
        const removed = String(toolArg(call.args, 1, "old") ?? "").split("\n");
        const added = String(toolArg(call.args, 2, "new") ?? "").split("\n");
        const show = (
          lines: string[],
          sign: string,
          color: (t: string) => string,
        ) => {
          for (const line of lines.slice(0, 6)) {
            this.#line(color(`  ${sign} ${sanitize(line)}`));
          }
          if (lines.length > 6) {
            this.#line(style.dim(`  ${sign} … ${lines.length - 6} more lines`));
          }
        };
        show(removed, "-", style.red);
        show(added, "+", style.green);
        break;
      }
      case "run_bash":
        for (const line of lastLines(output, 4)) {
          this.#line(style.dim(`  │ ${sanitize(line)}`));
        }
        break;
      case "read_file":
      case "write_file":
      case "glob_files":
      case "grep_files": {
        const lines = output.split("\n").filter(Boolean);
        const summary = call.name === "write_file"
          ? lines[0]
          : call.name === "read_file"
          ? `${lines.filter((l) => /^\s*\d+\| /.test(l)).length} lines`
          : output === "no files found" || output === "no matches found"
          ? output
          : `${lines.filter((l) => !l.startsWith("...")).length} ${
            call.name === "glob_files" ? "files" : "matches"
          }`;
        this.#line(style.dim(`  ⎿ ${sanitize(oneLine(summary ?? "", 200))}`));
        break;
      }
    }
  }
}
