/**
 * Reads OpenAI Responses API replies, whole or as a stream of events, into
 * the same {@linkcode Completion} a chat completion gives.
 *
 * @module
 */

import { MalformedReply, toUsage } from "./chat_reply.ts";
import type { Completion, ToolCallReply } from "./types.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

/** A Responses API failure reported inside a reply or a stream. */
export class ResponseFailed extends Error {
  constructor(readonly detail: string, readonly code: string) {
    super(detail);
    this.name = "ResponseFailed";
  }
}

function finishOf(response: Record<string, unknown>): string | null {
  const status = str(response, "status");
  if (status === "completed") return "stop";
  if (status === "incomplete") {
    const details = isRecord(response.incomplete_details)
      ? response.incomplete_details
      : {};
    const reason = str(details, "reason");
    return reason === "max_output_tokens" ? "length" : reason || "length";
  }
  return status || null;
}

/**
 * Reads a whole Responses API reply.
 *
 * @throws {MalformedReply} when it is not one; {@linkcode ResponseFailed}
 *   when it reports a failure.
 * @example
 * ```ts
 * import { readResponse } from "./responses_reply.ts";
 * const c = readResponse({ status: "completed", model: "m", output: [{ type: "message", content: [{ type: "output_text", text: "hi" }] }] }, "m");
 * console.log(c.text, c.finishReason); // "hi" "stop"
 * ```
 */
export function readResponse(reply: unknown, model: string): Completion {
  if (!isRecord(reply) || !Array.isArray(reply.output)) {
    throw new MalformedReply("it has no output list");
  }
  if (str(reply, "status") === "failed") {
    const error = isRecord(reply.error) ? reply.error : {};
    throw new ResponseFailed(str(error, "message"), str(error, "code"));
  }
  let text = "";
  let refusal = "";
  let reasoning = "";
  const calls: ToolCallReply[] = [];
  for (const item of reply.output) {
    if (!isRecord(item)) continue;
    if (item.type === "function_call") {
      calls.push({
        name: str(item, "name"),
        arguments: str(item, "arguments"),
      });
    }
    if (item.type === "reasoning" && Array.isArray(item.summary)) {
      for (const part of item.summary) {
        if (isRecord(part)) reasoning += str(part, "text");
      }
    }
    if (item.type !== "message" || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (!isRecord(part)) continue;
      if (part.type === "output_text") text += str(part, "text");
      if (part.type === "refusal") refusal += str(part, "refusal");
    }
  }
  const completion: Completion = {
    text,
    usage: toUsage(reply.usage),
    model: str(reply, "model") || model,
    finishReason: finishOf(reply),
  };
  if (refusal) completion.refusal = refusal;
  if (reasoning) completion.reasoning = reasoning;
  if (calls.length) completion.toolCalls = calls;
  return completion;
}

/**
 * Collects a streamed Responses API reply event by event; the final
 * `response.completed` (or `response.incomplete`) event carries usage and
 * status.
 *
 * @example
 * ```ts
 * import { ResponseStream } from "./responses_reply.ts";
 * const s = new ResponseStream("m");
 * s.add({ type: "response.output_text.delta", delta: "hi" }); // "hi"
 * s.add({ type: "response.completed", response: { status: "completed", output: [] } });
 * console.log(s.result().text, s.done); // "hi" true
 * ```
 */
export class ResponseStream {
  #text = "";
  #final: Completion | null = null;

  constructor(readonly requested: string) {}

  /** Whether the closing event arrived. */
  get done(): boolean {
    return this.#final !== null;
  }

  /**
   * Adds an event; returns its new reply text (`""` if none).
   *
   * @throws {ResponseFailed} for an `error` or `response.failed` event.
   */
  add(event: unknown): string {
    if (!isRecord(event)) {
      throw new MalformedReply("a stream event is not a JSON object");
    }
    const type = str(event, "type");
    if (type === "response.output_text.delta") {
      const delta = str(event, "delta");
      this.#text += delta;
      return delta;
    }
    if (type === "error") {
      throw new ResponseFailed(str(event, "message"), str(event, "code"));
    }
    const response = isRecord(event.response) ? event.response : null;
    if (response && type === "response.failed") {
      const error = isRecord(response.error) ? response.error : {};
      throw new ResponseFailed(str(error, "message"), str(error, "code"));
    }
    if (
      response &&
      (type === "response.completed" || type === "response.incomplete")
    ) {
      this.#final = readResponse({ output: [], ...response }, this.requested);
    }
    return "";
  }

  /** The reply: the closing event's, with the streamed text. */
  result(): Completion {
    const final = this.#final ?? {
      text: "",
      usage: toUsage(undefined),
      model: this.requested,
      finishReason: null,
    };
    return { ...final, text: final.text || this.#text };
  }
}
