/**
 * The one error class the LM client throws.
 *
 * @module
 */

import { GENERIC_KEY_VAR } from "./models.ts";
import { retryAfterMs } from "./retry.ts";

/** What went wrong in a language-model call. */
export type LmErrorKind =
  | "missing_key"
  | "auth"
  | "unreachable"
  | "rate_limited"
  | "server"
  | "timeout"
  | "aborted"
  | "bad_request"
  | "context_length"
  | "bad_response"
  | "stream_cut";

/** Extra details of an {@linkcode LmError}. */
export interface LmErrorOptions {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** The underlying error, for debugging (never shown to users). */
  cause?: unknown;
}

/**
 * A failed language-model call. `message` is one sentence saying what
 * happened and what to set or do; show it as is. `kind` tells callers what
 * to do programmatically. An aborted call has `name === "AbortError"`.
 *
 * @example
 * ```ts
 * import { LmError } from "./errors.ts";
 * try {
 *   throw new LmError("auth", "The model server rejected the API key (HTTP 401): check OPENROUTER_API_KEY", { status: 401 });
 * } catch (error) {
 *   if (error instanceof LmError && error.kind === "auth") console.error(error.message);
 * }
 * ```
 */
export class LmError extends Error {
  /** What went wrong. */
  readonly kind: LmErrorKind;
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;

  /** Makes an error of `kind` with a one-sentence `message`. */
  constructor(
    kind: LmErrorKind,
    message: string,
    options: LmErrorOptions = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = kind === "aborted" ? "AbortError" : "LmError";
    this.kind = kind;
    if (options.status !== undefined) this.status = options.status;
  }
}

/**
 * Whether `error` is an aborted call: an {@linkcode LmError} of kind
 * `aborted`, or any error named `AbortError`.
 *
 * @example
 * ```ts
 * import { isAbortError, LmError } from "./errors.ts";
 * isAbortError(new LmError("aborted", "The model call was cancelled")); // true
 * ```
 */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/** A classified failure of one model call, before it is worded. */
export interface LmFailure {
  /** What went wrong. */
  kind: LmErrorKind;
  /** HTTP status, when the server answered. */
  status?: number;
  /** The server's message or the transport's reason, short. */
  detail?: string;
  /** How long the server asked to wait before retrying. */
  retryAfterMs?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Classifies an HTTP error status with the server's message: 401/403 are
 * `auth`, 429 `rate_limited`, 408 and 5xx `server`, a 4xx whose message
 * speaks of the context length `context_length`, any other `bad_request`.
 * Picks up `Retry-After` from `headers`.
 *
 * @example
 * ```ts
 * import { httpFailure } from "./errors.ts";
 * httpFailure(400, "This model's maximum context length is 8192 tokens").kind; // "context_length"
 * ```
 */
export function httpFailure(
  status: number,
  detail: string,
  headers?: Headers,
): LmFailure {
  const base = { status, detail, retryAfterMs: retryAfterMs(headers) };
  if (status === 401 || status === 403) return { kind: "auth", ...base };
  if (status === 429) return { kind: "rate_limited", ...base };
  if (status >= 500 || status === 408) return { kind: "server", ...base };
  if (CONTEXT_LENGTH.test(detail)) return { kind: "context_length", ...base };
  return { kind: "bad_request", ...base };
}

/**
 * The server's own words from an error body (`{ error: { message } }` or a
 * string), else `fallback` without a leading HTTP status; `""` when there
 * are none.
 *
 * @example
 * ```ts
 * import { serverDetail } from "./errors.ts";
 * serverDetail({ message: "Invalid model" }, "400 Invalid model"); // "Invalid model"
 * serverDetail(undefined, "502 status code (no body)"); // ""
 * ```
 */
export function serverDetail(body: unknown, fallback: string): string {
  if (typeof body === "string") return body;
  if (typeof body === "object" && body !== null && "message" in body) {
    if (typeof body.message === "string") return body.message;
  }
  const message = fallback.replace(/^\d{3}\s+/, "");
  return /status code \(no body\)|no status code or body/.test(message)
    ? ""
    : message;
}

/**
 * Whether a failure of this kind may go away on a retry (rate limits,
 * server errors, connection failures, streams cut before any text).
 *
 * @example
 * ```ts
 * import { isTransient } from "./errors.ts";
 * isTransient("rate_limited"); // true
 * isTransient("auth"); // false
 * ```
 */
export function isTransient(kind: LmErrorKind): boolean {
  return kind === "rate_limited" || kind === "server" ||
    kind === "unreachable" || kind === "stream_cut";
}

const CONTEXT_LENGTH =
  /context.?length|context window|maximum context|too many tokens|prompt is too long|input is too long|reduce the length|token limit|tokens? exceeds?/i;

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
      return `Cannot reach the model server at ${base}${
        paren(
          [
            detail || "connection failed",
            attempts > 1 ? `${attempts} attempts` : "",
          ].filter((p) => p).join(", "),
        )
      }: check --api-base or start the server`;
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
      } (${base}): it may be overloaded, try again later`;
    case "aborted":
      return "The model call was cancelled";
    case "bad_request":
      return `The model server rejected the request${
        paren(http, detail)
      }: check the model name "${context.model}" and --api-base`;
    case "context_length":
      return `The conversation is too long for model "${context.model}"${
        paren(http, detail)
      }: start a new session or use a model with a larger context window`;
    case "bad_response":
      return `The model server at ${base} sent a reply that is not a valid chat completion${
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
