/**
 * Keeps a long turn inside the model's context window, the RLM way: every
 * cell's full output stays in the REPL (`_out[n]`), and when the chat nears
 * the window, older observations are replaced by one-line stubs pointing
 * there. It elides in large, rare steps (down to 40% of the room) so the
 * chat's prefix stays the same, and cacheable, between elisions.
 *
 * @module
 */

import { estimateTokens } from "../lm/adaptation.ts";
import type { ChatMessage, ContextBudget } from "../lm/types.ts";

/** What one elision did. */
export interface Elision {
  /** The cells whose messages became stubs. */
  cells: number[];
  /** Estimated prompt tokens before and after. */
  tokensBefore: number;
  tokensAfter: number;
}

interface Tracked {
  index: number;
  step: number;
  kind: "observation" | "reply";
  /** The message text that is not the stub's business (the cell counter). */
  suffix: string;
  elided: boolean;
}

/** Share of the room above which the chat is elided, and the share it is cut to. */
const HIGH = 0.85;
const LOW = 0.4;
/** The newest tracked messages (the last reply and its observation) are never elided. */
const KEEP_LAST = 2;
/** Share of the room one observation may take. */
const OBSERVATION_SHARE = 0.1;

/**
 * The room a prompt has in a window: the window less what one reply may
 * need (at most a quarter of the window).
 *
 * @example
 * ```ts
 * import { promptRoom } from "./context_keeper.ts";
 * promptRoom({ window: 32_768, maxOutput: 50_000, charsPerToken: 3 }); // 24576
 * ```
 */
export function promptRoom(budget: ContextBudget): number | undefined {
  if (budget.window === undefined) return undefined;
  const reply = Math.min(
    budget.maxOutput ?? budget.window,
    Math.max(1024, Math.floor(budget.window / 4)),
  );
  return Math.max(256, budget.window - reply);
}

/**
 * Tracks the observations and replies of one turn's chat and elides the
 * older ones when the chat nears the window.
 *
 * @example
 * ```ts
 * import { ContextKeeper } from "./context_keeper.ts";
 * const messages = [{ role: "system" as const, content: "rules" }, { role: "user" as const, content: "task" }];
 * const keeper = new ContextKeeper(messages);
 * console.log(keeper.fit({ window: 100_000, charsPerToken: 3 })); // null
 * ```
 */
export class ContextKeeper {
  #messages: ChatMessage[];
  #tracked: Tracked[] = [];

  constructor(messages: ChatMessage[]) {
    this.#messages = messages;
  }

  /**
   * Notes that `messages[index]` holds cell `step`'s observation (or the
   * reply that wrote the cell); `suffix` is the part of it a stub keeps.
   */
  track(
    index: number,
    step: number,
    kind: "observation" | "reply",
    suffix = "",
  ): void {
    this.#tracked.push({ index, step, kind, suffix, elided: false });
  }

  /**
   * The most characters one observation may show: `maxOutputChars`, or a
   * tenth of the prompt room when the window is known and that is less
   * (the rest of the output stays in `_out[n]`).
   */
  observationCap(budget: ContextBudget | undefined, maxOutputChars: number) {
    const room = budget ? promptRoom(budget) : undefined;
    if (room === undefined) return maxOutputChars;
    const share = Math.floor(room * OBSERVATION_SHARE * budget!.charsPerToken);
    return Math.max(1000, Math.min(maxOutputChars, share));
  }

  /** Elides when the chat is above the high-water mark; `null` when it fits. */
  fit(budget: ContextBudget | undefined): Elision | null {
    const room = budget ? promptRoom(budget) : undefined;
    if (room === undefined) return null;
    const tokens = estimateTokens(this.#messages, budget!.charsPerToken);
    if (tokens <= room * HIGH) return null;
    return this.#elide(Math.floor(room * LOW), budget!.charsPerToken, tokens);
  }

  /**
   * Elides after the server said the chat does not fit: down to half the
   * room when the window is known, else to half the current size. `null`
   * when there is nothing left to elide.
   */
  shrink(budget: ContextBudget | undefined): Elision | null {
    const cpt = budget?.charsPerToken ?? 3;
    const tokens = estimateTokens(this.#messages, cpt);
    const room = budget ? promptRoom(budget) : undefined;
    const target = Math.min(
      Math.floor((room ?? tokens) * LOW),
      Math.floor(tokens * LOW),
    );
    return this.#elide(target, cpt, tokens);
  }

  #elide(target: number, cpt: number, before: number): Elision | null {
    const candidates = this.#tracked.slice(0, -KEEP_LAST)
      .filter((t) => !t.elided)
      // Observations first (oldest first), then the replies that wrote the cells.
      .sort((a, b) =>
        (a.kind === b.kind ? 0 : a.kind === "observation" ? -1 : 1) ||
        a.index - b.index
      );
    const cells = new Set<number>();
    let tokens = before;
    for (const t of candidates) {
      if (tokens <= target) break;
      const message = this.#messages[t.index];
      const stub = t.kind === "observation"
        ? `[Cell ${t.step} output elided to keep the chat within the context window (${message.content.length} characters); all of it is in _out[${t.step}].]${t.suffix}`
        : `[The code of cell ${t.step} was elided to keep the chat within the context window (${message.content.length} characters).]`;
      if (stub.length >= message.content.length) continue;
      tokens -= Math.ceil((message.content.length - stub.length) / cpt);
      this.#messages[t.index] = { ...message, content: stub };
      t.elided = true;
      cells.add(t.step);
    }
    if (cells.size === 0) return null;
    return {
      cells: [...cells].sort((a, b) => a - b),
      tokensBefore: before,
      tokensAfter: estimateTokens(this.#messages, cpt),
    };
  }
}
