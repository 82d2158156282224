/**
 * The prompt cache as providers report it: OpenAI and DeepSeek cache the
 * longest prefix seen before (from 1024 tokens, in 128-token steps) on
 * their own; Anthropic (also through OpenRouter) only up to a
 * `cache_control` breakpoint written by an earlier request.
 *
 * @module
 */

import { type ModelSpec, tokensOf } from "./profiles.ts";
import type { EmuMessage } from "./server.ts";

/**
 * Tokens of a list of messages as the emulator counts them.
 *
 * @example
 * ```ts
 * import { tokens } from "./cache.ts";
 * tokens([{ role: "user", content: "abcd", breakpoint: false }]); // 5
 * ```
 */
export function tokens(messages: EmuMessage[]): number {
  return messages.reduce((n, m) => n + tokensOf(m.content) + 4, 0);
}

/**
 * Remembers the prompts of a server and says how much of each new one was
 * cached.
 *
 * @example
 * ```ts
 * import { PromptCache } from "./cache.ts";
 * const cache = new PromptCache(true);
 * cache.cached([], { window: 1000 }); // 0
 * ```
 */
export class PromptCache {
  #auto: boolean;
  #seen: EmuMessage[][] = [];
  #written = new Set<string>();

  /** `auto`: the provider caches prefixes on its own. */
  constructor(auto: boolean) {
    this.#auto = auto;
  }

  /** Cached prompt tokens of a request, recording it for the next ones. */
  cached(messages: EmuMessage[], spec: ModelSpec): number {
    const found = this.#lookup(messages, spec);
    this.#seen.push(messages);
    return found;
  }

  #lookup(messages: EmuMessage[], spec: ModelSpec): number {
    if (spec.upstream === "Anthropic") {
      let best = 0;
      messages.forEach((m, i) => {
        if (!m.breakpoint) return;
        const prefix = JSON.stringify(
          messages.slice(0, i + 1).map((x) => [x.role, x.content]),
        );
        if (this.#written.has(prefix)) {
          best = Math.max(best, tokens(messages.slice(0, i + 1)));
        }
        this.#written.add(prefix);
      });
      return best;
    }
    if (!this.#auto) return 0;
    let best = 0;
    for (const earlier of this.#seen) {
      let n = 0;
      while (
        n < earlier.length && n < messages.length &&
        earlier[n].role === messages[n].role &&
        earlier[n].content === messages[n].content
      ) n++;
      best = Math.max(best, tokens(messages.slice(0, n)));
    }
    return best >= 1024 ? Math.floor(best / 128) * 128 : 0;
  }
}
