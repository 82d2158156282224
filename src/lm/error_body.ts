/**
 * Reads a provider's error object: the message, code, type and parameter,
 * and for OpenRouter's `Provider returned error` the upstream provider's
 * own message (`metadata.raw`) and name (`metadata.provider_name`).
 *
 * @module
 */

/** What an error body says. */
export interface ErrorBodyInfo {
  /** The most specific message: the upstream one for OpenRouter. */
  detail: string;
  /** `error.code` (`insufficient_quota`, `context_length_exceeded`, ...). */
  code?: string;
  /** `error.type` (`invalid_request_error`, `exceed_context_size_error`, ...). */
  type?: string;
  /** `error.param` (`stream`, `max_tokens`, ...). */
  param?: string;
  /** The upstream provider OpenRouter routed to (`Anthropic`, ...). */
  upstream?: string;
  /** The error object's other fields (llama.cpp puts `n_ctx` here). */
  fields: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** The message of an upstream body: JSON (`{error: {message}}`, `{message}`, `{detail}`) or plain text. */
function upstreamMessage(raw: unknown): { message?: string; code?: string } {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return { message: raw.trim() || undefined };
    }
  }
  if (!isRecord(value)) return {};
  const inner = isRecord(value.error) ? value.error : value;
  const message = text(inner.message) ?? text(value.detail) ??
    (typeof value.error === "string" ? value.error : undefined);
  return { message, code: text(inner.code) ?? text(inner.type) };
}

/**
 * Reads an error object (the `error` member of an error body, as the SDK
 * gives it). `fallback` is used when it has no message.
 *
 * @example
 * ```ts
 * import { readErrorBody } from "./error_body.ts";
 * const info = readErrorBody({
 *   message: "Provider returned error",
 *   code: 400,
 *   metadata: { raw: '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 50000 > 32000"}}', provider_name: "Anthropic" },
 * }, "");
 * console.log(info.detail, info.upstream); // "max_tokens: 50000 > 32000" "Anthropic"
 * ```
 */
export function readErrorBody(error: unknown, fallback: string): ErrorBodyInfo {
  if (typeof error === "string") return { detail: error, fields: {} };
  if (!isRecord(error)) return { detail: fallback, fields: {} };
  const info: ErrorBodyInfo = {
    detail: text(error.message) ?? fallback,
    code: text(error.code),
    type: text(error.type),
    param: text(error.param),
    fields: error,
  };
  const metadata = isRecord(error.metadata) ? error.metadata : undefined;
  if (metadata) {
    const upstream = text(metadata.provider_name);
    if (upstream) info.upstream = upstream;
    if (metadata.raw !== undefined && metadata.raw !== null) {
      const inner = upstreamMessage(metadata.raw);
      if (inner.message) info.detail = inner.message;
      if (inner.code && !info.code?.match(/[a-z]/i)) info.code = inner.code;
    }
  }
  return info;
}

/**
 * Rewrites an error body that has no `error` member into the shape the SDK
 * reads (`{ error: {...} }`): vLLM answers `{object: "error", message, type,
 * code}`, FastAPI servers `{detail: "..."}`, some proxies `{message}` or a
 * bare string, Gemini a list (`[{error: {...}}]`), Mistral a pydantic
 * validation list as its `message`. Returns `null` when the body needs no
 * change (or is not JSON).
 *
 * @example
 * ```ts
 * import { normalizeErrorBody } from "./error_body.ts";
 * normalizeErrorBody('{"object":"error","message":"too long","type":"BadRequestError","code":400}');
 * // '{"error":{"object":"error","message":"too long","type":"BadRequestError","code":400}}'
 * ```
 */
export function normalizeErrorBody(body: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  // Gemini's OpenAI endpoint answers with a list: `[{"error": {...}}]`.
  if (Array.isArray(value) && isRecord(value[0]) && value[0].error) {
    return JSON.stringify({ error: value[0].error });
  }
  // A bare JSON string (some proxies): the message itself.
  if (typeof value === "string" && value.trim() !== "") {
    return JSON.stringify({ error: { message: value } });
  }
  if (!isRecord(value) || value.error !== undefined) return null;
  if (text(value.message)) return JSON.stringify({ error: value });
  // Mistral: `{object: "error", message: {detail: [{msg, loc}]}}` (pydantic).
  const validation = validationMessage(value.message) ??
    validationMessage(value.detail);
  if (validation) {
    return JSON.stringify({ error: { ...value, message: validation } });
  }
  if (text(value.detail)) {
    return JSON.stringify({ error: { ...value, message: value.detail } });
  }
  return null;
}

/** Pydantic's validation errors (`[{msg, loc}]`, maybe under `detail`) as one line. */
function validationMessage(value: unknown): string | undefined {
  const list = isRecord(value) ? value.detail : value;
  if (!Array.isArray(list)) return undefined;
  const parts = list.flatMap((item) => {
    if (!isRecord(item) || !text(item.msg)) return [];
    const loc = Array.isArray(item.loc) ? item.loc.join(".") : "";
    return [loc ? `${item.msg}: ${loc}` : String(item.msg)];
  });
  return parts.length ? parts.join("; ") : undefined;
}
