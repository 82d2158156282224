/**
 * Renders the agent's events as terminal lines in the original's look:
 * cyan `⏺ Thinking...`, one `⏺` line per tool call (reads and searches of
 * one cell grouped), dim streamed reasoning with its inline markdown, a
 * command's output live and then summarised, an edit's diff, the answer
 * streamed while the model writes it, and in verbose mode each step's code
 * and output. Everything from the model, files or commands is sanitised.
 *
 * @module
 */

import type { RlmEvent, UsageTotals } from "../rlm/events.ts";
import { AnswerView } from "./answer_view.ts";
import { renderMarkdown } from "./markdown.ts";
import { plural } from "./plural.ts";
import { sanitize } from "./sanitize.ts";
import { StepRecorder } from "./step_record.ts";
import type { Style } from "./style.ts";
import type { Output } from "./terminal.ts";
import type { ReplName } from "../sandbox/types.ts";
import { oneLine } from "./tool_labels.ts";
import { ToolView } from "./tool_view.ts";

export { toolArg, toolLabel } from "./tool_labels.ts";

/** Options of an {@linkcode EventRenderer}. */
export interface RendererOptions {
  /** Where committed lines go (each write is whole lines). */
  out: Output;
  style: Style;
  /** Show each step's code and observation. */
  verbose: boolean;
  /** Stream the model's reasoning (dim) as it arrives. */
  streamReasoning: boolean;
  /**
   * Lines that change in place below the committed ones (a growing group
   * of reads, a running command's last lines). Absent: groups show when
   * they are complete, and command output only when the command ends.
   */
  live?: (lines: string[]) => void;
  /** Stream a `SUBMIT` string literal as the answer while it is written. */
  streamAnswer?: boolean;
  /** The language of the REPL whose cells stream (asked at each step; default `js`). */
  repl?: () => ReplName;
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
  if (total.subLmCalls) {
    parts.push(plural(total.subLmCalls, "sub-model call"));
  }
  return parts.join(" · ");
}

/** A style whose marks switch dim back on after they close (for reasoning). */
function dimmed(style: Style): Style {
  if (!style.enabled) return style;
  const again = (f: (t: string) => string) => (t: string) => `${f(t)}\x1b[2m`;
  return {
    enabled: true,
    bold: again(style.bold),
    dim: (t) => t,
    italic: again(style.italic),
    underline: again(style.underline),
    red: again(style.red),
    green: again(style.green),
    yellow: again(style.yellow),
    blue: again(style.blue),
    magenta: again(style.magenta),
    cyan: again(style.cyan),
  };
}

/** Events that belong to a running group of reads or searches. */
const TOOL_EVENTS = new Set<RlmEvent["type"]>([
  "tool_call",
  "tool_result",
  "tool_output",
  "file_change",
  "cell_output",
  "usage",
  "message",
  "model_start",
]);

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
 * r.flush();
 * console.log(out.text); // "⏺ Read(a.ts)\n"
 * ```
 */
export class EventRenderer {
  #o: RendererOptions;
  #tools: ToolView;
  #answer: AnswerView;
  #steps = new StepRecorder();
  #reasoning = "";
  #reasoningShown = 0;
  #inCode = false;
  #streamedChars = 0;

  constructor(options: RendererOptions) {
    this.#o = options;
    const columns = () => options.out.columns();
    const print = (lines: string[]) => this.#print(lines);
    this.#tools = new ToolView({
      print,
      live: (lines) => options.live?.(lines),
      style: options.style,
      columns,
    });
    this.#answer = new AnswerView({
      print,
      style: options.style,
      columns,
      repl: options.repl,
    });
  }

  /** Characters of model output streamed so far this turn (for a token estimate). */
  get streamedChars(): number {
    return this.#streamedChars;
  }

  /** The latest step that ran code, in full. */
  get lastStep() {
    return this.#steps.last;
  }

  /** Every step of the turn so far, in full (for the Ctrl-O view). */
  get steps() {
    return this.#steps.steps;
  }

  #print(lines: string[]): void {
    if (lines.length) this.#o.out.write(`${lines.join("\n")}\n`);
  }

  #line(text: string): void {
    this.#print([text]);
  }

  /** Prints the start-of-turn line. */
  turnStart(): void {
    this.#line(this.#o.style.cyan("⏺ Thinking..."));
  }

  /** Commits whatever is still showing in place (a group of reads). */
  flush(): void {
    this.#tools.flush();
  }

  /** Prints the answer (or what was not streamed of it yet). */
  finishAnswer(answer: string): void {
    this.flush();
    this.#answer.finish(answer);
  }

  /** Renders one event. */
  handle(event: RlmEvent): void {
    const { style } = this.#o;
    this.#steps.handle(event);
    if (!TOOL_EVENTS.has(event.type)) this.#tools.flush();
    switch (event.type) {
      case "step_start":
        this.#reasoning = "";
        this.#reasoningShown = 0;
        this.#inCode = false;
        this.#answer.step();
        break;
      case "model_delta":
        this.#streamedChars += event.text.length;
        if (this.#o.streamReasoning) this.#streamReasoning(event.text);
        if (this.#o.streamAnswer) this.#answer.delta(event.text);
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
            style.dim(
              `⏺ [CODE]\n\`\`\`${
                this.#o.repl?.() === "python" ? "python" : "js"
              }\n${sanitize(event.code)}\n\`\`\``,
            ),
          );
        }
        break;
      case "observation":
        this.#print(this.#answer.abandon());
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
        this.#tools.call(event);
        break;
      case "tool_output":
        this.#tools.output(event);
        break;
      case "file_change":
        this.#tools.change(event);
        break;
      case "tool_result":
        this.#tools.result(event);
        break;
      case "sub_lm_call": {
        const width = this.#o.out.columns();
        this.#line(style.magenta(
          event.prompts.length === 1
            ? `⏺ LLM query(${
              sanitize(oneLine(event.prompts[0], Math.max(20, width - 20)))
            })`
            : `⏺ LLM query batched (${event.prompts.length} prompts)`,
        ));
        break;
      }
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
          this.#answer.step();
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
      default:
        break;
    }
  }

  /** Reasoning lines rendered dim, with their inline markdown, wrapped. */
  #reasoningLines(text: string): string[] {
    const { style } = this.#o;
    const width = Math.max(20, this.#o.out.columns() - 1);
    const soft = dimmed(style);
    return text.split("\n").flatMap((line) =>
      line.trim() === ""
        ? [""]
        : renderMarkdown(line, soft, width).split("\n").map((l) => style.dim(l))
    );
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
    if (visible.trim()) {
      this.#print(this.#reasoningLines(visible.replace(/\n+$/, "")));
    }
    this.#reasoningShown = end + 1;
    if (fence) this.#inCode = true;
  }

  #flushReasoning(reasoning: string): void {
    if (this.#inCode) return;
    const rest = reasoning.slice(
      Math.min(this.#reasoningShown, reasoning.length),
    );
    if (rest.trim()) {
      this.#print(this.#reasoningLines(rest.replace(/\n+$/, "")));
    }
    this.#inCode = true;
  }
}
