/**
 * How the next attempt of a request is sent, from what is known about the
 * server: the output limit fitted to the model and its window, streaming
 * or not, the endpoint, the body.
 *
 * @module
 */

import {
  type Adaptation,
  estimateTokens,
  requestMaxTokens,
} from "./adaptation.ts";
import type { LmFailure } from "./errors.ts";
import { fetchModelInfo } from "./model_info.ts";
import { isLoopbackUrl, type ResolvedModel } from "./models.ts";
import { type BodyOptions, chatBody, responsesBody } from "./request_body.ts";
import type { CompletionRequest } from "./types.ts";

/** How one attempt is sent. */
export interface Plan {
  /** The JSON body. */
  body: Record<string, unknown>;
  /** Sent to the Responses API (else chat completions). */
  responses: boolean;
  /** The output limit asked for. */
  maxTokens?: number;
  /** Prompt tokens by our estimate. */
  promptTokens: number;
}

/** Client settings a plan depends on. */
export interface PlanSettings {
  /** The configured `max_tokens`. */
  maxTokens?: number;
  /** The reasoning effort, when set. */
  reasoningEffort?: string;
}

/**
 * Plans the next attempt; `null` when the chat leaves no room for a reply
 * in the model's window.
 *
 * @example
 * ```ts ignore
 * const plan = planRequest(state, resolved, request, { maxTokens: 50_000 });
 * ```
 */
export function planRequest(
  state: Adaptation,
  resolved: ResolvedModel,
  request: CompletionRequest,
  settings: PlanSettings,
): Plan | null {
  const maxTokens = requestMaxTokens(
    state,
    request.maxTokens ?? settings.maxTokens,
    request.messages,
  );
  if (maxTokens === null) return null;
  const host = new URL(resolved.baseURL).hostname;
  const options: BodyOptions = {
    resolved,
    maxTokens,
    stream: request.onDelta !== undefined && !state.noStream,
    streamOptions: !state.noStreamOptions,
    // api.openai.com rejects max_tokens for newer models; other servers may not know the new name.
    limitField: state.limitField ??
      (host === "api.openai.com" ? "max_completion_tokens" : "max_tokens"),
    effort: settings.reasoningEffort || undefined,
    dropped: state.dropped,
  };
  const responses = state.useResponses;
  return {
    body: responses
      ? responsesBody(request.messages, options)
      : chatBody(request.messages, options),
    responses,
    maxTokens,
    promptTokens: estimateTokens(request.messages, state.charsPerToken),
  };
}

/**
 * Asks the server's `/models` for the model's limits, once per server and
 * model (OpenRouter, Groq, local and custom servers list them), and waits
 * for the answer (at most 3 s; an abort stops the wait).
 *
 * @example
 * ```ts ignore
 * await lookUpLimits(state, resolved, apiFetch(600_000), signal);
 * ```
 */
export async function lookUpLimits(
  state: Adaptation,
  resolved: ResolvedModel,
  fetchFn: (input: string, init?: RequestInit) => Promise<Response>,
  signal?: AbortSignal,
): Promise<void> {
  const { provider, baseURL, modelId, apiKey } = resolved;
  const listed = provider === "openrouter" || provider === "groq" ||
    provider === "custom" || isLoopbackUrl(baseURL);
  if (!listed || apiKey === null) return;
  state.lookup ??= fetchModelInfo(baseURL, modelId, apiKey, fetchFn, 3_000)
    .then((info) => {
      if (info.maxOutput !== undefined && state.maxOutput === undefined) {
        state.maxOutput = info.maxOutput;
      }
      if (info.window !== undefined && state.window === undefined) {
        state.window = info.window;
      }
      state.server ??= info.server;
    });
  if (!signal) return await state.lookup;
  const stop = Promise.withResolvers<void>();
  const onAbort = () => stop.resolve();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.race([state.lookup, stop.promise]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Which kind of local server answered, from its error and address, so a
 * context error can name that server's option.
 *
 * @example
 * ```ts
 * import { serverKind } from "./plan.ts";
 * serverKind({ kind: "context_length", body: { type: "exceed_context_size_error", fields: {} } }, "http://127.0.0.1:9/v1", "custom"); // "llama.cpp"
 * ```
 */
export function serverKind(
  failure: LmFailure,
  baseURL: string,
  provider: string,
  listed?: "llama.cpp" | "vllm",
): "llama.cpp" | "vllm" | "ollama" | undefined {
  if (listed) return listed;
  const type = failure.body?.type ?? "";
  const port = new URL(baseURL).port;
  if (type === "exceed_context_size_error") return "llama.cpp";
  if (failure.body?.fields?.object === "error" || type === "BadRequestError") {
    return "vllm";
  }
  if (/^ollama/.test(provider) || port === "11434") return "ollama";
  return undefined;
}
