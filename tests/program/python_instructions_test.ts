import { assertEquals } from "../helpers/assert.ts";
import {
  adaptPythonInstructions,
  describeChanges,
} from "../../src/program/python_instructions.ts";
import { programInstructions } from "../../src/program/files.ts";

Deno.test("adaptPythonInstructions() translates sentences that name Python as the cells' language", () => {
  const adapted = adaptPythonInstructions(
    "You help with code.\n\n1. REPL: Standard Python code you write executes in a sandbox. Variables persist.\n- Loops → write Python code directly in the REPL\nUse the Python REPL to count. Pass replace_all=True to replace all; `None` means none.",
  );
  assertEquals(
    adapted.text,
    "You help with code.\n\n1. REPL: JavaScript code you write executes in a sandbox. Variables persist.\n- Loops → write JavaScript code directly in the REPL\nUse the JavaScript REPL to count. Pass replace_all=true to replace all; `null` means none.",
  );
  assertEquals(adapted.writtenFor, "python");
  assertEquals(adapted.changes.map((c) => c.kind), [
    "translated",
    "translated",
    "translated",
    "translated",
  ]);
});

Deno.test("adaptPythonInstructions() drops sentences that only make sense with Python cells", () => {
  const adapted = adaptPythonInstructions(
    "Work in Python. Use f-strings for messages. Keep diffs small.\nStandard libraries: re, json, collections, math, etc.\nYou may `import re` when parsing. Never pip install anything.\nAnswer briefly.",
  );
  assertEquals(
    adapted.text,
    "Work in JavaScript. Keep diffs small.\nAnswer briefly.",
  );
  assertEquals(describeChanges(adapted.changes), [
    'translated: "Work in Python." → "Work in JavaScript."',
    'dropped: "Use f-strings for messages."',
    'dropped: "Standard libraries: re, json, collections, math, etc."',
    'dropped: "You may `import re` when parsing."',
    'dropped: "Never pip install anything."',
  ]);
});

Deno.test("adaptPythonInstructions() leaves instructions without Python untouched", () => {
  const text = "You are terse.\n\nPrefer small diffs; explain each change. ✓";
  assertEquals(adaptPythonInstructions(text), {
    text,
    changes: [],
    writtenFor: "javascript",
  });
});

Deno.test("programInstructions() keeps the original text and says what the program was written for, for a Python REPL to select", () => {
  const original = "Write Python code to inspect the data. Use f-strings.";
  const loaded = programInstructions({
    "agent.generate_action": { signature: { instructions: original } },
  });
  assertEquals(
    loaded.instructions,
    "Write JavaScript code to inspect the data.",
  );
  assertEquals(loaded.writtenFor, "python");
  assertEquals(loaded.originalInstructions, original);
  assertEquals(loaded.adaptations?.length, 2);
});

Deno.test("adaptPythonInstructions() drops DSPy's list of the Python tools, whose signatures contradict nanocode's own", () => {
  // DSPy 3.1.2's RLM appends this block (Python annotations, `-> str`)
  // after its template; an optimizer's rewrite can keep it in the task
  // instructions, where it would contradict the tool docs nanocode gives.
  const tools = [
    "Additional tools available (use these instead of standard library equivalents):",
    "- `read_file(path: str, offset: int, limit: int) -> str` - [EXTERNAL FILESYSTEM] Read file contents from disk with line numbers.",
    "- `glob_files(pattern: str, path: str) -> str` - [EXTERNAL FILESYSTEM] Do not use for simple file listing, run bash instead. Find files on disk matching a glob pattern.",
    "- `run_bash(cmd: str) -> str` - [EXTERNAL SYSTEM] Run a shell command on the host machine.",
  ];
  const adapted = adaptPythonInstructions(
    [
      "You are a concise coding assistant.",
      "",
      "You have max 50 sub-LLM calls. When done, call SUBMIT() with your output.",
      ...tools,
      "Keep answers short.",
    ].join("\n"),
  );
  assertEquals(
    adapted.text,
    "You are a concise coding assistant.\n\nYou have max 50 sub-LLM calls. When done, call SUBMIT() with your output.\nKeep answers short.",
  );
  assertEquals(adapted.writtenFor, "python");
  assertEquals(
    describeChanges(adapted.changes),
    tools.map((line) => `dropped: ${JSON.stringify(line)}`),
  );
});
