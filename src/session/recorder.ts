/**
 * Writes a turn to the session log as it happens: the user's request, every
 * chat message, each step and each model call's usage, then the answer (or
 * that the turn was interrupted or failed).
 *
 * @module
 */

import type { ForwardResult } from "../agent/types.ts";
import type { RlmEvent } from "../rlm/events.ts";
import type { SessionLog } from "./store.ts";

const JOURNAL_CHARS = 4000;

/** Shortens long strings (a whole file written, a long output) for the journal. */
function clip(value: unknown): unknown {
  if (typeof value === "string" && value.length > JOURNAL_CHARS) {
    return `${value.slice(0, JOURNAL_CHARS)}… [${
      value.length - JOURNAL_CHARS
    } more characters]`;
  }
  if (Array.isArray(value)) return value.map(clip);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, clip(v)]),
    );
  }
  return value;
}

/** Records one turn; call exactly one of `answered`, `interrupted`, `failed` at the end. */
export interface TurnRecorder {
  onEvent(event: RlmEvent): void;
  answered(result: ForwardResult): void;
  interrupted(): void;
  failed(error: unknown): void;
}

/**
 * Starts recording a turn. With `trace` (the `track_trace` setting), tool
 * arguments and results are written whole, and every sub-model query and
 * answer gets a record (`sub_lm_call`, `sub_lm_result`).
 *
 * @example
 * ```ts ignore
 * const recorder = recordTurn(log, "fix the test");
 * const result = await agent.forward("fix the test", { onEvent: recorder.onEvent });
 * recorder.answered(result);
 * ```
 */
export function recordTurn(
  log: SessionLog,
  text: string,
  options: { trace?: boolean } = {},
): TurnRecorder {
  const keep = options.trace ? (value: unknown) => value : clip;
  const turn = ++log.turn;
  log.append({ type: "user", turn, text });
  let reasoning = "";
  let code: string | undefined;
  return {
    onEvent(event) {
      switch (event.type) {
        case "message":
          log.append({
            type: "message",
            turn,
            role: event.role,
            content: event.content,
          });
          break;
        case "model_reply":
          reasoning = event.reasoning;
          code = undefined;
          break;
        case "code":
          code = event.code;
          break;
        case "observation":
          log.append({
            type: "step",
            turn,
            step: event.step,
            reasoning,
            code,
            observation: event.text,
          });
          break;
        case "tool_call":
          log.append({
            type: "tool_call",
            turn,
            step: event.step,
            id: event.id,
            name: event.name,
            args: event.args.map((arg) => keep(arg)),
          });
          break;
        case "tool_result":
          log.append({
            type: "tool_result",
            turn,
            id: event.id,
            ok: event.ok,
            output: keep(event.output) as string,
          });
          break;
        case "sub_lm_call":
          if (options.trace) {
            log.append({
              type: "sub_lm_call",
              turn,
              step: event.step,
              id: event.id,
              prompts: event.prompts,
            });
          }
          break;
        case "sub_lm_result":
          if (options.trace) {
            log.append({
              type: "sub_lm_result",
              turn,
              id: event.id,
              answers: event.answers,
              durationMs: event.durationMs,
            });
          }
          break;
        case "usage":
          log.append({
            type: "usage",
            turn,
            model: event.model,
            usage: event.usage,
          });
          break;
      }
    },
    answered(result) {
      log.append({
        type: "answer",
        turn,
        text: result.answer,
        usage: result.usage,
        extracted: result.extracted,
      });
    },
    interrupted() {
      log.append({ type: "interrupted", turn });
    },
    failed(error) {
      log.append({
        type: "failed",
        turn,
        error: (error as Error)?.message ?? String(error),
      });
    },
  };
}
