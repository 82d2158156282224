/**
 * Words failures of model calls: one sentence saying what happened and
 * what to set or do, and short reasons for retry reports.
 *
 * @module
 */

import { LmError, type LmFailure, OUT_OF_MEMORY } from "./errors.ts";
import { GENERIC_KEY_VAR } from "./models.ts";
import type { RetryNotice } from "./types.ts";

/** What {@linkcode lmErrorFor} needs to know to word a failure. */
export interface LmErrorContext {
  /** The model name in `provider/model` form. */
  model: string;
  /** The server's base URL. */
  baseURL: string;
  /** The variable the API key comes from, if any. */
  keyVar: string | null;
  /** Where to get a key. */
  keysUrl?: string;
  /** How many attempts were made (1 when there was no retry). */
  attempts: number;
  /** The idle timeout, for `timeout` messages. */
  timeoutMs: number;
  /** The `max_tokens` the failed request asked for. */
  maxTokens?: number;
  /** Whether the chat was only the system prompt and the task. */
  firstRequest?: boolean;
  /** The kind of local server, when known (its options are named). */
  server?: "llama.cpp" | "vllm" | "ollama";
  /** The model id the server was asked for. */
  modelId?: string;
  /** Set when the model went through OpenRouter: its own key's variable, not set. */
  routedFrom?: string;
}

/**
 * Words a failure as an {@linkcode LmError}: one sentence saying what
 * happened and what to set or do.
 *
 * @example
 * ```ts
 * import { lmErrorFor } from "./errors.ts";
 * const error = lmErrorFor({ kind: "server", status: 500, detail: "boom" }, {
 *   model: "openrouter/openai/gpt-5-mini", baseURL: "https://openrouter.ai/api/v1",
 *   keyVar: "OPENROUTER_API_KEY", attempts: 5, timeoutMs: 600_000,
 * });
 * console.log(error.message); // The model server at https://openrouter.ai/api/v1 kept failing (HTTP 500 after 5 attempts: boom): try again later
 * ```
 */
export function lmErrorFor(
  failure: LmFailure,
  context: LmErrorContext,
): LmError {
  const options = { status: failure.status, cause: failure.cause };
  return new LmError(failure.kind, wordFailure(failure, context), options);
}

function wordFailure(failure: LmFailure, context: LmErrorContext): string {
  const { baseURL: base, attempts } = context;
  const detail = failure.detail ? clip(failure.detail) : "";
  const http = failure.status === undefined ? "" : `HTTP ${failure.status}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const paren = (...parts: string[]) => {
    const text = parts.filter((p) => p !== "").join(": ");
    return text === "" ? "" : ` (${text})`;
  };
  const keyVar = context.keyVar ?? GENERIC_KEY_VAR;
  const upstream = failure.body?.upstream;
  const via = upstream ? `${upstream} via OpenRouter` : "";
  switch (failure.kind) {
    case "missing_key":
      return context.keyVar === GENERIC_KEY_VAR
        ? `${keyVar} is not set: export it with the API key for ${base} (any value if that server needs none)`
        : `${keyVar} is not set: export it${
          context.keysUrl ? ` (${context.keysUrl})` : ""
        }, or set --api-base to a local OpenAI-compatible server`;
    case "auth":
      return `The model server at ${base} ${
        failure.status === 403 ? "refused the request" : "rejected the API key"
      }${paren(http, detail)}: check ${keyVar}${
        context.keysUrl ? ` (${context.keysUrl})` : ""
      }`;
    case "unreachable":
      if (detail === "port blocked by fetch") {
        return `Cannot reach the model server at ${base}: fetch refuses its port ${
          new URL(base).port
        } (one of the ports browsers block); run the server on another port`;
      }
      return `Cannot reach ${
        context.server === "ollama" ? "Ollama" : "the model server"
      } at ${base}${
        paren(
          [
            detail || "connection failed",
            attempts > 1 ? `${attempts} attempts` : "",
          ].filter((p) => p).join(", "),
        )
      }: ${
        context.server === "ollama"
          ? "start it (ollama serve), or set OLLAMA_HOST to where it runs"
          : "check --api-base or start the server"
      }`;
    case "rate_limited":
      return `The model server at ${base} is rate-limiting requests${
        paren(http + tries, detail)
      }: wait a minute and try again, or check your plan's limits`;
    case "server":
      return failure.status === undefined
        ? `The model server at ${base} reported an error${
          paren(detail, attempts > 1 ? `${attempts} attempts` : "")
        }: try again later`
        : `The model server at ${base} ${
          attempts > 1 ? "kept failing" : "failed"
        }${paren(http + tries, detail)}: try again later`;
    case "timeout":
      return `The model server sent nothing for ${
        formatDuration(context.timeoutMs)
      } (${base}): it may be overloaded; try again later, or allow more with --idle-timeout`;
    case "aborted":
      return "The model call was cancelled";
    case "bad_request":
      if (OUT_OF_MEMORY.test(detail)) {
        return `The model server at ${base} cannot load model "${
          context.modelId ?? context.model
        }" (${http}: ${detail}): pick a smaller model or quantization, or free memory`;
      }
      return /max_(?:completion_|output_)?tokens|output tokens/i.test(detail)
        ? `The model server rejected the output limit${
          paren([http, via].filter(Boolean).join(", "), detail)
        }: lower --max-tokens${
          context.maxTokens ? ` (it asked for ${context.maxTokens})` : ""
        }`
        : unknownModel(failure, context, detail) ??
          `The model server rejected the request${
            paren([http, via].filter(Boolean).join(", "), detail)
          }: check the model name "${context.model}" and --api-base`;
    case "quota":
      return failure.status === 402
        ? `The account's credit cannot pay for this request${
          paren(http, detail)
        }: add credit (https://openrouter.ai/settings/credits) or lower --max-tokens`
        : `The account behind ${keyVar} has no quota left${
          paren(http, detail)
        }: check its plan and billing${
          context.keysUrl ? ` (${new URL(context.keysUrl).origin})` : ""
        }`;
    case "context_length":
      return `${
        context.firstRequest
          ? `The prompt alone is too long for the context window of model "${context.model}"`
          : `The conversation no longer fits the context window of model "${context.model}"`
      }${paren([http, via].filter(Boolean).join(", "), detail)}: ${
        contextFix(context)
      }`;
    case "bad_response":
      return failure.notApi
        ? `The server at ${base} is not an OpenAI-compatible API (${detail}): check --api-base`
        : `The model server at ${base} sent a reply that is not a valid chat completion${
          paren(detail)
        }: check that --api-base points to an OpenAI-compatible server`;
    case "stream_cut":
      return attempts > 1
        ? `The model server at ${base} kept closing the connection before replying${
          paren(`${attempts} attempts`, detail)
        }: try again later`
        : `The model server at ${base} closed the connection before the reply was complete${
          paren(detail)
        }: try again`;
  }
}

/** Servers' ways of saying they have no such model. */
const NO_MODEL =
  /not a valid model|No endpoints found|model_not_found|does not exist|try pulling it first|model ['"`]?[\w./:-]+['"`]? not found|unknown model|invalid model/i;

/**
 * A missing model, worded with what to do about it on that server:
 * `ollama pull`, OpenRouter's own name for a model sent there for want of
 * its provider's key, another model when OpenRouter has no provider for it.
 */
function unknownModel(
  failure: LmFailure,
  context: LmErrorContext,
  detail: string,
): string | undefined {
  const raw = failure.detail ?? "";
  if (!NO_MODEL.test(raw)) return undefined;
  const id = context.modelId ?? context.model;
  const said = detail ? ` (${detail})` : "";
  if (/try pulling it first/i.test(raw) || context.server === "ollama") {
    return `Ollama has no model "${id}"${said}: pull it first (ollama pull ${id}), or pick one that \`ollama list\` shows`;
  }
  if (context.routedFrom) {
    return `OpenRouter has no model "${id}"${said}: ${context.model} went to OpenRouter because ${context.routedFrom} is not set; set ${context.routedFrom}, or name an OpenRouter model (--lm openrouter/VENDOR/MODEL, see https://openrouter.ai/models)`;
  }
  if (/No endpoints found/i.test(raw)) {
    return `No provider on OpenRouter serves "${id}" now${said}: pick another model (https://openrouter.ai/models); free variants come and go`;
  }
  return undefined;
}

function contextFix(context: LmErrorContext): string {
  switch (context.server) {
    case "llama.cpp":
      return "start llama-server with a larger context, e.g. --ctx-size 32768 (-c)";
    case "vllm":
      return "start vLLM with a larger --max-model-len, or use a model with a larger window";
    case "ollama":
      return "start Ollama with a larger context (OLLAMA_CONTEXT_LENGTH=32768 ollama serve)";
    default:
      return context.firstRequest
        ? "use a model with a larger context window"
        : "start a new session (/clear) or use a model with a larger context window";
  }
}

/**
 * A short reason for an `onRetry` report, e.g.
 * `HTTP 429 (rate limited)` or `connection refused`.
 *
 * @example
 * ```ts
 * import { retryReason } from "./errors.ts";
 * retryReason({ kind: "server", status: 502 }); // "HTTP 502"
 * ```
 */
export function retryReason(failure: LmFailure): string {
  const http = failure.status === undefined ? "" : `HTTP ${failure.status}`;
  switch (failure.kind) {
    case "rate_limited":
      return `${http} (rate limited)`;
    case "server":
      return http ||
        `server error${failure.detail ? `: ${failure.detail}` : ""}`;
    default:
      return failure.detail ?? failure.kind;
  }
}

/**
 * A short reason for a failed connection (`connection refused`, `host not
 * found`, ...), read from the messages of Deno's fetch errors and their
 * causes.
 *
 * @example
 * ```ts
 * import { connectionReason } from "./errors.ts";
 * const cause = new Error("tcp connect error: Connection refused (os error 111)");
 * connectionReason(new TypeError("fetch failed", { cause })); // "connection refused"
 * ```
 */
export function connectionReason(error: unknown): string {
  const text = causeMessages(error);
  if (/connection refused/i.test(text)) return "connection refused";
  if (
    /dns error|lookup address|name or service not known|nodename nor servname/i
      .test(text)
  ) return "host not found";
  if (/timed? ?out/i.test(text)) return "connection timed out";
  if (/certificate|tls|ssl/i.test(text)) return "TLS error";
  if (/blocked/i.test(text)) return "port blocked by fetch";
  if (/reset|closed|broken pipe/i.test(text)) return "connection closed";
  return "connection failed";
}

/**
 * A short reason for a response body that broke off (`connection reset`,
 * `connection lost`, ...).
 *
 * @example
 * ```ts
 * import { transportReason } from "./errors.ts";
 * transportReason(new TypeError("error reading a body from connection")); // "connection lost"
 * ```
 */
export function transportReason(error: unknown): string {
  const text = causeMessages(error);
  if (/reset/i.test(text)) return "connection reset";
  if (/decod/i.test(text)) return "could not decode the body";
  return "connection lost";
}

function causeMessages(error: unknown): string {
  const parts: string[] = [];
  for (
    let e = error, depth = 0;
    e instanceof Error && depth < 8;
    e = e.cause, depth++
  ) parts.push(e.message);
  return parts.join(" | ");
}

/** Collapses whitespace, drops a trailing period and caps the length. */
function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim().replace(/[.]+$/, "");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * What to tell a listener before a retry.
 *
 * @example
 * ```ts
 * import { retryNotice } from "./errors.ts";
 * retryNotice({ kind: "rate_limited", status: 429, retryAfterMs: 2000 }, 1, 2000, false);
 * // { attempt: 1, delayMs: 2000, reason: "HTTP 429 (rate limited)", rateLimited: true, retryAfterMs: 2000 }
 * ```
 */
export function retryNotice(
  failure: LmFailure,
  attempt: number,
  delayMs: number,
  discarded: boolean,
): RetryNotice {
  return {
    attempt,
    delayMs,
    reason: discarded
      ? `the reply broke off (${failure.detail ?? "connection lost"})`
      : retryReason(failure),
    ...(failure.kind === "rate_limited" ? { rateLimited: true } : {}),
    ...(failure.retryAfterMs !== undefined
      ? { retryAfterMs: failure.retryAfterMs }
      : {}),
    ...(discarded ? { discarded: true } : {}),
  };
}
