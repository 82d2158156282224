/**
 * What `verbose: true` prints for a library user, as the Python original's
 * logging callback did: each step's reasoning and code, what the cell
 * showed, the tools it called, and the sub-model's queries and results.
 *
 * @module
 */

import type { EventSink } from "../rlm/events.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { EnvReader } from "../config/paths.ts";
import { colorWanted, createStyle, type Style } from "../ui/style.ts";
import { stderrOutput } from "../ui/terminal.ts";
import {
  describeChanges,
  type InstructionChange,
} from "../program/python_instructions.ts";

/** Characters of a sub-model prompt shown (the original's cut). */
export const QUERY_PREVIEW_CHARS = 100;
/** Characters of a sub-model answer shown (the original's cut). */
export const RESULT_PREVIEW_CHARS = 200;

function preview(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function fenced(code: string): string {
  return code.includes("```") ? code : "```js\n" + code + "\n```";
}

/**
 * An event sink that writes each step with `write` (dim when `style` colours):
 * `⏺ [REASONING STEP]`, `⏺ [CODE]`, `⏺ [OUTPUT]`, one `⏺ [TOOL]` line per
 * tool call, `⏺ [LLM QUERY]` / `⏺ [LLM QUERY RESULT]` for `llm_query`
 * (prompt cut at 100 characters, answer at 200) and `⏺ [LLM QUERY
 * BATCHED]` with the counts for `llm_query_batched`. Text from the model,
 * files and commands is made inert before it reaches the terminal.
 *
 * @example
 * ```ts
 * import { verboseLog } from "./verbose_log.ts";
 * import { createStyle } from "../ui/style.ts";
 * let text = "";
 * const sink = verboseLog((t) => text += t, createStyle(false));
 * sink({ type: "model_reply", step: 1, text: "", reasoning: "Look first." });
 * console.log(text); // "⏺ [REASONING STEP]\nLook first.\n\n"
 * ```
 */
export function verboseLog(
  write: (text: string) => void,
  style: Style,
): EventSink {
  const say = (label: string, body: string) =>
    write(style.dim(`⏺ [${label}]\n${sanitize(body)}\n`) + "\n");
  const batches = new Set<number>();
  return (event) => {
    switch (event.type) {
      case "model_reply":
        say("REASONING STEP", event.reasoning.trim() || "(none)");
        break;
      case "code":
        say("CODE", fenced(event.code));
        break;
      case "observation":
        say("OUTPUT", event.text);
        break;
      case "tool_call":
        write(
          style.dim(
            `⏺ [TOOL] ${event.name}(${
              sanitize(
                event.args.map((a) => preview(JSON.stringify(a) ?? "", 80))
                  .join(", "),
              )
            })\n`,
          ),
        );
        break;
      case "sub_lm_call":
        if (event.prompts.length === 1) {
          say("LLM QUERY", preview(event.prompts[0], QUERY_PREVIEW_CHARS));
        } else {
          batches.add(event.id);
          say("LLM QUERY BATCHED", `${event.prompts.length} prompts`);
        }
        break;
      case "sub_lm_result":
        if (batches.delete(event.id)) {
          say("LLM QUERY BATCHED", `${event.answers.length} results`);
        } else {
          say(
            "LLM QUERY RESULT",
            preview(event.answers[0] ?? "", RESULT_PREVIEW_CHARS),
          );
        }
        break;
      case "extract":
        say("EXTRACT", event.reason);
        break;
      case "error":
        say("ERROR", event.message);
        break;
    }
  };
}

/**
 * Where `verbose` output of an agent goes: `output` when given, standard
 * error (dim when it is a terminal that takes colour, `NO_COLOR`
 * respected) when `undefined`, nowhere when `null`.
 *
 * @example
 * ```ts
 * import { VerboseReporter } from "./verbose_log.ts";
 * let text = "";
 * const reporter = new VerboseReporter((t) => text += t, () => undefined);
 * reporter.sink(true)?.({ type: "code", step: 1, code: "print(1)" });
 * console.log(text.startsWith("⏺ [CODE]")); // true
 * ```
 */
export class VerboseReporter {
  #output: ((text: string) => void) | null | undefined;
  #env: EnvReader;

  /** Writes to `output` (see the class doc); `env` decides colour on standard error. */
  constructor(
    output: ((text: string) => void) | null | undefined,
    env: EnvReader,
  ) {
    this.#output = output;
    this.#env = env;
  }

  /** The event sink when `enabled` (the agent's `config.verbose`) and output is on. */
  sink(enabled: boolean): EventSink | undefined {
    const target = this.#target(enabled);
    return target && verboseLog(target.write, target.style);
  }

  /** When `enabled`, says which sentences of a loaded program were adapted. */
  programNotes(enabled: boolean, changes: InstructionChange[] = []): void {
    const target = this.#target(enabled);
    if (!target || changes.length === 0) return;
    target.write(
      target.style.dim(
        `⏺ [PROGRAM] Instructions written for a Python REPL, adapted to JavaScript:\n${
          sanitize(describeChanges(changes).join("\n"))
        }\n`,
      ) + "\n",
    );
  }

  #target(
    enabled: boolean,
  ): { write: (text: string) => void; style: Style } | undefined {
    if (!enabled || this.#output === null) return undefined;
    if (this.#output) return { write: this.#output, style: createStyle(false) };
    const err = stderrOutput();
    return {
      write: (text) => err.write(text),
      style: createStyle(colorWanted(err.isTerminal, this.#env)),
    };
  }
}
