/**
 * The JSON bodies the client sends: chat completions and the Responses
 * API, with what each provider needs asked for (OpenRouter's usage and
 * cache breakpoints for Anthropic models, the reasoning effort where it is
 * supported) and without what the server refused earlier.
 *
 * @module
 */

import { PROVIDERS, type ResolvedModel } from "./models.ts";
import type { ChatMessage } from "./types.ts";

/** How one request is shaped. */
export interface BodyOptions {
  /** Where the model lives. */
  resolved: ResolvedModel;
  /** `max_tokens` to ask for; none when undefined. */
  maxTokens?: number;
  /** Stream the reply (SSE). */
  stream: boolean;
  /** Ask for usage in the stream (`stream_options.include_usage`). */
  streamOptions: boolean;
  /** The name of the output limit field this server takes. */
  limitField: "max_tokens" | "max_completion_tokens";
  /** Reasoning effort (`low`, `medium`, ...), when set. */
  effort?: string;
  /** Optional parameters the server refused: not sent again. */
  dropped: ReadonlySet<string>;
}

/** Headers OpenRouter uses to attribute requests to an app. */
export const OPENROUTER_HEADERS: Readonly<Record<string, string>> = Object
  .freeze({
    "HTTP-Referer": "https://jsr.io/@nanocode/nanocode",
    "X-OpenRouter-Title": "nanocode",
    "X-Title": "nanocode",
  });

/** Providers that take `reasoning_effort` in chat completions. */
const EFFORT_FIELD = new Set(["openai", "gemini", "groq", "xai"]);

/**
 * Whether the model is an Anthropic one served through OpenRouter, which
 * caches a prompt prefix only at explicit `cache_control` breakpoints.
 *
 * @example
 * ```ts
 * import { needsCacheBreakpoints } from "./request_body.ts";
 * needsCacheBreakpoints({ provider: "openrouter", modelId: "anthropic/claude-opus-4", baseURL: "", apiKey: "k", keyVar: null }); // true
 * ```
 */
export function needsCacheBreakpoints(resolved: ResolvedModel): boolean {
  return resolved.provider === "openrouter" &&
    /^anthropic\//.test(resolved.modelId);
}

type WireContent =
  | string
  | { type: "text"; text: string; cache_control: { type: "ephemeral" } }[];

/**
 * The messages as sent: with cache breakpoints on the system message and
 * the last two user messages when the model needs them (so each request
 * reads the prefix the one before it wrote), plain otherwise.
 *
 * @example
 * ```ts
 * import { wireMessages } from "./request_body.ts";
 * wireMessages([{ role: "user", content: "hi" }], false); // [{ role: "user", content: "hi" }]
 * ```
 */
export function wireMessages(
  messages: ChatMessage[],
  breakpoints: boolean,
): { role: string; content: WireContent }[] {
  const marked = new Set<number>();
  if (breakpoints) {
    messages.forEach((m, i) => m.role === "system" && marked.add(i));
    const users = messages.flatMap((m, i) => m.role === "user" ? [i] : []);
    for (const i of users.slice(-2)) marked.add(i);
  }
  return messages.map((m, i) => ({
    role: m.role,
    content: marked.has(i) && m.content !== ""
      ? [{
        type: "text",
        text: m.content,
        cache_control: { type: "ephemeral" },
      }]
      : m.content,
  }));
}

/**
 * A chat-completions body.
 *
 * @example
 * ```ts
 * import { chatBody } from "./request_body.ts";
 * const body = chatBody([{ role: "user", content: "hi" }], {
 *   resolved: { provider: "custom", modelId: "m", baseURL: "http://127.0.0.1:1/v1", apiKey: "k", keyVar: null },
 *   maxTokens: 100, stream: true, streamOptions: true, limitField: "max_tokens", dropped: new Set(),
 * });
 * console.log(body.max_tokens); // 100
 * ```
 */
export function chatBody(
  messages: ChatMessage[],
  options: BodyOptions,
): Record<string, unknown> {
  const { resolved, dropped } = options;
  const body: Record<string, unknown> = {
    model: resolved.modelId,
    messages: wireMessages(messages, needsCacheBreakpoints(resolved)),
    stream: options.stream,
  };
  if (options.maxTokens !== undefined) {
    body[options.limitField] = options.maxTokens;
  }
  if (options.stream && options.streamOptions) {
    body.stream_options = { include_usage: true };
  }
  // OpenRouter reports the cost only when asked.
  if (resolved.provider === "openrouter") body.usage = { include: true };
  if (options.effort) {
    // A server of one's own (vLLM, Ollama) takes it for the models that
    // reason; one that refuses it gets the request again without it.
    const ownServer = resolved.provider === "custom" ||
      resolved.baseURL !== PROVIDERS[resolved.provider]?.baseURL;
    if (resolved.provider === "openrouter") {
      body.reasoning = { effort: options.effort };
    } else if (EFFORT_FIELD.has(resolved.provider) || ownServer) {
      body.reasoning_effort = options.effort;
    }
  }
  for (const name of dropped) delete body[name];
  return body;
}

/**
 * A Responses API body: the system messages become `instructions`, the
 * rest the `input` list.
 *
 * @example
 * ```ts
 * import { responsesBody } from "./request_body.ts";
 * const body = responsesBody([{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }], {
 *   resolved: { provider: "openai", modelId: "gpt-5.2-codex", baseURL: "https://api.openai.com/v1", apiKey: "k", keyVar: null },
 *   maxTokens: 100, stream: false, streamOptions: false, limitField: "max_completion_tokens", dropped: new Set(),
 * });
 * console.log(body.instructions); // "Be brief."
 * ```
 */
export function responsesBody(
  messages: ChatMessage[],
  options: BodyOptions,
): Record<string, unknown> {
  const system = messages.filter((m) => m.role === "system");
  const body: Record<string, unknown> = {
    model: options.resolved.modelId,
    input: messages.filter((m) => m.role !== "system").map((m) => ({
      role: m.role,
      content: m.content,
    })),
    stream: options.stream,
    store: false,
  };
  if (system.length) {
    body.instructions = system.map((m) => m.content).join("\n\n");
  }
  if (options.maxTokens !== undefined) {
    body.max_output_tokens = options.maxTokens;
  }
  if (options.effort) body.reasoning = { effort: options.effort };
  for (const name of options.dropped) delete body[name];
  return body;
}

/**
 * Whether an `openai/` model is one OpenAI serves only through its
 * Responses API (the `*-codex` family, `codex-mini`, the `*-pro` models).
 *
 * @example
 * ```ts
 * import { responsesOnly } from "./request_body.ts";
 * responsesOnly("gpt-5.2-codex"); // true
 * responsesOnly("gpt-4o"); // false
 * ```
 */
export function responsesOnly(modelId: string): boolean {
  return /codex|^o\d+-pro\b|^gpt-5(?:\.\d+)?-pro\b/i.test(modelId);
}
