/**
 * Helpers of the worker bootstrap for the REPL contract: list results
 * (arrays whose `toString()` is a tool's text) and `Deno.cwd()` /
 * `process.cwd()` reporting the workspace. Like `workerMain`, the function
 * must stay self-contained: its source is embedded in the sandbox program
 * and handed to `workerMain`.
 *
 * @module
 */

/** What {@linkcode replHelpers} gives the worker. */
export interface ReplHelpers {
  /** A tagged list result as an array whose `toString()` is the tool's text; anything else as it is. */
  listFrom(value: unknown): unknown;
  /** The text of a list result array, or `undefined` for any other value. */
  listText(value: unknown): string | undefined;
  /** Makes `Deno.cwd()` and `process.cwd()` return `path`. */
  useCwd(path: string): void;
}

/**
 * Builds the helpers inside the worker.
 *
 * @example
 * ```ts ignore
 * // Embedded as text and passed to workerMain: see workerSource().
 * const { listFrom } = replHelpers(Deno);
 * ```
 */
export function replHelpers(
  denoNs: { cwd(): string },
): ReplHelpers {
  // Must match LIST_KEY in src/rlm/list_result.ts (this function cannot import).
  const LIST_KEY = "__nanocode_list__";
  const LIST_TEXT = Symbol("nanocode list text");
  let cwd: string | null = null;
  const hidden = { enumerable: false, configurable: true, writable: true };
  return {
    listFrom(value) {
      const tagged = value as Record<string, unknown> | null;
      if (
        typeof tagged !== "object" || tagged === null ||
        !Array.isArray(tagged[LIST_KEY]) || typeof tagged.text !== "string"
      ) return value;
      const items: string[] = [];
      for (const item of tagged[LIST_KEY] as unknown[]) {
        items.push(String(item));
      }
      const text = tagged.text;
      Object.defineProperty(items, LIST_TEXT, { ...hidden, value: text });
      Object.defineProperty(items, "toString", {
        ...hidden,
        value: () => text,
      });
      Object.defineProperty(items, "split", {
        ...hidden,
        value: () => {
          throw new TypeError(
            `${tagged.fn}(...) already returns an array of ${tagged.what} (one item per line): use it directly (.length, for...of, .map, .join("\\n")); .split is not needed`,
          );
        },
      });
      return items;
    },
    listText(value) {
      return Array.isArray(value) && Object.hasOwn(value, LIST_TEXT)
        ? (value as unknown as Record<symbol, string>)[LIST_TEXT]
        : undefined;
    },
    useCwd(path) {
      const first = cwd === null;
      cwd = path;
      if (!first) return;
      const report = () => cwd as string;
      const patch = (target: Record<string, unknown>) => {
        try {
          Object.defineProperty(target, "cwd", {
            value: report,
            configurable: true,
          });
        } catch { /* keep theirs */ }
      };
      patch(denoNs as unknown as Record<string, unknown>);
      // `process` is a lazy global: reading it loads Node compatibility
      // (about 20 ms), so it is patched when a cell first reads it.
      const own = Object.getOwnPropertyDescriptor(globalThis, "process");
      if (own?.get) {
        const get = own.get;
        Object.defineProperty(globalThis, "process", {
          configurable: true,
          enumerable: own.enumerable,
          get() {
            const proc = get.call(globalThis);
            if (proc) patch(proc);
            return proc;
          },
          set: own.set,
        });
      } else if (own?.value) {
        patch(own.value as Record<string, unknown>);
      }
    },
  };
}
