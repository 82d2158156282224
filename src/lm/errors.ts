/**
 * The one error class the LM client throws.
 *
 * @module
 */

import { type ErrorBodyInfo, readErrorBody } from "./error_body.ts";
import { isContextError, parseLimit } from "./limits.ts";
import { retryAfterMs } from "./retry.ts";

export {
  connectionReason,
  type LmErrorContext,
  lmErrorFor,
  retryNotice,
  retryReason,
  transportReason,
} from "./failure_words.ts";

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
  | "quota"
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
  /** The error's code, type and parameter, and OpenRouter's upstream provider. */
  body?: Omit<ErrorBodyInfo, "detail">;
  /** Set when the server is not an OpenAI-compatible API (a web page). */
  notApi?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Classifies an HTTP error status with the server's message: 401/403 are
 * `auth` (so is a 400 that says the key is wrong, as Gemini's and xAI's
 * do), 429 `rate_limited` (`quota` when the account has none left),
 * 402 `quota`, 408 and 5xx `server`, a 4xx whose message speaks of the
 * context length `context_length`, any other `bad_request`. Picks up
 * `Retry-After` from `headers`. OpenRouter wraps upstream failures in its
 * own status: the upstream message decides.
 *
 * @example
 * ```ts
 * import { httpFailure } from "./errors.ts";
 * httpFailure(400, "This model's maximum context length is 8192 tokens").kind; // "context_length"
 * ```
 */
export function httpFailure(
  status: number,
  body: string | ErrorBodyInfo,
  headers?: Headers,
): LmFailure {
  const info = typeof body === "string" ? { detail: body, fields: {} } : body;
  const { detail, ...rest } = info;
  const base = {
    status,
    detail,
    retryAfterMs: retryAfterMs(headers),
    body: rest,
  };
  if (status === 401 || status === 403 || (status < 500 && badKey(info))) {
    return { kind: "auth", ...base };
  }
  const quota = /insufficient_quota/.test(`${info.code} ${info.type}`) ||
    /exceeded your current quota/i.test(detail);
  if (status === 402 || quota) return { kind: "quota", ...base };
  if (status === 429) return { kind: "rate_limited", ...base };
  // Ollama cannot load a model too big for the machine (HTTP 500): a retry loads it no better.
  if (status >= 500 && OUT_OF_MEMORY.test(detail)) {
    return { kind: "bad_request", ...base };
  }
  if (status >= 500 || status === 408) return { kind: "server", ...base };
  if (isContextError(detail) || info.code === "context_length_exceeded") {
    return { kind: "context_length", ...base };
  }
  return { kind: "bad_request", ...base };
}

/**
 * A server that cannot load the model into memory.
 *
 * @example
 * ```ts
 * import { OUT_OF_MEMORY } from "./errors.ts";
 * OUT_OF_MEMORY.test("model requires more system memory (5.3 GiB) than is available (4.4 GiB)"); // true
 * ```
 */
export const OUT_OF_MEMORY =
  /requires more system memory|out of memory|not enough memory|insufficient memory/i;

/**
 * Whether a 400 says the API key is wrong: Gemini answers a bad key with
 * 400 `API_KEY_INVALID`, xAI with 400 "Incorrect API key provided".
 */
function badKey(info: ErrorBodyInfo): boolean {
  const reasons = JSON.stringify(info.fields.details ?? "");
  return /API_KEY_INVALID/.test(`${info.code} ${info.type} ${reasons}`) ||
    /\b(?:API key not valid|incorrect API key|invalid API key|API key (?:is )?(?:invalid|expired))\b/i
      .test(info.detail);
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

/**
 * The failure an SDK status error stands for: its status, error object,
 * message and headers. Without a status it is an error event inside a
 * stream, classified by its `code` when that is an HTTP status, else by
 * its words (a context or output limit is not a server failure to retry).
 *
 * @example
 * ```ts
 * import { apiErrorFailure } from "./errors.ts";
 * apiErrorFailure(429, { message: "slow down" }, "429 slow down", new Headers({ "retry-after": "2" })).retryAfterMs; // 2000
 * ```
 */
export function apiErrorFailure(
  status: number | undefined,
  error: unknown,
  message: string,
  headers: Headers | undefined,
  cause?: unknown,
): LmFailure {
  // The SDK prefixes the status to its message; prefer the server's own words.
  const info = readErrorBody(
    error,
    message.replace(/^\d{3}\s+/, "").replace(
      /^(?:status code \(no body\)|\(no status code or body\))$/,
      "",
    ),
  );
  if (status === undefined) {
    // An error event inside a 200 stream: its own code, else its words, decide.
    const code = Number(info.code);
    if (code >= 400 && code < 600) return { ...httpFailure(code, info), cause };
    const { detail, ...body } = info;
    const kind = isContextError(detail)
      ? "context_length"
      : parseLimit(detail)?.maxOutput !== undefined
      ? "bad_request"
      : "server";
    return { kind, detail, body, cause };
  }
  return { ...httpFailure(status, info, headers), cause };
}
