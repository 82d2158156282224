/**
 * Finds the code cell in a model reply.
 *
 * A reply is free text followed by one fenced code block (```js,
 * ```javascript, ```ts, ```typescript or a bare fence). What happens in the
 * other cases:
 *
 * - No code block: nothing runs; the model is told the reply format.
 * - Several blocks: the first runnable block runs; the model is told the
 *   others were ignored.
 * - Only blocks in another language (```bash, ```python): nothing runs; the
 *   model is told only JavaScript runs and how to call `run_bash`.
 * - Text after the block: ignored (it stays in the transcript).
 * - A block cut off mid-way (no closing fence) because the output limit
 *   was hit: nothing runs, since half a cell could make half a change; the
 *   model is asked for a shorter cell. An unclosed block at the end of a
 *   reply that ended normally runs as written.
 *
 * @module
 */

const RUNNABLE = new Set(["", "js", "javascript", "ts", "typescript", "mjs"]);

/** A parsed reply. */
export interface ParsedReply {
  /** The text before the code block. */
  reasoning: string;
  /** The code to run, if the reply has a runnable block. */
  code?: string;
  /** Tells the model what went wrong when there is nothing to run. */
  problem?: string;
  /** A note to add to the observation even though code ran. */
  note?: string;
}

interface Block {
  lang: string;
  body: string;
  start: number;
  closed: boolean;
}

function findBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let open:
    | { fence: string; lang: string; start: number; body: string[] }
    | null = null;
  for (const line of lines) {
    if (!open) {
      const m = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^`]*$/.exec(line);
      if (m) {
        open = {
          fence: m[1],
          lang: m[2].toLowerCase(),
          start: offset,
          body: [],
        };
      }
    } else {
      const close = new RegExp(
        `^ {0,3}${open.fence[0]}{${open.fence.length},}\\s*$`,
      );
      if (close.test(line)) {
        blocks.push({
          lang: open.lang,
          body: open.body.join("\n"),
          start: open.start,
          closed: true,
        });
        open = null;
      } else open.body.push(line);
    }
    offset += line.length + 1;
  }
  if (open) {
    blocks.push({
      lang: open.lang,
      body: open.body.join("\n"),
      start: open.start,
      closed: false,
    });
  }
  return blocks;
}

/** The format reminder given when a reply has nothing to run. */
export const FORMAT_HINT =
  "Reply with brief reasoning followed by exactly one ```js code block; it runs in the REPL.";

/**
 * Splits a reply into reasoning and the code to run.
 *
 * @param finishReason why the model stopped (`"length"` means cut off).
 * @example
 * ```ts
 * import { parseReply } from "./parse.ts";
 * const parsed = parseReply("Look first.\n```js\nprint(1)\n```", "stop");
 * console.log(parsed.code); // "print(1)"
 * ```
 */
export function parseReply(
  text: string,
  finishReason: string | null,
): ParsedReply {
  const blocks = findBlocks(text);
  const runnable = blocks.filter((b) => RUNNABLE.has(b.lang));
  const first = runnable[0];
  const reasoning = (first ? text.slice(0, first.start) : text).trim();
  if (!first) {
    if (blocks.length > 0) {
      const langs = [...new Set(blocks.map((b) => b.lang))].join(", ");
      return {
        reasoning,
        problem:
          `Only JavaScript runs here; your reply had a ${langs} block and nothing ran. ` +
          `Use run_bash("...") for shell commands. ${FORMAT_HINT}`,
      };
    }
    return {
      reasoning,
      problem: `Your reply had no code block, so nothing ran. ${FORMAT_HINT}`,
    };
  }
  if (!first.closed && finishReason === "length") {
    return {
      reasoning,
      problem:
        "Your reply was cut off by the output limit before the code block closed, " +
        "so nothing ran. Write a shorter cell (split long file contents across cells).",
    };
  }
  if (!first.body.trim()) {
    return { reasoning, problem: `Your code block was empty. ${FORMAT_HINT}` };
  }
  const ignored = runnable.length - 1;
  return {
    reasoning,
    code: first.body,
    note: ignored > 0
      ? `Only the first code block ran; ${ignored} more ${
        ignored === 1 ? "was" : "were"
      } ignored. Put all code in one block.`
      : undefined,
  };
}
