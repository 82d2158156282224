/**
 * A corpus of model replies written the way real models write: reasoning
 * tags (DeepSeek-R1, Qwen3), empty replies (Gemini), prose answers (GPT-5,
 * Claude), JSON tool calls (Qwen, Hermes, Mistral, Llama), API tool calls,
 * refusals, unusual fence tags, Python, sandbox capability errors, and
 * REPL functions used the way JavaScript programmers expect. Each case
 * says what the model must be shown next and how the turn ends.
 *
 * @module
 */

import type { ProviderName } from "../helpers/emulator/profiles.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";

/** One reply and what must follow it. */
export interface HabitCase {
  /** Which model writes like this, and how. */
  name: string;
  /** The provider it is served by. */
  provider: ProviderName;
  /** The model name given to nanocode. */
  model: string;
  /** The reply to the first request. */
  reply: EmuReply;
  /** Text the next request's last message must contain (what the model is shown). */
  next?: (string | RegExp)[];
  /** Text it must not contain. */
  notNext?: (string | RegExp)[];
  /** `refusal`: the turn ends with a non-zero exit showing the refusal. */
  end?: "refusal";
  /** Files that must not exist afterwards (code that must not have run). */
  absentFiles?: string[];
}

const QWEN = {
  provider: "vllm" as const,
  model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
};
const R1 = { provider: "ollama" as const, model: "ollama/qwen2.5-coder:7b" };
const GPT = { provider: "openai" as const, model: "openai/gpt-4o" };
const CLAUDE = {
  provider: "openrouter" as const,
  model: "openrouter/anthropic/claude-sonnet-4",
};
const DEEPSEEK = {
  provider: "deepseek" as const,
  model: "deepseek/deepseek-chat",
};
const LLAMA = {
  provider: "llamacpp" as const,
  model: "openai/qwen2.5-coder-7b-instruct-q4_k_m.gguf",
};
const GROQ = {
  provider: "groq" as const,
  model: "groq/llama-3.3-70b-versatile",
};

const js = (code: string, before = "") =>
  `${before}${before ? "\n\n" : ""}\`\`\`js\n${code}\n\`\`\``;
const NOTHING_RAN = "nothing ran";
const SUBMIT_HINT = "SUBMIT(`...your answer...`)";
const JS_NOT_PYTHON = "the REPL runs JavaScript, not Python";

/** The corpus. */
export const CORPUS: HabitCase[] = [
  // Reasoning tags.
  {
    name: "DeepSeek-R1 thinks in <think> tags, then writes the cell",
    ...R1,
    reply: {
      text:
        `<think>\nThe user wants to know what a.txt holds. I should read it with read_file.\n</think>\n\n${
          js("print(read_file('a.txt'))", "I'll read the file.")
        }`,
    },
    next: ["   1| alpha"],
  },
  {
    name: "Qwen3 drafts a cell inside <think> and writes the real one after it",
    ...QWEN,
    reply: {
      text:
        `<think>\nFirst idea:\n\`\`\`js\nwrite_file('draft.txt', 'wrong')\n\`\`\`\nNo, just compute it.\n</think>\n${
          js("print(6 * 7)")
        }`,
    },
    next: ["42"],
    absentFiles: ["draft.txt"],
  },
  {
    name: "a small model opens <think> and never closes it",
    ...R1,
    reply: {
      text:
        `<think>\nI need to read a.txt.\n\`\`\`js\nwrite_file('draft.txt', 'x')\n\`\`\``,
    },
    next: ["never closed", NOTHING_RAN],
    absentFiles: ["draft.txt"],
  },
  {
    name: "a reasoning model is cut off by the output limit inside <think>",
    ...QWEN,
    reply: {
      text: "<think>\nLet me consider every file in turn. First, a.txt, which",
      finishReason: "length",
    },
    next: ["cut off by the output limit while you were still reasoning"],
  },
  {
    name:
      "R1 under Ollama's template starts mid-thought and closes with a lone </think>",
    ...R1,
    reply: {
      text:
        `Okay, the user wants the answer to 6 times 7. That's simple.\n</think>\n\n${
          js("print(6 * 7)")
        }`,
    },
    next: ["42"],
  },
  {
    name:
      "DeepSeek-reasoner spends its budget in reasoning_content and sends no text",
    ...DEEPSEEK,
    reply: {
      reasoning:
        "Let me think about the structure of the project in great detail...",
      text: "",
      finishReason: "length",
    },
    next: ["cut off by the output limit while you were still reasoning"],
  },
  {
    name: "DeepSeek-reasoner reasons in reasoning_content and writes a cell",
    ...DEEPSEEK,
    reply: {
      reasoning: "The file is small; read it.",
      text: js("print(read_file('b.txt'))"),
    },
    next: ["   1| beta"],
  },
  // Empty replies.
  {
    name:
      "Gemini returns an empty reply (and Claude would reject it stored empty)",
    ...CLAUDE,
    reply: { text: "" },
    next: ["Your reply was empty", NOTHING_RAN],
  },
  {
    name: "a model replies with only blank lines",
    ...CLAUDE,
    reply: { text: "\n\n  \n" },
    next: ["Your reply was empty"],
  },
  {
    name: "a reply cut off before any text",
    ...GPT,
    reply: { text: "", finishReason: "length" },
    next: ["cut off by the output limit before any text"],
  },
  // Prose final answers.
  {
    name: "GPT-5 answers in prose instead of calling SUBMIT",
    ...GPT,
    reply: { text: "The file `a.txt` contains a single line: **alpha**." },
    next: [SUBMIT_HINT, "no code block"],
  },
  {
    name: "Claude writes a markdown summary as its final answer",
    ...CLAUDE,
    reply: {
      text:
        "## Summary\n\n- `a.txt` holds `alpha`\n- `b.txt` holds `beta`\n\nNo changes were needed.",
    },
    next: [SUBMIT_HINT],
  },
  {
    name: "a small model writes 'Final Answer:' in plain text",
    ...LLAMA,
    reply: { text: "Final Answer: alpha" },
    next: [SUBMIT_HINT],
  },
  {
    name: "a model quotes the output in a ```text block as its answer",
    ...GROQ,
    reply: { text: "Here is what the file says:\n\n```text\nalpha\n```" },
    next: [SUBMIT_HINT, "only text"],
  },
  // Tool calls written as JSON.
  {
    name: "Qwen2.5 emits a <tool_call> JSON block",
    ...QWEN,
    reply: {
      text:
        '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n</tool_call>',
    },
    next: ["tool call as JSON", 'print(read_file("a.txt"))'],
  },
  {
    name: "Qwen3-Coder emits its XML function call",
    ...QWEN,
    reply: {
      text:
        "<tool_call>\n<function=run_bash>\n<parameter=cmd>\nls -la\n</parameter>\n</function>\n</tool_call>",
    },
    next: ["tool call as JSON", 'print(run_bash("ls -la"))'],
  },
  {
    name: "a model puts a tool call in a ```json block",
    ...GPT,
    reply: {
      text:
        'I will search for TypeScript files.\n```json\n{"tool": "glob_files", "args": {"pattern": "*.txt"}}\n```',
    },
    next: ['print(glob_files("*.txt"))'],
  },
  {
    name: "Mistral prefixes its calls with [TOOL_CALLS]",
    ...GROQ,
    reply: {
      text:
        '[TOOL_CALLS][{"name": "grep_files", "arguments": {"pattern": "alpha"}}]',
    },
    next: ['print(grep_files("alpha"))'],
  },
  {
    name: "Llama 3.1 writes <|python_tag|> and a JSON call",
    ...LLAMA,
    reply: {
      text:
        '<|python_tag|>{"name": "read_file", "parameters": {"path": "a.txt"}}',
    },
    next: ['print(read_file("a.txt"))'],
  },
  {
    name: "GPT-4o answers with OpenAI tool_calls and no content",
    ...GPT,
    reply: {
      toolCalls: [{ name: "read_file", arguments: '{"path":"a.txt"}' }],
    },
    next: [
      "tool calling, which this REPL does not use",
      'print(read_file("a.txt"))',
    ],
  },
  {
    name: "a model calls a tool nanocode does not have",
    ...QWEN,
    reply: {
      text: '{"name": "search_web", "arguments": {"query": "deno workers"}}',
    },
    next: ["There is no function named search_web", "read_file"],
  },
  {
    name: "an old fine-tune writes a legacy function_call object",
    ...LLAMA,
    reply: {
      text:
        '{"function_call": {"name": "read_file", "arguments": "{\\"path\\": \\"b.txt\\"}"}}',
    },
    next: ['print(read_file("b.txt"))'],
  },
  // Refusals.
  {
    name: "GPT-4o refuses through the API's refusal field",
    ...GPT,
    reply: {
      text: "",
      refusal: "I'm sorry, but I can't assist with that request.",
    },
    end: "refusal",
  },
  {
    name: "the provider's content filter stops the reply",
    ...GPT,
    reply: { text: "", finishReason: "content_filter" },
    end: "refusal",
  },
  {
    name: "a model refuses in plain text",
    ...QWEN,
    reply: { text: "I'm sorry, but I can't help with that." },
    end: "refusal",
  },
  {
    name: "Claude declines in its own words",
    ...CLAUDE,
    reply: {
      text:
        "I can't help with creating software designed to harm other people's computers.",
    },
    end: "refusal",
  },
  {
    name: "a model that says it cannot see the file yet is not refusing",
    ...GPT,
    reply: {
      text: js(
        "print(read_file('a.txt'))",
        "I can't see the file yet, so let me read it.",
      ),
    },
    next: ["   1| alpha"],
  },
  // Fence tags.
  {
    name: "a model tags its cell ```node",
    ...LLAMA,
    reply: { text: "```node\nprint(read_file('a.txt'))\n```" },
    next: ["   1| alpha"],
  },
  {
    name: "a model tags its cell ```jsx",
    ...GROQ,
    reply: {
      text:
        "```jsx\nconst files = glob_files('*.txt');\nprint(files.length)\n```",
    },
    next: [/^2$/m],
  },
  {
    name: 'a model adds a title to its fence (```javascript title="read.js")',
    ...GPT,
    reply: {
      text: '```javascript title="read.js"\nprint(read_file("b.txt"))\n```',
    },
    next: ["   1| beta"],
  },
  {
    name: "a model writes TypeScript in a ```tsx block",
    ...CLAUDE,
    reply: { text: "```tsx\nconst n: number = 40 + 2;\nprint(n)\n```" },
    next: [/^42$/m],
  },
  {
    name: "a model tags its cell ```mjs",
    ...DEEPSEEK,
    reply: { text: "```mjs\nprint(['a', 'b'].join('+'))\n```" },
    next: ["a+b"],
  },
  // Python and shell.
  {
    name: "a model trained on Python REPLs writes a ```python block",
    ...QWEN,
    reply: { text: "```python\nimport os\nprint(os.listdir('.'))\n```" },
    next: [JS_NOT_PYTHON, NOTHING_RAN],
  },
  {
    name: "a model writes Python inside a ```js fence",
    ...R1,
    reply: {
      text:
        "```js\nimport os\nfor name in os.listdir('.'):\n    print(name)\n```",
    },
    next: [JS_NOT_PYTHON, "SyntaxError"],
  },
  {
    name: "a model writes a Python function in a bare fence",
    ...LLAMA,
    reply: {
      text:
        "```\ndef read(path):\n    return open(path).read()\nprint(read('a.txt'))\n```",
    },
    next: [JS_NOT_PYTHON],
  },
  {
    name: "a model writes a ```bash block",
    ...GPT,
    reply: { text: "Let me list the files.\n```bash\nls -la\n```" },
    next: ['run_bash("...")', "did not run"],
  },
  // Sandbox capabilities.
  {
    name: "a Deno-trained model reads with Deno.readTextFile",
    ...CLAUDE,
    reply: {
      text: js("const text = await Deno.readTextFile('a.txt');\nprint(text)"),
    },
    next: ["use read_file(path)"],
    notNext: ["--allow-read"],
  },
  {
    name: "a Node-trained model calls require('fs')",
    ...GPT,
    reply: {
      text: js(
        "const fs = require('fs');\nprint(fs.readFileSync('a.txt', 'utf8'))",
      ),
    },
    next: ["require is not defined", "already in scope"],
  },
  {
    name: "a model imports node:fs",
    ...QWEN,
    reply: {
      text: js(
        'import { readFileSync } from "node:fs";\nprint(readFileSync("a.txt", "utf8"))',
      ),
    },
    next: ["use read_file(path)"],
    notNext: ["--allow-read"],
  },
  {
    name: "a model fetches a URL from the REPL",
    ...DEEPSEEK,
    reply: {
      text: js(
        "const res = await fetch('https://example.com');\nprint(await res.text())",
      ),
    },
    next: ['use run_bash("curl ...")'],
    notNext: ["--allow-net"],
  },
  {
    name: "a model reads an environment variable",
    ...GROQ,
    reply: { text: js("print(Deno.env.get('HOME'))") },
    next: ["no environment variables"],
  },
  {
    name: "a model asks process.cwd() where it is",
    ...GPT,
    reply: { text: js("print('cwd=' + process.cwd())") },
    next: [/cwd=\/\S+/],
    notNext: ["cwd=/\n"],
  },
  {
    name: "a model asks Deno.cwd() where it is",
    ...CLAUDE,
    reply: { text: js("print('cwd=' + Deno.cwd())") },
    next: [/cwd=\/\S+/],
    notNext: ["cwd=/\n"],
  },
  // Tool habits.
  {
    name: "a model copies read_file's line numbers into edit_file",
    ...GPT,
    reply: { text: js("print(edit_file('a.txt', '   1| alpha', 'omega'))") },
    next: ["line-number prefixes", "appears once"],
  },
  {
    name: "a model calls llm_query with an empty prompt",
    ...QWEN,
    reply: { text: js("print(llm_query(''))") },
    next: ["the prompt is empty"],
  },
  {
    name: "a model counts glob_files results with .length",
    ...GPT,
    reply: { text: js("print(glob_files('*.txt').length)") },
    next: [/^2$/m],
  },
  {
    name: "a model loops over glob_files with for…of",
    ...CLAUDE,
    reply: {
      text: js("for (const f of glob_files('*.txt')) print('file:', f)"),
    },
    next: ["file: a.txt", "file: b.txt"],
  },
  {
    name: "a model splits glob_files output as if it were text",
    ...QWEN,
    reply: {
      text: js("const files = glob_files('*.txt').split('\\n');\nprint(files)"),
    },
    next: ["already returns an array of paths"],
  },
  {
    name: "a model prints grep_files results",
    ...DEEPSEEK,
    reply: { text: js("print(grep_files('alpha'))") },
    next: ["a.txt:1:alpha"],
  },
  {
    name: "a model checks for no matches",
    ...GROQ,
    reply: {
      text: js(
        "const none = glob_files('*.zzz');\nprint(none.length, String(none))",
      ),
    },
    next: ["0 no files found"],
  },
  // Layout.
  {
    name: "a model writes two cells in one reply",
    ...GPT,
    reply: { text: `${js("print('first')")}\nThen:\n${js("print('second')")}` },
    next: ["first", "Only the first code block ran"],
    notNext: ["second\n"],
  },
  {
    name: "a long cell is cut off by the output limit",
    ...CLAUDE,
    reply: {
      text: "```js\nwrite_file('big.txt', `line one\nline two",
      finishReason: "length",
    },
    next: ["cut off by the output limit before the code block closed"],
    absentFiles: ["big.txt"],
  },
];
