/**
 * Reads chat-completion replies, whole or streamed: the text, reasoning
 * sent apart from it (`reasoning_content`, OpenRouter's `reasoning`), a
 * refusal, tool calls, usage and the finish reason.
 *
 * @module
 */

import type { Completion, ToolCallReply, Usage } from "./types.ts";

/** A reply that is not a chat completion; `detail` says what is wrong. */
export class MalformedReply extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = "MalformedReply";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

function num(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Token counts from a `usage` object: OpenAI's names, with cached prompt
 * tokens from `prompt_tokens_details.cached_tokens` (DeepSeek:
 * `prompt_cache_hit_tokens`; the Responses API: `input_tokens`).
 *
 * @example
 * ```ts
 * import { toUsage } from "./chat_reply.ts";
 * toUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8 } });
 * // { promptTokens: 10, completionTokens: 2, cachedTokens: 8 }
 * ```
 */
export function toUsage(raw: unknown): Usage {
  const u = isRecord(raw) ? raw : {};
  const details = isRecord(u.prompt_tokens_details)
    ? u.prompt_tokens_details
    : isRecord(u.input_tokens_details)
    ? u.input_tokens_details
    : {};
  const usage: Usage = {
    promptTokens: num(u, "prompt_tokens") || num(u, "input_tokens"),
    completionTokens: num(u, "completion_tokens") || num(u, "output_tokens"),
    cachedTokens: num(details, "cached_tokens") ||
      num(u, "prompt_cache_hit_tokens"),
  };
  if (typeof u.cost === "number" && Number.isFinite(u.cost)) {
    usage.cost = u.cost;
  }
  return usage;
}

/**
 * Reads a whole (non-streamed) chat completion.
 *
 * @throws {MalformedReply} when it is not one.
 * @example
 * ```ts
 * import { readChatCompletion } from "./chat_reply.ts";
 * const c = readChatCompletion({ model: "m", choices: [{ message: { content: "hi" }, finish_reason: "stop" }] }, "m");
 * console.log(c.text); // "hi"
 * ```
 */
export function readChatCompletion(reply: unknown, model: string): Completion {
  if (typeof reply === "string") {
    throw new MalformedReply("the body is text, not JSON");
  }
  if (!isRecord(reply)) {
    throw new MalformedReply("the body is not a JSON object");
  }
  const choices = reply.choices;
  if (
    !Array.isArray(choices) || !isRecord(choices[0]) ||
    !isRecord(choices[0].message)
  ) {
    throw new MalformedReply("it has no choices[0].message");
  }
  const message = choices[0].message;
  const content = message.content;
  if (
    content !== null && content !== undefined && typeof content !== "string"
  ) {
    throw new MalformedReply("choices[0].message.content is not text");
  }
  const completion: Completion = {
    text: content ?? "",
    usage: toUsage(reply.usage),
    model: str(reply, "model") || model,
    finishReason: str(choices[0], "finish_reason") || null,
  };
  const reasoning = str(message, "reasoning_content") ||
    str(message, "reasoning");
  if (reasoning) completion.reasoning = reasoning;
  if (str(message, "refusal")) completion.refusal = str(message, "refusal");
  const calls = toolCalls(message.tool_calls);
  if (calls.length) completion.toolCalls = calls;
  return completion;
}

function toolCalls(raw: unknown): ToolCallReply[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((call) => {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : null;
    return fn
      ? [{ name: str(fn, "name"), arguments: str(fn, "arguments") }]
      : [];
  });
}

/**
 * Collects a streamed chat completion chunk by chunk.
 *
 * @example
 * ```ts
 * import { ChatStream } from "./chat_reply.ts";
 * const s = new ChatStream("m");
 * s.add({ choices: [{ index: 0, delta: { content: "hi" } }] }); // "hi"
 * s.add({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
 * console.log(s.result().text); // "hi"
 * ```
 */
export class ChatStream {
  #text = "";
  #reasoning = "";
  #refusal = "";
  #calls = new Map<number, ToolCallReply>();
  #usage: Usage = toUsage(undefined);
  #model = "";
  /** Why generation stopped, once a chunk said so. */
  finishReason: string | null = null;

  constructor(readonly requested: string) {}

  /**
   * Adds a chunk; returns its new reply text (`""` if none).
   *
   * @throws {MalformedReply} when the chunk is not a JSON object.
   */
  add(chunk: unknown): string {
    if (!isRecord(chunk)) {
      throw new MalformedReply("a stream chunk is not a JSON object");
    }
    if (isRecord(chunk.usage)) this.#usage = toUsage(chunk.usage);
    this.#model ||= str(chunk, "model");
    const choice = Array.isArray(chunk.choices)
      ? chunk.choices.find((c) => isRecord(c) && (c.index ?? 0) === 0)
      : undefined;
    if (!isRecord(choice)) return "";
    this.finishReason = str(choice, "finish_reason") || this.finishReason;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    this.#reasoning += str(delta, "reasoning_content") ||
      str(delta, "reasoning");
    this.#refusal += str(delta, "refusal");
    if (Array.isArray(delta.tool_calls)) {
      for (const part of delta.tool_calls) {
        if (!isRecord(part)) continue;
        const index = typeof part.index === "number" ? part.index : 0;
        const fn = isRecord(part.function) ? part.function : {};
        const call = this.#calls.get(index) ?? { name: "", arguments: "" };
        call.name += str(fn, "name");
        call.arguments += str(fn, "arguments");
        this.#calls.set(index, call);
      }
    }
    const text = str(delta, "content");
    this.#text += text;
    return text;
  }

  /** The reply so far. */
  result(): Completion {
    const completion: Completion = {
      text: this.#text,
      usage: this.#usage,
      model: this.#model || this.requested,
      finishReason: this.finishReason,
    };
    if (this.#reasoning) completion.reasoning = this.#reasoning;
    if (this.#refusal) completion.refusal = this.#refusal;
    if (this.#calls.size) completion.toolCalls = [...this.#calls.values()];
    return completion;
  }
}
