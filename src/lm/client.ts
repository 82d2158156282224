/**
 * The real language model: any OpenAI-compatible chat-completions server,
 * through the `openai` SDK. The only module that imports `openai`.
 *
 * @module
 */

import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from "openai";
import {
  connectionReason,
  httpFailure,
  isTransient,
  LmError,
  lmErrorFor,
  type LmFailure,
  retryReason,
  serverDetail,
  transportReason,
} from "./errors.ts";
import {
  PROVIDERS,
  readEnv,
  type ResolvedModel,
  resolveModel,
} from "./models.ts";
import { backoffDelay, idleFetch, IdleTimeoutError, sleep } from "./retry.ts";
import type {
  Completion,
  CompletionRequest,
  LanguageModel,
  Usage,
} from "./types.ts";

/** What {@linkcode OpenAiLmOptions.onRetry} is told before each retry. */
export interface RetryInfo {
  /** Which retry this is: 1 for the first. */
  attempt: number;
  /** How long the client waits before it. */
  delayMs: number;
  /** Why, e.g. `HTTP 429 (rate limited)` or `connection refused`. */
  reason: string;
}

/** Options of {@linkcode OpenAiLm}. */
export interface OpenAiLmOptions {
  /** Model name in `provider/model` form, e.g. `openrouter/openai/gpt-5-mini`. */
  model: string;
  /** Base URL of an OpenAI-compatible server; overrides the provider's. */
  apiBase?: string;
  /** API key; overrides the environment. */
  apiKey?: string;
  /** Reads environment variables (default `Deno.env.get`, `undefined` without permission). */
  env?: (name: string) => string | undefined;
  /** Default `max_tokens` of each request. */
  maxTokens?: number;
  /** Idle timeout: abort when the server sends nothing for this long (default 600 000). */
  timeoutMs?: number;
  /** Retries after a 429, 5xx or connection failure (default 4). */
  maxRetries?: number;
  /** Wait before the first retry; doubles each time (default 1000). */
  retryBaseMs?: number;
  /** Longest wait between retries, `Retry-After` included (default 30 000). */
  retryMaxMs?: number;
  /** Called before each retry wait. */
  onRetry?: (info: RetryInfo) => void;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
}

/**
 * A {@linkcode LanguageModel} backed by an OpenAI-compatible server.
 * Failures throw an {@linkcode LmError} whose message is one sentence
 * saying what to do; a missing key is reported by `complete()`, not here.
 *
 * @example
 * ```ts
 * import { OpenAiLm } from "./client.ts";
 * const lm = new OpenAiLm({ model: "openrouter/openai/gpt-5-mini", maxTokens: 2000 });
 * const reply = await lm.complete({
 *   messages: [{ role: "user", content: "Say hi" }],
 *   onDelta: (text) => console.log(text),
 * });
 * console.log(reply.text, reply.usage.promptTokens);
 * ```
 */
export class OpenAiLm implements LanguageModel {
  /** The model name in `provider/model` form. */
  readonly model: string;
  readonly #resolved: ResolvedModel;
  readonly #options: OpenAiLmOptions;
  readonly #timeoutMs: number;
  #sdk: OpenAI | undefined;

  /** Resolves the model name; throws a `TypeError` for a bad name or `apiBase`. */
  constructor(options: OpenAiLmOptions) {
    this.model = options.model;
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 600_000;
    const resolved = resolveModel(options.model, {
      apiBase: options.apiBase,
      env: options.env ?? readEnv,
    });
    this.#resolved = options.apiKey
      ? { ...resolved, apiKey: options.apiKey }
      : resolved;
  }

  /** Sends the chat; streams when `request.onDelta` is set. */
  async complete(request: CompletionRequest): Promise<Completion> {
    const { signal } = request;
    const maxRetries = this.#options.maxRetries ?? 4;
    if (this.#resolved.apiKey === null) {
      throw this.#error({ kind: "missing_key" }, 1);
    }
    const sdk = this.#client(this.#resolved.apiKey);
    const progress = { delivered: false };
    for (let attempt = 1;; attempt++) {
      if (signal?.aborted) {
        throw this.#error({ kind: "aborted", cause: signal.reason }, attempt);
      }
      let failure: LmFailure;
      try {
        return request.onDelta
          ? await this.#streamed(sdk, request, progress)
          : await this.#plain(sdk, request);
      } catch (error) {
        if (error instanceof CallbackError) throw error.error;
        if (signal?.aborted) {
          throw this.#error({ kind: "aborted", cause: signal.reason }, attempt);
        }
        failure = error instanceof FailureError
          ? error.failure
          : classify(error);
      }
      const transient = isTransient(failure.kind);
      // Text already reached onDelta: a retry would repeat it, so report the cut instead.
      if (progress.delivered && transient) {
        failure = { ...failure, kind: "stream_cut" };
      }
      const retryable = transient && !progress.delivered;
      if (!retryable || attempt > maxRetries) {
        throw this.#error(failure, attempt);
      }
      const retryMaxMs = this.#options.retryMaxMs ?? 30_000;
      const delayMs = failure.retryAfterMs !== undefined
        ? Math.min(failure.retryAfterMs, retryMaxMs)
        : backoffDelay(attempt, {
          baseMs: this.#options.retryBaseMs ?? 1000,
          maxMs: retryMaxMs,
        });
      this.#options.onRetry?.({
        attempt,
        delayMs,
        reason: retryReason(failure),
      });
      try {
        await sleep(delayMs, signal);
      } catch {
        throw this.#error({ kind: "aborted", cause: signal?.reason }, attempt);
      }
    }
  }

  #client(apiKey: string): OpenAI {
    this.#sdk ??= new OpenAI({
      apiKey,
      baseURL: this.#resolved.baseURL,
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      // The SDK's timeout is a total deadline; ours is an idle timeout (idleFetch).
      timeout: MAX_TIMER_MS,
      logLevel: "off",
      fetch: idleFetch(this.#timeoutMs),
      defaultHeaders: this.#options.headers,
    });
    return this.#sdk;
  }

  #body(request: CompletionRequest) {
    const maxTokens = request.maxTokens ?? this.#options.maxTokens;
    // api.openai.com rejects max_tokens for newer models; other servers may not know the new name.
    const limitField =
      new URL(this.#resolved.baseURL).hostname === "api.openai.com"
        ? "max_completion_tokens"
        : "max_tokens";
    return {
      model: this.#resolved.modelId,
      messages: request.messages.map((m) => ({
        role: m.role,
        content: m.content,
      })),
      ...(maxTokens === undefined ? {} : { [limitField]: maxTokens }),
      // OpenRouter reports the cost only when asked.
      ...(this.#resolved.provider === "openrouter"
        ? { usage: { include: true } }
        : {}),
    };
  }

  async #plain(sdk: OpenAI, request: CompletionRequest): Promise<Completion> {
    const body = { ...this.#body(request), stream: false as const };
    const reply: unknown = await sdk.chat.completions.create(body, {
      signal: request.signal,
    });
    request.onStart?.();
    if (!isRecord(reply)) {
      throw failWith("bad_response", "the body is not a JSON object");
    }
    if (isRecord(reply.error)) {
      throw failWith("server", stringField(reply.error, "message"));
    }
    const choices = reply.choices;
    if (
      !Array.isArray(choices) || !isRecord(choices[0]) ||
      !isRecord(choices[0].message)
    ) {
      throw failWith("bad_response", "it has no choices[0].message");
    }
    const content = choices[0].message.content;
    if (
      content !== null && content !== undefined && typeof content !== "string"
    ) {
      throw failWith("bad_response", "choices[0].message.content is not text");
    }
    return {
      text: content ?? "",
      usage: toUsage(reply.usage),
      model: stringField(reply, "model") || this.#resolved.modelId,
      finishReason: stringField(choices[0], "finish_reason") || null,
    };
  }

  async #streamed(
    sdk: OpenAI,
    request: CompletionRequest,
    progress: { delivered: boolean },
  ): Promise<Completion> {
    const body = {
      ...this.#body(request),
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const stream = await sdk.chat.completions.create(body, {
      signal: request.signal,
    });
    request.onStart?.();
    let text = "";
    let usage = toUsage(undefined);
    let model = "";
    let finishReason: string | null = null;
    for await (const chunk of stream as AsyncIterable<unknown>) {
      if (!isRecord(chunk)) {
        throw failWith("bad_response", "a stream chunk is not a JSON object");
      }
      if (isRecord(chunk.usage)) usage = toUsage(chunk.usage);
      model ||= stringField(chunk, "model");
      const choice = Array.isArray(chunk.choices)
        ? chunk.choices.find((c) => isRecord(c) && (c.index ?? 0) === 0)
        : undefined;
      if (!isRecord(choice)) continue;
      const delta = isRecord(choice.delta) ? choice.delta.content : undefined;
      if (typeof delta === "string" && delta !== "") {
        text += delta;
        progress.delivered = true;
        try {
          request.onDelta?.(delta);
        } catch (error) {
          throw new CallbackError(error);
        }
      }
      finishReason = stringField(choice, "finish_reason") || finishReason;
    }
    // The SDK ends the stream quietly when the request is aborted or the server stops early.
    if (request.signal?.aborted) throw request.signal.reason;
    if (finishReason === null) {
      throw failWith("stream_cut", "the stream ended without a finish reason");
    }
    return {
      text,
      usage,
      model: model || this.#resolved.modelId,
      finishReason,
    };
  }

  #error(failure: LmFailure, attempts: number): LmError {
    const { baseURL, keyVar, provider } = this.#resolved;
    const keysUrl = keyVar ? PROVIDERS[provider]?.keysUrl : undefined;
    const timeoutMs = this.#timeoutMs;
    const context = { model: this.model, baseURL, keyVar, keysUrl, attempts };
    return lmErrorFor(failure, { ...context, timeoutMs });
  }
}

/** The longest delay `setTimeout` accepts. */
const MAX_TIMER_MS = 2_147_483_647;

/** Thrown by `onDelta`: passed to the caller untouched. */
class CallbackError extends Error {
  constructor(readonly error: unknown) {
    super("onDelta threw");
  }
}

/** A failure this module detected itself (not through the SDK). */
class FailureError extends Error {
  constructor(readonly failure: LmFailure) {
    super(failure.detail ?? failure.kind);
  }
}

function failWith(kind: LmFailure["kind"], detail: string): FailureError {
  return new FailureError({ kind, detail });
}

/** Maps an error from the SDK or the transport to a failure. */
function classify(error: unknown): LmFailure {
  // idleFetch fails with IdleTimeoutError; the SDK wraps it while awaiting headers.
  const idle = error instanceof Error &&
    error.cause instanceof IdleTimeoutError;
  if (error instanceof IdleTimeoutError || idle) {
    return { kind: "timeout", cause: error };
  }
  if (error instanceof APIUserAbortError) {
    return { kind: "aborted", cause: error };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return { kind: "timeout", cause: error };
  }
  if (error instanceof APIConnectionError) {
    return {
      kind: "unreachable",
      detail: connectionReason(error),
      cause: error,
    };
  }
  if (error instanceof APIError) {
    const status = error.status;
    // The SDK prefixes the status to its message; prefer the server's own words.
    const detail = serverDetail(error.error, error.message);
    if (status === undefined) return { kind: "server", detail, cause: error }; // an error event mid-stream
    return { ...httpFailure(status, detail, error.headers), cause: error };
  }
  if (error instanceof SyntaxError) {
    return { kind: "bad_response", detail: "malformed JSON", cause: error };
  }
  if (error instanceof OpenAIError) {
    return { kind: "bad_response", cause: error };
  }
  if (
    error instanceof TypeError ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.UnexpectedEof
  ) {
    return { kind: "stream_cut", detail: transportReason(error), cause: error };
  }
  throw error;
}

function toUsage(raw: unknown): Usage {
  const u = isRecord(raw) ? raw : {};
  const details = isRecord(u.prompt_tokens_details)
    ? u.prompt_tokens_details
    : {};
  const usage: Usage = {
    promptTokens: numberField(u, "prompt_tokens"),
    completionTokens: numberField(u, "completion_tokens"),
    cachedTokens: numberField(details, "cached_tokens"),
  };
  if (typeof u.cost === "number" && Number.isFinite(u.cost)) {
    usage.cost = u.cost;
  }
  return usage;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

function numberField(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
