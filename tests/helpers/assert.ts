/**
 * Small assertion helpers for the test suite (jsr:@std/assert cannot be
 * fetched here). Each throws an `AssertionError` with a readable message.
 *
 * @module
 */

import { deepStrictEqual } from "node:assert";

/** Thrown when an assertion fails. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Asserts that `condition` is truthy. */
export function assert(
  condition: unknown,
  message = "expected a truthy value",
): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Asserts deep equality, showing both values on failure. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  try {
    deepStrictEqual(actual, expected);
  } catch {
    throw new AssertionError(
      `${message ? message + ": " : ""}values differ\n  actual:   ${
        Deno.inspect(actual, { depth: 6 })
      }\n  expected: ${Deno.inspect(expected, { depth: 6 })}`,
    );
  }
}

/** Asserts that two values are not deeply equal. */
export function assertNotEquals(
  actual: unknown,
  expected: unknown,
  message?: string,
): void {
  let equal = true;
  try {
    deepStrictEqual(actual, expected);
  } catch {
    equal = false;
  }
  if (equal) {
    throw new AssertionError(
      message ?? `expected a value other than ${Deno.inspect(expected)}`,
    );
  }
}

/** Asserts that `text` contains `part`. */
export function assertStringIncludes(
  text: string,
  part: string,
  message?: string,
): void {
  if (!text.includes(part)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}expected ${
        Deno.inspect(text.slice(0, 2000))
      } to include ${Deno.inspect(part)}`,
    );
  }
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(
  text: string,
  pattern: RegExp,
  message?: string,
): void {
  if (!pattern.test(text)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}expected ${
        Deno.inspect(text.slice(0, 2000))
      } to match ${pattern}`,
    );
  }
}

function checkError<E extends Error>(
  error: unknown,
  type: (abstract new (...args: never[]) => E) | undefined,
  part: string | undefined,
  exact: boolean,
): E {
  if (type && !(error instanceof type)) {
    throw new AssertionError(
      `expected ${type.name}, got ${Deno.inspect(error)}`,
    );
  }
  const message = (error as Error)?.message ?? String(error);
  if (
    part !== undefined && (exact ? message !== part : !message.includes(part))
  ) {
    throw new AssertionError(
      `expected the message to ${exact ? "be" : "include"} ${
        Deno.inspect(part)
      }, got ${Deno.inspect(message)}`,
    );
  }
  return error as E;
}

/** Asserts that `fn` rejects (or throws) an error of `type` whose message includes `part`. */
export async function assertRejects<E extends Error = Error>(
  fn: () => unknown,
  type?: abstract new (...args: never[]) => E,
  part?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, type, part, false);
  }
  throw new AssertionError("expected a rejection, got none");
}

/** Asserts that `fn` rejects with an error of `type` whose message is exactly `message`. */
export async function assertRejectsExactly<E extends Error = Error>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => E,
  message?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, type, message, true);
  }
  throw new AssertionError("expected a rejection, got none");
}

/** Asserts that `fn` throws synchronously; returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  type?: abstract new (...args: never[]) => E,
  part?: string,
): E {
  try {
    fn();
  } catch (error) {
    return checkError(error, type, part, false);
  }
  throw new AssertionError("expected an exception, got none");
}
