/** Terminal safety: what reaches the screen from the model, files, names and commands is inert. */

import { assert, assertStringIncludes } from "../helpers/assert.ts";
import { EventRenderer } from "../../src/ui/render.ts";
import { renderMarkdown } from "../../src/ui/markdown.ts";
import { createStyle } from "../../src/ui/style.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";
import { describeRequest } from "../../src/cli/approval_prompt.ts";
import { hostile } from "./_harness.ts";

const ESC = "\x1b";
const HOSTILE = [
  `${ESC}[31mred${ESC}[0m`, // colour
  `${ESC}]52;c;ZWNobyBwd25lZA==${ESC}\\`, // OSC 52: write the clipboard
  `${ESC}]8;;http://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, // OSC 8 hyperlink
  `${ESC}[2J${ESC}[H`, // clear the screen
  "\u202eexe.txt", // right-to-left override
  "zero\u200bwidth", // zero-width space
  "bell\x07 and \x9b C1",
].join(" | ");

/** Renders a whole verbose turn and returns what the terminal received. */
async function screenOf(
  cells: string[],
  files: Record<string, string>,
): Promise<string> {
  await using h = await hostile({ mode: "yolo", files });
  await h.turn(...cells);
  const out = new MemoryOutput(true, 200);
  const renderer = new EventRenderer({
    out,
    style: createStyle(true),
    verbose: true,
    streamReasoning: true,
  });
  for (const event of h.events) renderer.handle(event);
  return out.text;
}

/** Asserts no escape sequence other than our own SGR colours got through. */
function assertInert(screen: string): void {
  const withoutOurStyles = screen.replace(
    // deno-lint-ignore no-control-regex
    /\x1b\[(?:[0-9]{1,2}(?:;[0-9]{1,2})*)m/g,
    "",
  );
  assert(!withoutOurStyles.includes(ESC), "a raw escape reached the terminal");
  assert(
    // deno-lint-ignore no-control-regex
    !/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d]/
      .test(withoutOurStyles),
    "a raw control character reached the terminal",
  );
}

Deno.test("hostile: escape sequences in command output are shown inert", async () => {
  const screen = await screenOf(["print(run_bash('cat evil.txt'))"], {
    "evil.txt": `${HOSTILE}\n`,
  });
  assertInert(screen);
  // The ESC of a colour code shows as ␛, so it colours nothing; OSC 52 cannot reach the clipboard.
  assertStringIncludes(screen, "␛[31mred");
  assertStringIncludes(screen, "␛]52;c;");
});

Deno.test("hostile: escape sequences in file contents are shown inert", async () => {
  const screen = await screenOf(["print(read_file('evil.txt'))"], {
    "evil.txt": `${HOSTILE}\n`,
  });
  assertInert(screen);
  assertStringIncludes(screen, "␛]8;;http://evil.example");
  assertStringIncludes(screen, "<U+202E>exe.txt");
  assertStringIncludes(screen, "zero<U+200B>width");
});

Deno.test("hostile: escape sequences and bidi overrides in file names are shown inert", async () => {
  const name = `\u202egnp.exe ${ESC}[31mx`;
  const screen = await screenOf([
    "print(glob_files('*'))",
    `print(read_file(${JSON.stringify(name)}))`,
  ], {
    [name]: "hi\n",
  });
  assertInert(screen);
  assertStringIncludes(screen, "<U+202E>gnp.exe ␛[31mx");
});

Deno.test("hostile: the model's own answer and the approval prompt cannot drive the terminal", () => {
  const answer = renderMarkdown(`**done** ${HOSTILE}`, createStyle(true), 100);
  assertInert(answer);
  assertStringIncludes(answer, "␛[31mred");
  const prompt = describeRequest(
    {
      tool: "run_bash",
      action: "command",
      subject: `echo ${HOSTILE}`,
      reasons: [],
    },
    createStyle(true),
  );
  assertInert(prompt);
  assertStringIncludes(prompt, "␛[2J");
});
