/**
 * The `fetch` the model client uses: an idle timeout, and a check that the
 * server speaks the OpenAI API at all. A web page (an HTML 200, or a 404
 * page from a wrong `--api-base`) fails at once with {@linkcode NotApiError}
 * instead of being retried or parsed as an empty reply; error bodies in
 * other servers' shapes (vLLM's `{object: "error", message}`, FastAPI's
 * `{detail}`) are rewritten to the shape the SDK reads, so their message
 * is not lost; a JSON 200 holding only an error is treated as that error.
 *
 * @module
 */

import { normalizeErrorBody } from "./error_body.ts";
import { idleFetch } from "./retry.ts";

/**
 * A reply that is not from an OpenAI-compatible API (a web page, plain
 * text).
 *
 * @example
 * ```ts
 * import { NotApiError } from "./transport.ts";
 * const error = new NotApiError(200, "text/html", "Welcome to nginx!");
 * console.log(error.message); // got text/html 'Welcome to nginx!'
 * ```
 */
export class NotApiError extends Error {
  /** `status`, `contentType` and the page's `<title>` (or first words). */
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly title: string,
  ) {
    super(
      `got ${contentType || "no content type"}${title ? ` '${title}'` : ""}`,
    );
    this.name = "NotApiError";
  }
}

const API_TYPES = /json|event-stream/i;

/** The `<title>` of a page, else its first words. */
function pageTitle(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
  const words = (title ?? body.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ")
    .trim();
  return words.length > 60 ? `${words.slice(0, 59)}…` : words;
}

/**
 * A `fetch` with an idle timeout of `idleMs` that rejects web pages with a
 * {@linkcode NotApiError} and normalises error bodies.
 *
 * @example
 * ```ts ignore
 * import { apiFetch } from "./transport.ts";
 * const res = await apiFetch(30_000)("http://127.0.0.1:8080/v1/models");
 * ```
 */
export function apiFetch(
  idleMs: number,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const idle = idleFetch(idleMs);
  return async (input, init) => {
    const response = await idle(input, init);
    const type = (response.headers.get("content-type") ?? "").split(";")[0]
      .trim().toLowerCase();
    if (/json/.test(type) && response.ok) return await errorIn200(response);
    if (API_TYPES.test(type) && response.ok) return response;
    if (response.ok || response.status === 404 || response.status === 405) {
      if (!API_TYPES.test(type) && (response.ok || type === "text/html")) {
        const body = await response.text().catch(() => "");
        throw new NotApiError(response.status, type, pageTitle(body));
      }
      if (response.ok) return response;
    }
    // An error status: keep the message, whatever the body's shape.
    const body = await response.text().catch(() => "");
    let fixed = API_TYPES.test(type) ? normalizeErrorBody(body) : null;
    if (type === "text/html") {
      fixed = JSON.stringify({
        error: { message: `an HTML error page: ${pageTitle(body)}` },
      });
    }
    const headers = new Headers(response.headers);
    if (fixed !== null) headers.set("content-type", "application/json");
    return new Response(fixed ?? body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

/**
 * A JSON 200 that holds only an error (some proxies answer so, even to a
 * streamed request), turned into the error status it stands for, so that
 * its message is shown instead of an empty reply retried.
 */
async function errorIn200(response: Response): Promise<Response> {
  const text = await response.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const record = typeof value === "object" && value !== null &&
      !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
  const error = record.error;
  const onlyError = (typeof error === "string" ||
    (typeof error === "object" && error !== null)) &&
    !("choices" in record) && !("output" in record) && !("data" in record);
  const code = typeof error === "object" && error !== null
    ? Number((error as Record<string, unknown>).code)
    : NaN;
  return new Response(text, {
    status: onlyError ? (code >= 400 && code < 600 ? code : 502) : 200,
    statusText: onlyError ? "error in a 200 reply" : response.statusText,
    headers: response.headers,
  });
}
