/**
 * What one step did, in full, for the Ctrl-O view: the reasoning, the
 * code, everything the cell printed, what the model was shown, and each
 * tool call's whole output and diff.
 *
 * @module
 */

import type { RlmEvent } from "../rlm/events.ts";
import { changeLines } from "./diff_view.ts";
import { sanitize } from "./sanitize.ts";
import type { Style } from "./style.ts";
import { toolLabel } from "./tool_labels.ts";

/** One step's full record. */
export interface StepRecord {
  step: number;
  reasoning: string;
  code?: string;
  observation?: string;
  tools: {
    id: number;
    label: string;
    output?: string;
    ok?: boolean;
    change?: { before: string | null; after: string };
  }[];
}

/**
 * Keeps the records of a turn's steps (the latest that ran code first in
 * interest).
 *
 * @example
 * ```ts
 * import { StepRecorder } from "./step_record.ts";
 * const recorder = new StepRecorder();
 * recorder.handle({ type: "step_start", step: 1, maxSteps: 5 });
 * recorder.handle({ type: "code", step: 1, code: "print(1)" });
 * console.log(recorder.last?.code); // "print(1)"
 * ```
 */
export class StepRecorder {
  #current: StepRecord | null = null;
  #done: StepRecord | null = null;
  /** Every step of the turn so far, oldest first. */
  readonly steps: StepRecord[] = [];

  /** The latest step with code (the one running, or the one before it). */
  get last(): StepRecord | null {
    return this.#current?.code !== undefined ? this.#current : this.#done;
  }

  /** Takes one event. */
  handle(event: RlmEvent): void {
    switch (event.type) {
      case "step_start":
        if (this.#current?.code !== undefined) this.#done = this.#current;
        this.#current = { step: event.step, reasoning: "", tools: [] };
        this.steps.push(this.#current);
        return;
      case "model_reply":
        if (this.#current) this.#current.reasoning = event.reasoning;
        return;
      case "code":
        if (this.#current) this.#current.code = event.code;
        return;
      case "observation":
        if (this.#current) this.#current.observation = event.text;
        return;
      case "tool_call":
        this.#current?.tools.push({
          id: event.id,
          label: toolLabel(event.name, event.args, 200),
        });
        return;
      case "file_change": {
        const tool = this.#tool(event.id);
        if (tool) tool.change = { before: event.before, after: event.after };
        return;
      }
      case "tool_result": {
        const tool = this.#tool(event.id);
        if (tool) [tool.output, tool.ok] = [event.output, event.ok];
        return;
      }
    }
  }

  #tool(id: number) {
    return this.#current?.tools.find((t) => t.id === id);
  }
}

/**
 * The record as pager lines: reasoning, code, each tool's output and
 * whole diff, and what the model was shown.
 *
 * @example
 * ```ts
 * import { stepLines } from "./step_record.ts";
 * import { createStyle } from "./style.ts";
 * const lines = stepLines({ step: 2, reasoning: "Look.", code: "print(1)", observation: "1", tools: [] }, createStyle(false));
 * console.log(lines[0]); // "── Step 2 ──"
 * ```
 */
export function stepLines(record: StepRecord, style: Style): string[] {
  const heading = (text: string) => style.bold(style.cyan(`── ${text} ──`));
  const block = (text: string) => sanitize(text).split("\n");
  const out = [heading(`Step ${record.step}`)];
  if (record.reasoning.trim()) out.push(...block(record.reasoning.trim()), "");
  if (record.code !== undefined) {
    out.push(heading("Code"), ...block(record.code), "");
  }
  for (const tool of record.tools) {
    out.push(heading(tool.label));
    if (tool.change) {
      out.push(
        ...changeLines(tool.change.before, tool.change.after, style, {
          maxLines: Number.MAX_SAFE_INTEGER,
        }),
      );
    }
    if (tool.output !== undefined) {
      const text = block(tool.output);
      out.push(...(tool.ok === false ? text.map((l) => style.red(l)) : text));
    }
    out.push("");
  }
  if (record.observation !== undefined) {
    out.push(heading("What the model saw"), ...block(record.observation));
  }
  return out;
}

/**
 * The whole turn as pager lines, and the line where the last step that did
 * something (ran a tool or printed) begins.
 *
 * @example
 * ```ts
 * import { turnLines } from "./step_record.ts";
 * import { createStyle } from "./style.ts";
 * const { lines, start } = turnLines([{ step: 1, reasoning: "", code: "print(1)", observation: "1", tools: [] }], createStyle(false));
 * console.log(lines[start]); // "── Step 1 ──"
 * ```
 */
export function turnLines(
  records: readonly StepRecord[],
  style: Style,
): { lines: string[]; start: number } {
  const lines: string[] = [];
  let start = 0;
  for (const record of records) {
    if (record.code === undefined && record.observation === undefined) continue;
    const busy = record.tools.length > 0 || record.observation !== undefined;
    if (busy || lines.length === 0) start = lines.length;
    lines.push(...stepLines(record, style), "");
  }
  return { lines, start };
}
