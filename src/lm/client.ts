/**
 * The real language model: any OpenAI-compatible server (chat completions,
 * or the Responses API for models served only there), through the `openai`
 * SDK. The only module that imports `openai`.
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
  type Adaptation,
  adaptationFor,
  adaptToFailure,
  estimateTokens,
  observeUsage,
} from "./adaptation.ts";
import {
  ChatStream,
  MalformedReply,
  readChatCompletion,
} from "./chat_reply.ts";
import {
  apiErrorFailure,
  connectionReason,
  httpFailure,
  type LmError,
  lmErrorFor,
  type LmFailure,
  retryNotice,
  transportReason,
} from "./errors.ts";
import {
  PROVIDERS,
  readEnv,
  type ResolvedModel,
  resolveModel,
} from "./models.ts";
import { lookUpLimits, type Plan, planRequest, serverKind } from "./plan.ts";
import { OPENROUTER_HEADERS, responsesOnly } from "./request_body.ts";
import {
  readResponse,
  ResponseFailed,
  ResponseStream,
} from "./responses_reply.ts";
import { IdleTimeoutError, sleep } from "./retry.ts";
import { isOllama, retryDelay } from "./retry_policy.ts";
import { apiFetch, NotApiError } from "./transport.ts";
import type { OpenAiLmOptions } from "./client_options.ts";
import type {
  Completion,
  CompletionRequest,
  ContextBudget,
  LanguageModel,
  LmNotice,
} from "./types.ts";

export type { OpenAiLmOptions, RetryInfo } from "./client_options.ts";

/**
 * A {@linkcode LanguageModel} backed by an OpenAI-compatible server.
 * Failures throw an {@linkcode LmError} whose message is one sentence
 * saying what to do; a missing key is reported by `complete()`, not here.
 * It adapts to what the server says once, for the session: a lower output
 * limit, its context window, no streaming, no `stream_options`, the
 * Responses API.
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
  readonly #state: Adaptation;
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
    this.#state = adaptationFor(resolved.baseURL, resolved.modelId);
    if (resolved.provider === "openai" && responsesOnly(resolved.modelId)) {
      this.#state.useResponses = true;
    }
  }

  /** What is known of the model's window and output limit. */
  budget(): ContextBudget {
    const { window, maxOutput, charsPerToken } = this.#state;
    const configured = this.#options.maxTokens;
    const limit = maxOutput === undefined
      ? configured
      : Math.min(configured ?? maxOutput, maxOutput);
    return { window, maxOutput: limit, charsPerToken };
  }

  /** Builds the SDK client now (no request is sent) unless the key is missing. */
  prepare(): void {
    if (this.#resolved.apiKey !== null) this.#client(this.#resolved.apiKey);
  }

  /** Sends the chat; streams when `request.onDelta` is set. */
  async complete(request: CompletionRequest): Promise<Completion> {
    const { signal } = request;
    const maxRetries = this.#options.maxRetries ?? 4;
    if (this.#resolved.apiKey === null) {
      throw this.#error({ kind: "missing_key" }, 1, request);
    }
    const sdk = this.#client(this.#resolved.apiKey);
    if (this.#options.discoverLimits !== false) {
      await lookUpLimits(
        this.#state,
        this.#resolved,
        apiFetch(this.#timeoutMs),
        signal,
      );
    }
    const onRetry = request.onRetry ?? this.#options.onRetry;
    let adaptations = 0;
    for (let attempt = 1;; attempt++) {
      if (signal?.aborted) {
        throw this.#error(
          { kind: "aborted", cause: signal.reason },
          attempt,
          request,
        );
      }
      const plan = planRequest(this.#state, this.#resolved, request, {
        maxTokens: this.#options.maxTokens,
        reasoningEffort: this.#options.reasoningEffort,
      });
      if (plan === null) {
        throw this.#error(
          {
            kind: "context_length",
            detail: `about ${
              estimateTokens(request.messages, this.#state.charsPerToken)
            } prompt tokens leave no room in its ${this.#state.window}-token window`,
          },
          attempt,
          request,
        );
      }
      const progress = { delivered: false };
      let failure: LmFailure;
      try {
        const completion = await this.#send(sdk, request, plan, progress);
        const notice = observeUsage(
          this.#state,
          completion.usage,
          request.messages,
          isOllama(this.#resolved),
        );
        if (notice) this.#notify(request, [notice]);
        return completion;
      } catch (error) {
        if (error instanceof CallbackError) throw error.error;
        if (signal?.aborted) {
          throw this.#error(
            { kind: "aborted", cause: signal.reason },
            attempt,
            request,
          );
        }
        failure = classify(error);
      }
      const notices = adaptations < 4
        ? adaptToFailure(this.#state, failure, {
          model: this.model,
          maxTokens: plan.maxTokens,
          stream: plan.body.stream === true,
          streamOptions: plan.body.stream_options !== undefined,
          optional: Object.keys(plan.body),
          promptTokens: plan.promptTokens,
        })
        : null;
      if (notices) {
        adaptations++;
        attempt--;
        this.#notify(request, notices);
        continue;
      }
      const delayMs = retryDelay(failure, attempt, {
        ...this.#options,
        maxRetries,
        baseURL: this.#resolved.baseURL,
      });
      if (delayMs === null) {
        throw this.#error(failure, attempt, request, plan.maxTokens);
      }
      onRetry?.(retryNotice(failure, attempt, delayMs, progress.delivered));
      try {
        await sleep(delayMs, signal);
      } catch {
        throw this.#error(
          { kind: "aborted", cause: signal?.reason },
          attempt,
          request,
        );
      }
    }
  }

  async #send(
    sdk: OpenAI,
    request: CompletionRequest,
    plan: Plan,
    progress: { delivered: boolean },
  ): Promise<Completion> {
    const options = { signal: request.signal };
    const reply: unknown = plan.responses
      ? await sdk.responses.create(plan.body as never, options)
      : await sdk.chat.completions.create(plan.body as never, options);
    request.onStart?.();
    const modelId = this.#resolved.modelId;
    if (plan.body.stream !== true) {
      return plan.responses
        ? readResponse(reply, modelId)
        : readChatCompletion(reply, modelId);
    }
    const stream = plan.responses
      ? new ResponseStream(modelId)
      : new ChatStream(modelId);
    for await (const chunk of reply as AsyncIterable<unknown>) {
      const text = stream.add(chunk);
      if (text === "") continue;
      progress.delivered = true;
      try {
        request.onDelta?.(text);
      } catch (error) {
        throw new CallbackError(error);
      }
    }
    // The SDK ends the stream quietly when the request is aborted or the server stops early.
    if (request.signal?.aborted) throw request.signal.reason;
    const done = stream instanceof ResponseStream
      ? stream.done
      : stream.finishReason !== null;
    if (!done) {
      throw new FailureError({
        kind: "stream_cut",
        detail: "the stream ended without a finish reason",
      });
    }
    return stream.result();
  }

  #client(apiKey: string): OpenAI {
    const openrouter = this.#resolved.provider === "openrouter";
    this.#sdk ??= new OpenAI({
      apiKey,
      baseURL: this.#resolved.baseURL,
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      // The SDK's timeout is a total deadline; ours is an idle timeout (apiFetch).
      timeout: MAX_TIMER_MS,
      logLevel: "off",
      fetch: apiFetch(this.#timeoutMs),
      defaultHeaders: {
        ...(openrouter ? OPENROUTER_HEADERS : {}),
        ...this.#options.headers,
      },
    });
    return this.#sdk;
  }

  #notify(request: CompletionRequest, notices: LmNotice[]): void {
    const sink = request.onNotice ?? this.#options.onNotice;
    for (const notice of notices) sink?.(notice);
  }

  #error(
    failure: LmFailure,
    attempts: number,
    request: CompletionRequest,
    maxTokens?: number,
  ): LmError {
    const { baseURL, keyVar, provider } = this.#resolved;
    const keysUrl = keyVar ? PROVIDERS[provider]?.keysUrl : undefined;
    return lmErrorFor(failure, {
      model: this.model,
      baseURL,
      keyVar,
      keysUrl,
      attempts,
      timeoutMs: this.#timeoutMs,
      maxTokens,
      firstRequest: request.messages.filter((m) => m.role !== "system")
        .length <= 1,
      server: failure.kind === "context_length" || failure.status === 404 ||
          failure.kind === "unreachable"
        ? serverKind(failure, baseURL, provider, this.#state.server)
        : undefined,
      modelId: this.#resolved.modelId,
      routedFrom: this.#resolved.ownKeyVar,
    });
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

/** Maps an error from the SDK or the transport to a failure. */
function classify(error: unknown): LmFailure {
  if (error instanceof FailureError) return error.failure;
  if (error instanceof MalformedReply) {
    return { kind: "bad_response", detail: error.detail, cause: error };
  }
  if (error instanceof ResponseFailed) {
    return httpFailure(400, {
      detail: error.detail,
      code: error.code,
      fields: {},
    });
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (error instanceof NotApiError || cause instanceof NotApiError) {
    const page = (error instanceof NotApiError ? error : cause) as NotApiError;
    return {
      kind: "bad_response",
      detail: page.message,
      notApi: true,
      cause: error,
    };
  }
  // apiFetch fails with IdleTimeoutError; the SDK wraps it while awaiting headers.
  if (error instanceof IdleTimeoutError || cause instanceof IdleTimeoutError) {
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
    return apiErrorFailure(
      error.status,
      error.error,
      error.message,
      error.headers,
      error,
    );
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
