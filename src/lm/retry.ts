/**
 * Timing of language-model calls: exponential backoff with jitter,
 * `Retry-After` headers, an abortable wait, and a `fetch` with an idle
 * timeout.
 *
 * @module
 */

/** Options of {@linkcode backoffDelay}. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Returns a number in [0, 1); defaults to `Math.random`. */
  random?: () => number;
}

/**
 * The wait before retry number `retry` (1 for the first): `baseMs` doubled
 * per retry, capped at `maxMs`, minus up to 25 % random jitter so that
 * concurrent clients do not retry in lockstep.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * backoffDelay(3, { baseMs: 1000, maxMs: 30_000, random: () => 0 }); // 4000
 * ```
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  const capped = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.max(0, Math.round(capped * (1 - 0.25 * random())));
}

/**
 * The wait a response asks for, from `retry-after-ms` (milliseconds) or
 * `Retry-After` (seconds or an HTTP date); `undefined` when it asks for
 * none or the value cannot be read.
 *
 * @example
 * ```ts
 * import { retryAfterMs } from "./retry.ts";
 * retryAfterMs(new Headers({ "retry-after": "2" })); // 2000
 * ```
 */
export function retryAfterMs(
  headers: Headers | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) {
    return seconds >= 0 ? seconds * 1000 : undefined;
  }
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason as soon as
 * `signal` aborts (and leaves no timer behind).
 *
 * @example
 * ```ts
 * import { sleep } from "./retry.ts";
 * await sleep(10, AbortSignal.timeout(1000));
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The error an {@linkcode idleFetch} request or body fails with when the
 * server sent nothing for too long.
 *
 * @example
 * ```ts
 * import { IdleTimeoutError } from "./retry.ts";
 * const error: unknown = new IdleTimeoutError(30_000);
 * if (error instanceof IdleTimeoutError) console.log(error.message);
 * ```
 */
export class IdleTimeoutError extends Error {
  /** `ms` is the idle timeout that expired. */
  constructor(ms: number) {
    super(`no response bytes for ${ms} ms`);
    this.name = "IdleTimeoutError";
  }
}

/**
 * A `fetch` with an idle timeout: it aborts the request when no response
 * bytes arrive for `ms`, while waiting for the headers and between body
 * chunks the reader asked for (a slow reader does not count). The request
 * or body then fails with an {@linkcode IdleTimeoutError}.
 *
 * @example
 * ```ts
 * import { idleFetch } from "./retry.ts";
 * const fetchIdle = idleFetch(30_000);
 * const res = await fetchIdle("http://127.0.0.1:8080/v1/models");
 * console.log(await res.text());
 * ```
 */
export function idleFetch(
  ms: number,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init = {}) => {
    const idle = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new IdleTimeoutError(ms)), ms);
    };
    const disarm = () => clearTimeout(timer);
    const timedOut = () => idle.signal.reason instanceof IdleTimeoutError;
    const signal = init.signal
      ? AbortSignal.any([init.signal, idle.signal])
      : idle.signal;
    let response: Response;
    arm();
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      throw timedOut() ? idle.signal.reason : error;
    } finally {
      disarm();
    }
    const source = response.body;
    if (source === null) return response;
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        arm();
        try {
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(timedOut() ? idle.signal.reason : error);
        } finally {
          disarm();
        }
      },
      cancel(reason) {
        disarm();
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
