import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { parseReply } from "../../src/rlm/parse.ts";
import {
  looksLikeJavaScript,
  PYTHON,
  pythonSignature,
  replLanguage,
} from "../../src/rlm/python_language.ts";
import { JAVASCRIPT } from "../../src/rlm/repl_language.ts";
import { systemPrompt } from "../../src/rlm/prompt.ts";
import { explainCellError } from "../../src/rlm/error_hints.ts";
import { noCodeOutcome } from "../../src/rlm/habits.ts";

const SIGNATURE = {
  instructions: "Help with code.",
  inputs: [{ name: "task" }],
  outputs: [{ name: "answer", type: "string" as const }],
};
const LIMITS = { maxIters: 10, maxLlmCalls: 5, maxOutputChars: 1000 };

Deno.test("parseReply() runs a ```python block (and a bare fence) when the REPL is Python", () => {
  const reply =
    "Let me count the files.\n\n```python\nfiles = glob_files('*')\nprint(len(files))\n```\n\nThat should do it.";
  const parsed = parseReply(reply, "stop", PYTHON);
  assertEquals(parsed.code, "files = glob_files('*')\nprint(len(files))");
  assertEquals(parsed.reasoning, "Let me count the files.");
  for (const tag of ["py", "python3", ""]) {
    assertEquals(
      parseReply(`Go.\n\`\`\`${tag}\nprint(1)\n\`\`\``, "stop", PYTHON).code,
      "print(1)",
    );
  }
  // The same ```python block does not run in the JavaScript REPL.
  assertEquals(parseReply(reply, "stop", JAVASCRIPT).code, undefined);
});

Deno.test("parseReply() reports a JavaScript block as the wrong language when the REPL is Python", () => {
  const parsed = parseReply(
    "Reading it.\n\n```javascript\nconst t = read_file('a.ts');\nprint(t);\n```",
    "stop",
    PYTHON,
  );
  assertEquals(parsed.code, undefined);
  assertStringIncludes(parsed.problem!, "Your javascript block did not run");
  assertStringIncludes(parsed.problem!, "the REPL runs Python, not JavaScript");
  assertStringIncludes(parsed.problem!, "```python code block");
  const gemini = parseReply(
    "```tool_code\nprint(default_api.read_file(path='a.py'))\n```",
    "stop",
    PYTHON,
  );
  assertStringIncludes(
    gemini.problem!,
    'Call the functions directly in a ```python block, e.g. print(read_file("a.ts"))',
  );
  const shell = parseReply("```bash\nls\n```", "stop", PYTHON);
  assertStringIncludes(
    shell.problem!,
    'run_bash("...") inside a ```python block',
  );
});

Deno.test("a Python prose answer is pointed at SUBMIT with a Python cell", () => {
  const text = "The function adds two numbers and returns the sum.";
  const outcome = noCodeOutcome(
    { text, finishReason: "stop" },
    parseReply(text, "stop", PYTHON),
    [],
    PYTHON,
  );
  assertStringIncludes(
    outcome.text,
    '```python\nSUBMIT("""...your answer...""")\n```',
  );
});

Deno.test("looksLikeJavaScript() spots lines only JavaScript writes", () => {
  for (
    const code of [
      "const x = read_file('a')",
      "let n = 1",
      "function f(a) {\n  return a\n}",
      "files.map((f) => f.length)",
      "if (a === b) print(a)",
      "print(x);",
      "// look around",
    ]
  ) assert(looksLikeJavaScript(code), code);
  for (
    const code of [
      "x = read_file('a')",
      "def f(a):\n    return a",
      "[f for f in files if f.endswith('.py')]",
      "# look around",
      "print(x)",
    ]
  ) assert(!looksLikeJavaScript(code), code);
});

Deno.test("explainCellError() gives Python's file and process errors the function to use", () => {
  const file = explainCellError(
    {
      name: "FileNotFoundError",
      message: "[Errno 44] No such file or directory: 'a.py'",
    },
    "open('a.py')",
    PYTHON,
  );
  assertStringIncludes(file.message, "use read_file(path)");
  const denied = explainCellError(
    { name: "PermissionError", message: "[Errno 2] Permission denied: '.'" },
    "os.listdir('.')",
    PYTHON,
  );
  assertStringIncludes(denied.message, "glob_files(pattern)");
  const proc = explainCellError(
    {
      name: "OSError",
      message: "[Errno 138] emscripten does not support processes.",
    },
    "subprocess.run(['ls'])",
    PYTHON,
  );
  assertStringIncludes(proc.message, "run_bash");
  const js = explainCellError(
    { name: "SyntaxError", message: "invalid syntax", line: 1 },
    "const x = 1;",
    PYTHON,
  );
  assertStringIncludes(js.message, "the REPL runs Python, not JavaScript");
  // Deno's capability errors reached through Pyodide's FFI keep their hint.
  const ffi = explainCellError(
    {
      name: "JsException",
      message:
        'NotCapable: Requires read access to "/etc/passwd", run again with the --allow-read flag',
    },
    "g.Deno.readTextFileSync('/etc/passwd')",
    PYTHON,
  );
  assertStringIncludes(ffi.message, "use read_file(path)");
  assert(!ffi.message.includes("--allow-read"));
});

Deno.test("systemPrompt() speaks Python: rules, call forms with keywords, Python types", () => {
  const text = systemPrompt(
    SIGNATURE,
    [
      {
        signature: "read_file(path, offset?, limit?)",
        description: "Read a text file.",
        returns: "string of numbered lines",
        fails: 'throws Error("Cannot read \\"x\\": no such file")',
      },
      {
        signature: "glob_files(pattern, path?)",
        description: "List files.",
        returns: "string[] of paths",
      },
      { signature: "shout(...args)", description: "Shouts." },
    ],
    LIMITS,
    undefined,
    PYTHON,
  );
  assertStringIncludes(text, "You work by writing Python");
  assertStringIncludes(text, "exactly one ```python code block");
  assertStringIncludes(
    text,
    "- read_file(path, offset=None, limit=None) → str of numbered lines",
  );
  assertStringIncludes(text, 'Fails: raises ToolError("Cannot read');
  assertStringIncludes(
    text,
    "- glob_files(pattern, path=None) → list[str] of paths",
  );
  assertStringIncludes(text, "- shout(*args)");
  assertStringIncludes(
    text,
    "- SUBMIT(answer): ends the turn with your result. answer (str)",
  );
  assertStringIncludes(text, "- print(*values): shows values.");
  assertStringIncludes(text, "arguments by position or by name");
  assert(!text.includes("console.log") && !text.includes("```js"));
  // The JavaScript prompt is unchanged by the language hook.
  assertEquals(
    systemPrompt(SIGNATURE, [], LIMITS, undefined, JAVASCRIPT),
    systemPrompt(SIGNATURE, [], LIMITS),
  );
});

Deno.test("pythonSignature() and replLanguage() map the JavaScript forms", () => {
  assertEquals(
    pythonSignature("edit_file(path, old, new, replace_all?)"),
    "edit_file(path, old, new, replace_all=None)",
  );
  assertEquals(pythonSignature("f(...items)"), "f(*items)");
  assertEquals(replLanguage("python"), PYTHON);
  assertEquals(replLanguage("js"), JAVASCRIPT);
});
