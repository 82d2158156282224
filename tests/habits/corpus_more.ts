/**
 * More of the corpus: gpt-oss served by a server whose chat template leaks
 * its harmony channels into the text (the analysis channel is reasoning,
 * the final channel the reply, a commentary channel a tool call), Gemini's
 * `tool_code` blocks, a cell without a fence, a fence inside the cell's
 * template literal, and models that treat read_file's numbered lines as
 * the file's content.
 *
 * @module
 */

import type { HabitCase } from "./corpus.ts";

const OSS = { provider: "ollama" as const, model: "ollama/gpt-oss:20b" };
const GPT = { provider: "openai" as const, model: "openai/gpt-4o" };

const js = (code: string) => `\`\`\`js\n${code}\n\`\`\``;

/** The added cases. */
export const MORE_CORPUS: HabitCase[] = [
  {
    name:
      "gpt-oss through a server that leaks its harmony channels writes the cell in the final channel",
    ...OSS,
    reply: {
      text:
        `<|channel|>analysis<|message|>The user wants the text files. Draft:\n${
          js("write_file('draft.txt', 'x')")
        }\nNo; read a.txt.<|end|><|start|>assistant<|channel|>final<|message|>${
          js("print(read_file('a.txt'))")
        }<|return|>`,
    },
    next: ["   1| alpha"],
    notNext: ["code block was empty", "nothing ran"],
    absentFiles: ["draft.txt"],
  },
  {
    name:
      "gpt-oss through LM Studio, its channel tokens stripped to analysis…assistantfinal",
    ...OSS,
    reply: {
      text: `analysisNeed to read a.txt first.assistantfinal${
        js("print(read_file('a.txt'))")
      }`,
    },
    next: ["   1| alpha"],
  },
  {
    name:
      "gpt-oss calls read_file on its commentary channel, the way its own tools are called",
    ...OSS,
    reply: {
      text:
        `<|channel|>analysis<|message|>Read the file.<|end|><|start|>assistant<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path":"a.txt"}<|call|>`,
    },
    next: ["tool call", shownCell('print(read_file("a.txt"))')],
  },
  {
    name:
      "GPT-4o copies a file by writing read_file's output, line numbers and all",
    ...GPT,
    reply: {
      text: `I'll copy a.txt to c.txt.\n${
        js("const text = read_file('a.txt');\nwrite_file('c.txt', text)")
      }`,
    },
    next: ["read_file's line numbers", "replace(/^ *\\d+\\| /gm"],
    absentFiles: ["c.txt"],
  },
  {
    name: "a small local model writes its cell as plain text, without a fence",
    provider: "ollama",
    model: "ollama/qwen2.5-coder:7b",
    reply: {
      text: `const text = read_file("a.txt");\nwrite_file("c.txt", "x");`,
    },
    next: ["not inside a ```js block", "nothing ran"],
    absentFiles: ["c.txt"],
  },
  {
    name:
      "Claude submits a markdown answer whose code fence sits inside the template literal",
    provider: "openrouter",
    model: "openrouter/anthropic/claude-sonnet-4",
    reply: {
      text:
        "Here is the summary.\n```js\nwrite_file('c.txt', 'draft');\nSUBMIT(`Both files are short:\n```text\nalpha\n```\nDone.`)\n```",
    },
    next: ["line starting with ``` inside it", "nothing ran", "escaped"],
    notNext: ["SyntaxError"],
    absentFiles: ["c.txt"],
  },
  {
    name:
      "Gemini writes a ```tool_code block calling default_api with keyword arguments",
    provider: "gemini",
    model: "gemini/gemini-2.5-flash",
    reply: {
      text: '```tool_code\nprint(default_api.read_file(path="a.txt"))\n```',
    },
    next: [shownCell('print(read_file("a.txt"))')],
  },
];

/** The cell the model is shown for a tool call it wrote as text. */
function shownCell(cell: string): string {
  return `\`\`\`js\n${cell}\n\`\`\``;
}
