/**
 * Minimal assertions (jsr:@std/assert cannot be fetched here).
 *
 * @module
 */

import { deepStrictEqual } from "node:assert";

/**
 * Throws when `actual` and `expected` differ (deep, strict).
 *
 * @example
 * ```ts
 * assertEquals([1], [1]);
 * ```
 */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  deepStrictEqual(actual, expected, message);
}

/**
 * Throws unless `value` is truthy.
 *
 * @example
 * ```ts
 * assert(1 + 1 === 2);
 * ```
 */
export function assert(
  value: unknown,
  message = "assertion failed",
): asserts value {
  if (!value) throw new Error(message);
}

/**
 * Throws unless `text` contains `part`.
 *
 * @example
 * ```ts
 * assertStringIncludes("abc", "b");
 * ```
 */
export function assertStringIncludes(text: string, part: string): void {
  if (!text.includes(part)) {
    throw new Error(
      `expected ${JSON.stringify(text)} to include ${JSON.stringify(part)}`,
    );
  }
}

/**
 * Awaits `fn` and checks it rejects with `ErrorClass` whose message
 * equals `message` (when given). Returns the error.
 *
 * @example
 * ```ts
 * await assertRejects(() => Promise.reject(new TypeError("x")), TypeError, "x");
 * ```
 */
export async function assertRejects(
  fn: () => Promise<unknown>,
  ErrorClass: new (...args: never[]) => Error,
  message?: string,
): Promise<Error> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error("expected a rejection");
  if (!(error instanceof ErrorClass)) {
    throw new Error(`expected ${ErrorClass.name}, got ${String(error)}`);
  }
  if (message !== undefined && error.message !== message) {
    throw new Error(
      `expected message ${JSON.stringify(message)}, got ${
        JSON.stringify(error.message)
      }`,
    );
  }
  return error;
}
