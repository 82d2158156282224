/**
 * The REPL functions of one RLM run as the sandbox calls them, reporting
 * tool calls (`tool_call` / `tool_result`) and sub-model activity
 * (`sub_lm_call` / `sub_lm_result` / `usage`) as events.
 *
 * @module
 */

import type { HostFunction } from "../sandbox/types.ts";
import { addUsage, type EventSink, type UsageTotals } from "./events.ts";
import type { ReplFunction, SubLmHooks } from "./functions.ts";
import type { ToolProgress } from "../tools/types.ts";
import { resultText } from "./list_result.ts";

/** What the functions of a run report through. */
export interface RunReporting {
  /** Receives the events. */
  emit: EventSink;
  /** The next event id of the run (tool and sub-model calls share them). */
  nextId: () => number;
  /** The iteration running now. */
  step: () => number;
}

/**
 * Hooks for the sub-model functions that emit their calls, results and
 * usage, adding the usage to the run's totals.
 *
 * @example
 * ```ts
 * import { emptyTotals } from "./events.ts";
 * import { subLmEvents } from "./host_functions.ts";
 * const usage = emptyTotals();
 * const hooks = subLmEvents({ emit: console.log, nextId: () => 1, step: () => 1 }, usage);
 * hooks.onUsage({ promptTokens: 3, completionTokens: 1, cachedTokens: 0 }, "m", 1);
 * console.log(usage.subLmCalls); // 1
 * ```
 */
export function subLmEvents(
  reporting: RunReporting,
  usage: UsageTotals,
): SubLmHooks {
  const { emit, nextId } = reporting;
  return {
    onCall: (prompts, at) => {
      const id = nextId();
      emit({ type: "sub_lm_call", step: at, id, prompts });
      return id;
    },
    onResult: (id, answers, durationMs, at) =>
      emit({ type: "sub_lm_result", step: at, id, answers, durationMs }),
    onRetry: (info, at) =>
      emit({ type: "retry", step: at, source: "sub_lm", ...info }),
    onNotice: (notice, at) => emit({ type: "notice", step: at, ...notice }),
    onUsage: (callUsage, model, at) => {
      addUsage(usage, callUsage, "sub_lm");
      emit({
        type: "usage",
        step: at,
        model,
        usage: callUsage,
        total: { ...usage },
      });
    },
  };
}

/**
 * The host functions of a run, by name: each tool emits `tool_call` before
 * it runs and `tool_result` after it returns or throws; the sub-model
 * functions (which report through their own hooks) run as they are. A
 * sub-model function replaces a tool of the same name.
 *
 * @example
 * ```ts ignore
 * const host = hostFunctions(tools, subFunctions, { emit, nextId, step: () => step });
 * await sandbox.run(code, { functions: host });
 * ```
 */
export function hostFunctions(
  tools: ReplFunction[],
  subFunctions: ReplFunction[],
  reporting: RunReporting,
): Record<string, HostFunction> {
  const { emit, nextId } = reporting;
  const subNames = new Set(subFunctions.map((f) => f.name));
  const host: Record<string, HostFunction> = {};
  for (const fn of [...tools, ...subFunctions]) {
    const call: HostFunction = async (args, callSignal) => {
      const at = reporting.step();
      if (subNames.has(fn.name)) {
        return await fn.run(args, { signal: callSignal, step: at });
      }
      const id = nextId();
      emit({ type: "tool_call", step: at, id, name: fn.name, args });
      const started = performance.now();
      const progress = (update: ToolProgress) =>
        emit({ type: "tool_progress", step: at, id, name: fn.name, ...update });
      try {
        const value = await fn.run(args, {
          signal: callSignal,
          step: at,
          id,
          progress,
        });
        emit({
          type: "tool_result",
          step: at,
          id,
          name: fn.name,
          ok: true,
          output: resultText(value),
          durationMs: performance.now() - started,
        });
        return value;
      } catch (error) {
        emit({
          type: "tool_result",
          step: at,
          id,
          name: fn.name,
          ok: false,
          output: (error as Error)?.message ?? String(error),
          durationMs: performance.now() - started,
        });
        throw error;
      }
    };
    host[fn.name] = fn.help === undefined
      ? call
      : Object.assign(call, { help: fn.help });
  }
  return host;
}
