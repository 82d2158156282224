/**
 * What a client learns about its server during a session, and how it
 * adapts: a lower output limit, the context window, streaming or
 * `stream_options` turned off, an optional parameter dropped, the
 * Responses API. Learnt once per server and model, for the whole process
 * (the main model and the sub-model share it when they are the same).
 *
 * @module
 */

import type { LmFailure } from "./errors.ts";
import { parseLimit } from "./limits.ts";
import type { ChatMessage, LmNotice, Usage } from "./types.ts";

/** What is known about one server and model. */
export interface Adaptation {
  /** The most output tokens per reply (model limit or credit). */
  maxOutput?: number;
  /** The context window in tokens. */
  window?: number;
  /** The server refused streaming. */
  noStream: boolean;
  /** The server refused `stream_options`. */
  noStreamOptions: boolean;
  /** Optional parameters the server refused. */
  dropped: Set<string>;
  /** The name of the output limit field, once a server said which. */
  limitField?: "max_tokens" | "max_completion_tokens";
  /** The model is served only through the Responses API. */
  useResponses: boolean;
  /** Characters per prompt token, measured from usage (starts at 3). */
  charsPerToken: number;
  /** Whether `charsPerToken` was measured. */
  calibrated: boolean;
  /** Notices already given (each is given once). */
  noticed: Set<string>;
  /** The `/models` lookup, once started. */
  lookup?: Promise<void>;
  /** The kind of local server, when its `/models` listing said. */
  server?: "llama.cpp" | "vllm";
}

const registry = new Map<string, Adaptation>();

/**
 * The shared state of a server and model (made on first use).
 *
 * @example
 * ```ts
 * import { adaptationFor } from "./adaptation.ts";
 * const state = adaptationFor("http://127.0.0.1:8000/v1", "qwen");
 * console.log(state.charsPerToken); // 3
 * ```
 */
export function adaptationFor(baseURL: string, modelId: string): Adaptation {
  const key = `${baseURL} ${modelId}`;
  let state = registry.get(key);
  if (!state) {
    state = {
      noStream: false,
      noStreamOptions: false,
      dropped: new Set(),
      useResponses: false,
      charsPerToken: 3,
      calibrated: false,
      noticed: new Set(),
    };
    registry.set(key, state);
  }
  return state;
}

/** Tokens a message costs beyond its text (role, separators). */
const PER_MESSAGE = 4;

/**
 * Estimates the prompt tokens of a chat from its characters.
 *
 * @example
 * ```ts
 * import { estimateTokens } from "./adaptation.ts";
 * estimateTokens([{ role: "user", content: "x".repeat(300) }], 3); // 104
 * ```
 */
export function estimateTokens(
  messages: readonly ChatMessage[],
  charsPerToken: number,
): number {
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  return Math.ceil(chars / charsPerToken) + PER_MESSAGE * messages.length;
}

/**
 * The `max_tokens` to ask for: the configured value, within what the model
 * allows and what is left of its window after the prompt. `null` when the
 * prompt leaves no room (the conversation must shrink first).
 *
 * @example
 * ```ts
 * import { adaptationFor, requestMaxTokens } from "./adaptation.ts";
 * const state = adaptationFor("http://x/v1", "doc-example");
 * state.window = 1000;
 * requestMaxTokens(state, 50_000, [{ role: "user", content: "x".repeat(300) }]); // 876
 * ```
 */
export function requestMaxTokens(
  state: Adaptation,
  configured: number | undefined,
  messages: readonly ChatMessage[],
): number | undefined | null {
  let limit = configured;
  if (state.maxOutput !== undefined) {
    limit = Math.min(limit ?? state.maxOutput, state.maxOutput);
  }
  if (state.window === undefined || limit === undefined) return limit;
  const prompt = estimateTokens(messages, state.charsPerToken);
  const margin = Math.max(16, Math.ceil(state.window * 0.02));
  const room = state.window - prompt - margin;
  if (room < Math.min(256, limit)) return null;
  return Math.min(limit, room);
}

/** What a request carried, for {@linkcode adaptToFailure}. */
export interface SentRequest {
  /** The model name as the user wrote it. */
  model: string;
  /** `max_tokens` asked for. */
  maxTokens?: number;
  /** Streamed. */
  stream: boolean;
  /** With `stream_options`. */
  streamOptions: boolean;
  /** Optional parameters sent. */
  optional: string[];
  /** Prompt tokens by our estimate. */
  promptTokens: number;
}

/** Optional parameters the client may drop when a server refuses them. */
const DROPPABLE = ["reasoning_effort", "reasoning", "usage", "store"];

/**
 * Learns from a failure. Returns the notices to give when the request
 * should be sent again adapted, `null` when nothing can be learnt.
 *
 * @example
 * ```ts
 * import { adaptationFor, adaptToFailure } from "./adaptation.ts";
 * const state = adaptationFor("https://api.deepseek.com/v1", "doc-deepseek");
 * const notices = adaptToFailure(state, {
 *   kind: "bad_request", status: 400,
 *   detail: "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]",
 * }, { model: "deepseek/deepseek-chat", maxTokens: 50000, stream: true, streamOptions: true, optional: [], promptTokens: 900 });
 * console.log(state.maxOutput, notices?.[0].code); // 8192 "max_tokens_lowered"
 * ```
 */
export function adaptToFailure(
  state: Adaptation,
  failure: LmFailure,
  sent: SentRequest,
): LmNotice[] | null {
  if (
    failure.kind !== "bad_request" && failure.kind !== "quota" &&
    failure.kind !== "context_length"
  ) return null;
  const detail = failure.detail ?? "";
  const param = failure.body?.param ?? "";
  const notices: LmNotice[] = [];
  const say = (code: string, message: string) => {
    if (!state.noticed.has(code)) notices.push({ code, message });
    state.noticed.add(code);
    return notices;
  };
  if (/only supported in v1\/responses/i.test(detail) && !state.useResponses) {
    state.useResponses = true;
    return say(
      "responses_api",
      `${sent.model} is served through the Responses API; using it`,
    );
  }
  if (
    sent.stream &&
    (param === "stream" ||
      /verified to stream|stream(?:ing)? (?:is )?not (?:supported|allowed|available)|does not support stream/i
        .test(detail))
  ) {
    state.noStream = true;
    return say(
      "stream_off",
      `The server does not stream ${sent.model} for this account; replies arrive whole`,
    );
  }
  if (
    sent.streamOptions &&
    (param === "stream_options" || /stream_options/.test(detail))
  ) {
    state.noStreamOptions = true;
    return say(
      "stream_options_off",
      "The server refused stream_options; sending without it",
    );
  }
  const unsupported =
    /(?:unsupported|unknown|unrecognized|extra) (?:parameter|request argument|inputs?)[^'"`]*['"`]?(\w+)/i
      .exec(detail)?.[1] ??
      (/unsupported|unknown|not supported/i.test(detail) ? param : "");
  if (unsupported === "max_tokens" && /max_completion_tokens/.test(detail)) {
    state.limitField = "max_completion_tokens";
    return notices;
  }
  if (
    unsupported === "max_completion_tokens" && state.limitField !== "max_tokens"
  ) {
    state.limitField = "max_tokens";
    return notices;
  }
  const refused = DROPPABLE.includes(unsupported)
    ? unsupported
    : refusedParameter(detail, sent.optional);
  if (refused && sent.optional.includes(refused)) {
    state.dropped.add(refused);
    return say(
      `dropped_${refused}`,
      `The server refused ${refused}; sending without it`,
    );
  }
  return adaptToLimit(state, failure, sent, say);
}

/** Words of a server that refuses a parameter, in providers' phrasings. */
const REFUSAL_WORDS =
  /not supported|unsupported|does not support|unknown|unrecognized|not permitted|not allowed|cannot find field|must be one of|not one of the allowed/i;

/**
 * The optional parameter a refusal names, in any spelling (Groq:
 * "`reasoning_effort` is not supported with this model", "`reasoning_effort`
 * must be one of `none` or `default`"; xAI: "Argument not supported on this
 * model: reasoningEffort"; Gemini: 'Unknown name "reasoning": Cannot find
 * field'); `""` when none.
 */
function refusedParameter(detail: string, sent: string[]): string {
  if (!REFUSAL_WORDS.test(detail)) return "";
  return DROPPABLE.find((name) =>
    sent.includes(name) &&
    new RegExp(`(?<![\\w.])${name.replace(/_(\w)/g, "_?$1")}(?![\\w])`, "i")
      .test(detail)
  ) ?? "";
}

function adaptToLimit(
  state: Adaptation,
  failure: LmFailure,
  sent: SentRequest,
  say: (code: string, message: string) => LmNotice[],
): LmNotice[] | null {
  const hint = parseLimit(failure.detail ?? "", failure.body?.fields);
  if (!hint || sent.maxTokens === undefined) return null;
  if (hint.affordable !== undefined) {
    if (hint.affordable < 512 || hint.affordable >= sent.maxTokens) return null;
    state.maxOutput = hint.affordable;
    return say(
      "max_tokens_lowered",
      `max_tokens lowered to ${hint.affordable} (what the account's credit covers for ${sent.model})`,
    );
  }
  if (hint.maxOutput !== undefined && hint.maxOutput < sent.maxTokens) {
    state.maxOutput = hint.maxOutput;
    return say(
      "max_tokens_lowered",
      `max_tokens lowered to ${hint.maxOutput} (the most ${sent.model} allows)`,
    );
  }
  if (hint.window === undefined) return null;
  const known = state.window;
  state.window = hint.window;
  if (hint.inputTokens !== undefined && hint.inputTokens > 0) {
    calibrate(state, sent.promptTokens * state.charsPerToken, hint.inputTokens);
    // The prompt alone does not fit: only a shorter chat helps.
    if (hint.inputTokens >= hint.window - 16) return null;
  }
  if (known !== undefined && known <= hint.window) return null;
  return say(
    "window_learnt",
    `${sent.model} has a ${hint.window}-token context window; max_tokens is fitted to it`,
  );
}

/** Records characters per token measured on a prompt. */
function calibrate(state: Adaptation, chars: number, tokens: number): void {
  if (tokens < 50 || chars < 200) return;
  const ratio = Math.min(6, Math.max(1.5, chars / tokens));
  state.charsPerToken = state.calibrated
    ? (state.charsPerToken + ratio) / 2
    : ratio;
  state.calibrated = true;
}

/**
 * Learns from a successful reply's usage: measures characters per token,
 * and spots a server that cut the prompt to fit a small context (Ollama
 * does so silently): its count is far below what was sent. Returns the
 * notice to give then (once).
 *
 * @example
 * ```ts
 * import { adaptationFor, observeUsage } from "./adaptation.ts";
 * const state = adaptationFor("http://localhost:11434/v1", "doc-llama");
 * const messages = [{ role: "user" as const, content: "word ".repeat(20_000) }];
 * observeUsage(state, { promptTokens: 4096, completionTokens: 10, cachedTokens: 0 }, messages, true)?.code;
 * // "prompt_truncated"
 * ```
 */
export function observeUsage(
  state: Adaptation,
  usage: Usage,
  messages: readonly ChatMessage[],
  ollama: boolean,
): LmNotice | null {
  if (usage.promptTokens <= 0) return null;
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  const expected = chars / (state.calibrated ? state.charsPerToken : 4);
  const truncated = chars > 8_000 && usage.promptTokens < expected * 0.6;
  if (!truncated) {
    calibrate(state, chars, usage.promptTokens);
    return null;
  }
  if (state.noticed.has("prompt_truncated")) return null;
  state.noticed.add("prompt_truncated");
  const sent = Math.round(expected);
  return {
    code: "prompt_truncated",
    message: ollama
      ? `Ollama cut the prompt to ${usage.promptTokens} tokens (about ${sent} were sent), so the model sees only part of it: start Ollama with a larger context, e.g. OLLAMA_CONTEXT_LENGTH=32768 ollama serve, or set num_ctx in a Modelfile (PARAMETER num_ctx 32768)`
      : `The server counted ${usage.promptTokens} prompt tokens of about ${sent} sent: it is cutting the prompt to fit a small context; raise the server's context size (Ollama: OLLAMA_CONTEXT_LENGTH or num_ctx)`,
  };
}
