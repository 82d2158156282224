/**
 * The start-up trust question on the terminal: what a folder's config (or
 * a program) would do, one line per setting, then `[y]es [n]o`. Everything
 * shown comes from untrusted files, so it is made inert first.
 *
 * @module
 */

import type { KeyInput } from "../ui/input.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";

/** A question to the user. */
export interface TrustQuestion {
  /** What is asking, e.g. `.nanocode/config.json in /repo would:`. */
  title: string;
  /** One line per setting it would loosen or redirect. */
  lines: string[];
  /** The question, e.g. `Trust /repo?`. */
  prompt: string;
}

/** `skip`: no answer this time (Enter, Esc, end of input); nothing is remembered. */
export type TrustAnswer = "yes" | "no" | "skip";

/** Asks a {@linkcode TrustQuestion}. */
export type TrustAsker = (question: TrustQuestion) => Promise<TrustAnswer>;

/**
 * The question as shown (inert, with the settings indented).
 *
 * @example
 * ```ts
 * import { describeQuestion } from "./prompt.ts";
 * import { createStyle } from "../ui/style.ts";
 * const text = describeQuestion({ title: "x would:", lines: ["set permission_mode to \"yolo\""], prompt: "Trust /r?" }, createStyle(false));
 * console.log(text.includes("yolo")); // true
 * ```
 */
export function describeQuestion(
  question: TrustQuestion,
  style: Style,
): string {
  const lines = [style.yellow(`⏺ ${sanitize(question.title)}`)];
  for (const line of question.lines) {
    lines.push(`  ${style.bold("│")} ${sanitize(line)}`);
  }
  return lines.join("\n");
}

/**
 * Asks on the terminal: `y` yes, `n` no, Enter, Esc or the end of input
 * skip (the question comes back next time).
 *
 * @example
 * ```ts ignore
 * const ask = terminalTrustAsker(stdout, style, () => input);
 * const answer = await ask({ title: "...", lines: [...], prompt: "Trust /repo?" });
 * ```
 */
export function terminalTrustAsker(
  out: Output,
  style: Style,
  input: () => KeyInput | Promise<KeyInput>,
): TrustAsker {
  return async (question) => {
    const keys = await input();
    keys.discard();
    out.write(`${describeQuestion(question, style)}\n`);
    out.write(
      `  ${style.bold(sanitize(question.prompt))} ${
        style.dim("[y]es  [n]o  (Enter: not now)")
      } `,
    );
    let answer: TrustAnswer = "skip";
    for (;;) {
      const key = await keys.next();
      if (key === null) break;
      const text = key.kind === "text" ? key.text.toLowerCase() : "";
      if (text === "y") answer = "yes";
      else if (text === "n") answer = "no";
      else if (
        !(key.kind === "key" &&
          ["enter", "escape", "ctrl-c", "ctrl-d"].includes(key.name))
      ) continue;
      break;
    }
    const shown = answer === "yes"
      ? style.green("yes")
      : answer === "no"
      ? style.red("no")
      : style.dim("not now");
    out.write(`${shown}\n`);
    return answer;
  };
}
