/**
 * A short, stable name for a path (a folder's snapshot store, its input
 * history): FNV-1a, 64 bits, as 16 hex digits.
 *
 * @module
 */

/**
 * The FNV-1a 64-bit hash of `text`'s UTF-8 bytes, as 16 hex digits.
 *
 * @example
 * ```ts
 * import { pathHash } from "./hash.ts";
 * console.log(pathHash("/home/me/app").length); // 16
 * ```
 */
export function pathHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}
