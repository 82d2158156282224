/**
 * Compaction: earlier turns of a conversation summarised by the model into
 * one turn of `history`, so a long session goes on with less context.
 *
 * @module
 */

import type { LanguageModel, Usage } from "../lm/types.ts";
import type { Turn } from "./types.ts";

/** What compaction produced. */
export interface CompactResult {
  /** The new history: one turn holding the summary. */
  history: Turn[];
  /** How many turns it replaced. */
  turns: number;
  /** The summary text. */
  summary: string;
  /** Usage of the summarising call. */
  usage: Usage;
}

/** Label of the turn that holds a summary. */
export const COMPACTED_LABEL = "(earlier conversation, compacted)";

const INSTRUCTIONS =
  "You compress the conversation of a coding session so that it can go on with less context. " +
  "Write a summary that keeps everything needed to continue the work: what the user asked for and wants, " +
  "decisions made and why, files read and changed (with paths and what changed), commands run and what they showed, " +
  "problems still open and the next steps. Be specific: names, paths, numbers, errors. " +
  "Write plain markdown, no preamble; answer with the summary only.";

/**
 * Asks `lm` to summarise `history`.
 *
 * @throws {Error} when the model call fails, or the summary is empty.
 * @example
 * ```ts ignore
 * const { history } = await compactHistory(lm, agent.history);
 * ```
 */
export async function compactHistory(
  lm: LanguageModel,
  history: Turn[],
  signal?: AbortSignal,
): Promise<CompactResult> {
  const transcript = history.map((turn, i) =>
    `## Turn ${
      i + 1
    }\n\n### The user asked\n\n${turn.user}\n\n### The agent answered\n\n${turn.answer}`
  ).join("\n\n");
  const completion = await lm.complete({
    messages: [
      { role: "system", content: INSTRUCTIONS },
      {
        role: "user",
        content: `The conversation so far (${
          history.length === 1 ? "1 turn" : `${history.length} turns`
        }):\n\n${transcript}`,
      },
    ],
    signal,
  });
  const summary = completion.text.trim();
  if (!summary) {
    throw new Error("The model answered the compaction request with nothing");
  }
  return {
    history: [{ user: COMPACTED_LABEL, answer: summary }],
    turns: history.length,
    summary,
    usage: completion.usage,
  };
}
