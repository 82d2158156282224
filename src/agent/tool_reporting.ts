/**
 * Reports what a tool call does while it runs: a command's output as it
 * arrives (`tool_output`) and a file change about to happen
 * (`file_change`), as events of the turn.
 *
 * @module
 */

import type { EventSink } from "../rlm/events.ts";
import type { CallContext } from "../rlm/functions.ts";
import type { ToolContext, WriteChange } from "../tools/types.ts";
import type { Safety } from "./safety_setup.ts";

/** Callbacks a tool context takes to report progress. */
export interface ToolReporting {
  onOutput?: (text: string) => void;
  onChange?: (change: WriteChange) => void;
}

/**
 * The reporting callbacks for one call; none when the call has no event id
 * (a tool run outside a turn).
 *
 * @example
 * ```ts
 * import { toolReporting } from "./tool_reporting.ts";
 * const events: unknown[] = [];
 * const report = toolReporting(() => (e) => events.push(e), { signal: new AbortController().signal, step: 2, id: 7 });
 * report.onOutput?.("hi\n");
 * console.log(events); // [{ type: "tool_output", step: 2, id: 7, text: "hi\n" }]
 * ```
 */
export function toolReporting(
  sink: () => EventSink | null | undefined,
  call: CallContext | undefined,
): ToolReporting {
  const id = call?.id;
  if (id === undefined || !call) return {};
  const step = call.step;
  // A failing listener must not fail the tool.
  const emit: EventSink = (event) => {
    try {
      sink()?.(event);
    } catch {
      // the listener's problem
    }
  };
  return {
    onOutput: (text) => emit({ type: "tool_output", step, id, text }),
    onChange: (change) =>
      emit({
        type: "file_change",
        step,
        id,
        path: change.display,
        before: change.before,
        after: change.after,
      }),
  };
}

/**
 * Builds each tool call's context from the safety layer, with reporting
 * callbacks that emit to the current turn's sink.
 *
 * @example
 * ```ts ignore
 * const context = reportingContext(() => safety.load()!, () => currentSink);
 * const toolContext = await context(signal, "run_bash", call);
 * ```
 */
export function reportingContext(
  safety: () => Promise<Safety>,
  sink: () => EventSink | null | undefined,
): (
  signal: AbortSignal,
  tool: string,
  call?: CallContext,
) => Promise<ToolContext> {
  return async (signal, tool, call) => {
    const report = toolReporting(sink, call);
    return (await safety()).contextFor(
      tool,
      signal,
      report.onOutput,
      report.onChange,
    );
  };
}
