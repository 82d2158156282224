/**
 * Finds the code cell in a model reply.
 *
 * A reply is free text followed by one fenced code block (```js,
 * ```javascript, ```ts, ```node, a bare fence, ...: see
 * {@linkcode ReplLanguage}). What happens in the other cases:
 *
 * - `<think>…</think>` at the start (or text up to a lone `</think>`, or an
 *   unclosed leading `<think>`) is reasoning: code in it does not run; so
 *   is gpt-oss's analysis channel when a server leaks its harmony format.
 * - No code block: nothing runs; {@linkcode describeNoCode} says why.
 * - Several blocks: the first runnable block runs; the model is told the
 *   others were ignored.
 * - Only blocks in another language (```bash, ```python): nothing runs; the
 *   model is told which language runs and how to call `run_bash`.
 * - Text after the block: ignored (it stays in the transcript).
 * - A fence line (```ts) inside the code, as in a markdown answer in a
 *   template literal: the block ended at the inner closing fence, so
 *   nothing runs and the model is told to escape the backticks.
 * - A block cut off mid-way (no closing fence) because the output limit
 *   was hit: nothing runs, since half a cell could make half a change; the
 *   model is asked for a shorter cell. An unclosed block at the end of a
 *   reply that ended normally runs as written.
 *
 * @module
 */

import { JAVASCRIPT, type ReplLanguage } from "./repl_language.ts";

/** A parsed reply. */
export interface ParsedReply {
  /** The reasoning: thinking and the text before the code block. */
  reasoning: string;
  /** The code to run, if the reply has a runnable block. */
  code?: string;
  /** Tells the model what went wrong when there is nothing to run. */
  problem?: string;
  /** A note to add to the observation even though code ran. */
  note?: string;
  /** The reply without its thinking (what prose, JSON or refusal checks read). */
  visible: string;
  /** Whether a leading `<think>` was never closed. */
  unclosedThinking: boolean;
  /** The fence tags of the reply's blocks when none of them runs. */
  foreign?: string[];
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
      const m = /^ {0,3}(`{3,}|~{3,})\s*([\w+.#-]*)[^`]*$/.exec(line);
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

const THINK_OPEN = /^\s*<(think|thinking|reasoning)>/i;

/**
 * Splits leading reasoning tags off a reply: `<think>…</think>` blocks at
 * the start, everything before a lone `</think>` (templates that open the
 * tag themselves), or all of it when a leading `<think>` is never closed.
 *
 * @example
 * ```ts
 * import { splitThinking } from "./parse.ts";
 * splitThinking("<think>look first</think>\nDone."); // { thinking: "look first", rest: "\nDone.", unclosed: false }
 * ```
 */
export function splitThinking(
  text: string,
): { thinking: string; rest: string; unclosed: boolean } {
  const harmony = splitHarmony(text);
  if (harmony) return harmony;
  const parts: string[] = [];
  let rest = text;
  for (let m = THINK_OPEN.exec(rest); m; m = THINK_OPEN.exec(rest)) {
    const body = rest.slice(m[0].length);
    const close = new RegExp(`</${m[1]}>`, "i").exec(body);
    if (!close) {
      parts.push(body.trim());
      return { thinking: parts.join("\n"), rest: "", unclosed: true };
    }
    parts.push(body.slice(0, close.index).trim());
    rest = body.slice(close.index + close[0].length);
  }
  if (parts.length === 0) {
    const lone = /<\/(think|thinking)>/i.exec(rest);
    if (lone && !/<(think|thinking)>/i.test(rest.slice(0, lone.index))) {
      parts.push(rest.slice(0, lone.index).trim());
      rest = rest.slice(lone.index + lone[0].length);
    }
  }
  return { thinking: parts.join("\n"), rest, unclosed: false };
}

/** gpt-oss's channels, when a server's template leaks them into the text. */
const HARMONY_FINAL =
  /<\|channel\|>\s*final\s*<\|message\|>|^\s*analysis[\s\S]*?assistantfinal/;

/**
 * Splits gpt-oss's harmony format (`<|channel|>analysis<|message|>…<|end|>
 * <|start|>assistant<|channel|>final<|message|>…`), which servers with a
 * broken chat template pass through as text: the analysis is reasoning,
 * the final message the reply (a commentary channel's tool call is left
 * in the reply for the tool-call check). `null` for other replies.
 */
function splitHarmony(
  text: string,
): { thinking: string; rest: string; unclosed: boolean } | null {
  if (!/<\|channel\|>|^\s*analysis\S/.test(text)) return null;
  const strip = (part: string) =>
    part.replace(/<\|start\|>\s*\w+/g, " ").replace(/<\|[a-z_]+\|>/g, " ")
      .replace(/\s+/g, " ").trim();
  const final = HARMONY_FINAL.exec(text);
  if (final) {
    const head = final[0].startsWith("<|")
      ? text.slice(0, final.index)
      : final[0].replace(/^\s*analysis|assistantfinal$/g, "");
    return {
      thinking: strip(head.replace(/<\|channel\|>\s*analysis/g, "")),
      rest: text.slice(final.index + final[0].length)
        .replace(/<\|(?:end|return|call)\|>\s*$/, ""),
      unclosed: false,
    };
  }
  const analysis =
    /^\s*<\|channel\|>\s*analysis\s*<\|message\|>([\s\S]*?)(?:<\|end\|>|$)/
      .exec(text);
  if (!analysis) return null;
  const rest = text.slice(analysis.index + analysis[0].length);
  return {
    thinking: strip(analysis[1]),
    rest: /<\|channel\|>/.test(rest) ? rest : "",
    unclosed: !/<\|end\|>/.test(analysis[0]),
  };
}

/**
 * The format reminder given when a reply has nothing to run.
 *
 * @example
 * ```ts
 * import { formatHint } from "./parse.ts";
 * formatHint(); // "Reply with brief reasoning followed by exactly one ```js code block; it runs in the REPL."
 * ```
 */
export function formatHint(language: ReplLanguage = JAVASCRIPT): string {
  return `Reply with brief reasoning followed by exactly one \`\`\`${language.fence} code block; it runs in the REPL.`;
}

/** The format reminder for the JavaScript REPL. */
export const FORMAT_HINT: string = formatHint();

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
  language: ReplLanguage = JAVASCRIPT,
): ParsedReply {
  const { thinking, rest, unclosed } = splitThinking(text);
  const blocks = findBlocks(rest);
  const runnable = blocks.filter((b) => language.tags.has(b.lang));
  const first = runnable[0];
  const before = (first ? rest.slice(0, first.start) : rest).trim();
  const reasoning = [thinking, before].filter(Boolean).join("\n\n");
  const base = { reasoning, visible: rest.trim(), unclosedThinking: unclosed };
  const hint = formatHint(language);
  if (!first) {
    if (blocks.length > 0) {
      const langs = [...new Set(blocks.map((b) => b.lang))];
      return {
        ...base,
        foreign: langs,
        problem: `${language.foreign(langs)} ${hint}`,
      };
    }
    return {
      ...base,
      problem: `Your reply had no code block, so nothing ran. ${hint}`,
    };
  }
  if (!first.closed && finishReason === "length") {
    return {
      ...base,
      problem:
        "Your reply was cut off by the output limit before the code block closed, " +
        "so nothing ran. Write a shorter cell (split long file contents across cells).",
    };
  }
  if (!first.body.trim()) {
    return { ...base, problem: `Your code block was empty. ${hint}` };
  }
  // A fence line inside the code (a markdown answer in a template literal):
  // the block ended at the inner closing fence, so the code is cut short.
  if (/^ {0,3}(?:`{3,}|~{3,})[\w+.#-]/m.test(first.body)) {
    return {
      ...base,
      problem:
        "Your code has a line starting with ``` inside it (a fenced block within a string?), which ends the code block early, so nothing ran. " +
        "Inside the code, write those backticks escaped (\\`\\`\\`) or as '`'.repeat(3).",
    };
  }
  const ignored = runnable.length - 1;
  return {
    ...base,
    code: first.body,
    note: ignored > 0
      ? `Only the first code block ran; ${ignored} more ${
        ignored === 1 ? "was" : "were"
      } ignored. Put all code in one block.`
      : undefined,
  };
}
