/**
 * How tool calls show while a turn runs: reads and searches from one cell
 * grouped into one line (`Read 33 files`, `Searched 5 patterns`), a
 * command's output streaming live below its line and then summarised
 * (first and last lines, failing lines picked out), and an edit's unified
 * diff, the same as the approval prompt showed.
 *
 * @module
 */

import type { RlmEvent } from "../rlm/events.ts";
import { changeLines } from "./diff_view.ts";
import { summarizeOutput } from "./output_summary.ts";
import { plural } from "./plural.ts";
import { sanitize } from "./sanitize.ts";
import type { Style } from "./style.ts";
import { oneLine, toolArg, toolLabel, toolSubject } from "./tool_labels.ts";
import { wrapLine } from "./wrap.ts";

/** Where a tool view writes. */
export interface ToolViewOutput {
  /** Commits lines to the scrollback. */
  print(lines: string[]): void;
  /** Sets the in-place lines under the last committed one (`[]` clears). */
  live(lines: string[]): void;
  style: Style;
  /** The terminal width. */
  columns(): number;
}

type ToolCall = Extract<RlmEvent, { type: "tool_call" }>;
type ToolResult = Extract<RlmEvent, { type: "tool_result" }>;
type FileChange = Extract<RlmEvent, { type: "file_change" }>;

interface GroupEntry {
  id: number;
  name: string;
  args: unknown[];
  result?: { ok: boolean; output: string };
}

const GROUPS: Record<string, "read" | "search"> = {
  read_file: "read",
  glob_files: "search",
  grep_files: "search",
};

const LIVE_LINES = 5;
const LIVE_KEEP = 64 * 1024;
/** Diff lines shown after an edit (Ctrl-O shows the rest). */
export const EDIT_DIFF_LINES = 20;

/** The `⎿ 20 lines` summary of one read or search result. */
function resultSummary(entry: GroupEntry): string {
  const output = entry.result?.output ?? "";
  const lines = output.split("\n").filter(Boolean);
  if (entry.name === "read_file") {
    return plural(lines.filter((l) => /^\s*\d+\| /.test(l)).length, "line");
  }
  if (output === "no files found" || output === "no matches found") {
    return output;
  }
  const count = lines.filter((l) => !l.startsWith("...")).length;
  return entry.name === "glob_files"
    ? plural(count, "file")
    : plural(count, "match", "matches");
}

/**
 * Turns tool events into lines.
 *
 * @example
 * ```ts ignore
 * const view = new ToolView({ print, live, style, columns: () => 80 });
 * view.call(event);
 * ```
 */
export class ToolView {
  #o: ToolViewOutput;
  #group:
    | { kind: "read" | "search"; step: number; entries: GroupEntry[] }
    | null = null;
  #calls = new Map<number, { name: string; args: unknown[] }>();
  #changes = new Map<number, FileChange>();
  #running: { id: number; output: string } | null = null;

  constructor(output: ToolViewOutput) {
    this.#o = output;
  }

  /** A tool call starts. */
  call(event: ToolCall): void {
    const { style } = this.#o;
    const kind = GROUPS[event.name];
    if (kind) {
      if (this.#group?.kind !== kind || this.#group.step !== event.step) {
        this.flush();
        this.#group = { kind, step: event.step, entries: [] };
      }
      this.#group.entries.push({
        id: event.id,
        name: event.name,
        args: event.args,
      });
      this.#o.live(this.#groupLines());
      return;
    }
    this.flush();
    this.#calls.set(event.id, { name: event.name, args: event.args });
    this.#o.print([
      style.magenta(
        `⏺ ${toolLabel(event.name, event.args, this.#o.columns())}`,
      ),
    ]);
    if (event.name === "run_bash") this.#running = { id: event.id, output: "" };
  }

  /** Output of a running command arrived. */
  output(event: Extract<RlmEvent, { type: "tool_output" }>): void {
    if (this.#running?.id !== event.id) return;
    this.#running.output = (this.#running.output + event.text).slice(
      -LIVE_KEEP,
    );
    const lines = this.#running.output.replace(/\n$/, "").split("\n")
      .slice(-LIVE_LINES);
    this.#o.live(
      lines.map((line) => this.#o.style.dim(`  │ ${sanitize(line)}`)),
    );
  }

  /** A file is about to change (its diff shows with the result). */
  change(event: FileChange): void {
    this.#changes.set(event.id, event);
  }

  /** A tool call ended. */
  result(event: ToolResult): void {
    const entry = this.#group?.entries.find((e) => e.id === event.id);
    if (entry) {
      entry.result = { ok: event.ok, output: event.output };
      this.#o.live(this.#groupLines());
      return;
    }
    const call = this.#calls.get(event.id);
    this.#calls.delete(event.id);
    const change = this.#changes.get(event.id);
    this.#changes.delete(event.id);
    if (this.#running?.id === event.id) {
      this.#running = null;
      this.#o.live([]);
    }
    const { style } = this.#o;
    if (!event.ok) {
      this.#o.print(this.#errorLines(event.output));
      return;
    }
    if (!call) return;
    if (call.name === "run_bash") this.#o.print(this.#bashLines(event.output));
    else if (change) {
      const lines = changeLines(change.before, change.after, style, {
        maxLines: EDIT_DIFF_LINES,
        moreHint: "ctrl-o shows all",
      });
      this.#o.print(
        lines.map((line, i) =>
          i === 0 ? style.dim(`  ⎿ ${line}`) : `    ${line}`
        ),
      );
    } else if (call.name === "edit_file") {
      this.#o.print(this.#editArgsLines(call.args));
    } else if (call.name === "write_file") {
      const first = event.output.split("\n")[0] ?? "";
      this.#o.print([style.dim(`  ⎿ ${sanitize(oneLine(first, 200))}`)]);
    }
  }

  /** Commits an open group of reads or searches. */
  flush(): void {
    if (!this.#group) return;
    const lines = this.#groupLines();
    this.#group = null;
    this.#o.live([]);
    this.#o.print(lines);
  }

  #groupLines(): string[] {
    const group = this.#group!;
    const { style } = this.#o;
    const width = this.#o.columns();
    const entries = group.entries;
    if (entries.length === 1) {
      const [entry] = entries;
      const lines = [
        style.magenta(`⏺ ${toolLabel(entry.name, entry.args, width)}`),
      ];
      if (entry.result?.ok) {
        lines.push(style.dim(`  ⎿ ${sanitize(resultSummary(entry))}`));
      } else if (entry.result) {
        lines.push(...this.#errorLines(entry.result.output));
      }
      return lines;
    }
    const title = group.kind === "read"
      ? `Read ${plural(entries.length, "file")}`
      : `Searched ${plural(entries.length, "pattern")}`;
    const subjects = entries.map((e) => toolSubject(e.name, e.args, 60));
    const failed = entries.filter((e) => e.result && !e.result.ok).length;
    const lines = [
      style.magenta(`⏺ ${title}`),
      style.dim(`  ⎿ ${oneLine(subjects.join(", "), width - 6)}`),
    ];
    if (failed) lines.push(style.red(`  ⎿ ${failed} failed`));
    return lines;
  }

  #errorLines(message: string): string[] {
    const width = Math.max(20, this.#o.columns() - 1);
    return wrapLine(sanitize(oneLine(message, 600)), width, "  ⎿ ", "    ")
      .map((row) => this.#o.style.red(row));
  }

  #bashLines(output: string): string[] {
    const { style } = this.#o;
    const width = Math.max(20, this.#o.columns() - 1);
    return summarizeOutput(output).flatMap((line) => {
      if (line.kind === "gap") {
        return [style.dim(`  │ … ${plural(line.count, "line")} …`)];
      }
      const paint = line.failing ? style.red : style.dim;
      return wrapLine(sanitize(line.text), width, "  │ ", "  │ ").map(paint);
    });
  }

  #editArgsLines(args: unknown[]): string[] {
    const { style } = this.#o;
    const out: string[] = [];
    const show = (
      value: unknown,
      sign: string,
      color: (t: string) => string,
    ) => {
      const lines = String(value ?? "").split("\n");
      for (const line of lines.slice(0, 6)) {
        out.push(color(`  ${sign} ${sanitize(line)}`));
      }
      if (lines.length > 6) {
        out.push(
          style.dim(`  ${sign} … ${plural(lines.length - 6, "more line")}`),
        );
      }
    };
    show(toolArg(args, 1, "old"), "-", style.red);
    show(toolArg(args, 2, "new"), "+", style.green);
    return out;
  }
}
