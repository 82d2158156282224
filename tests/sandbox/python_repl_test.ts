import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { pythonSandbox } from "../helpers/python.ts";
import type { HostFunction, RunOptions } from "../../src/sandbox/types.ts";
import { listResult } from "../../src/rlm/list_result.ts";

/** Host functions that record their arguments and answer like the tools. */
function recorder() {
  const calls: { name: string; args: unknown[] }[] = [];
  const fn = (name: string, answer: (args: unknown[]) => unknown) =>
    ((args: unknown[]) => {
      calls.push({ name, args });
      return answer(args);
    }) as HostFunction;
  const functions: Record<string, HostFunction> = {
    read_file: fn("read_file", (a) => `   1| text of ${a[0]}`),
    glob_files: fn(
      "glob_files",
      () => listResult(["b.ts", "a.ts"], "b.ts\na.ts", "glob_files", "paths"),
    ),
    fails: fn("fails", () => {
      throw new Error('Cannot read "x": no such file');
    }),
    bad_args: fn("bad_args", () => {
      throw new TypeError("bad_args(path): path must be a string");
    }),
    count: fn("count", (a) => ({ n: a.length, items: a })),
  };
  const options: RunOptions = {
    functions,
    signatures: {
      read_file: "read_file(path, offset?, limit?)",
      glob_files: "glob_files(pattern, path?)",
      fails: "fails()",
      bad_args: "bad_args(path)",
      count: "count(...items)",
    },
  };
  return { calls, options };
}

Deno.test("Python cells: state, values, output, errors and SUBMIT", async (t) => {
  await using sb = pythonSandbox({ cwd: "/work/project", cellTimeout: 60 });
  const { calls, options } = recorder();
  const run = (code: string) => sb.run(code, options);

  await t.step(
    "variables, functions, classes and imports persist across cells",
    async () => {
      await run(
        "import math\nx = 20\ndef add(a, b):\n    return a + b\nclass Box:\n    def __init__(self, v):\n        self.v = v",
      );
      const result = await run("add(x, Box(2).v) + int(math.sqrt(16))");
      assertEquals(result.error, undefined);
      assertEquals(result.value, "26");
    },
  );

  await t.step(
    "the final expression is shown: text as it is, other values as repr, None not at all",
    async () => {
      assertEquals((await run("'plain text'")).value, "plain text");
      assertEquals(
        (await run("{'a': [1, 2], 'b': None}")).value,
        "{'a': [1, 2], 'b': None}",
      );
      assertEquals((await run("None")).value, undefined);
      assertEquals((await run("1 + 1;")).value, undefined);
      const big = await run("list(range(1000))");
      assertStringIncludes(big.value!, "...");
      assert(big.value!.length < 2000, "long lists are shortened");
    },
  );

  await t.step(
    "the final expression is found however the cell is laid out",
    async () => {
      await run("def pair(a, b):\n    return [a, b]");
      const cases: [string, string | undefined][] = [
        ["pair(1,\n2)", "[1, 2]"],
        ["pair(1,\n     2)", "[1, 2]"],
        ["v = [\n1]\n", undefined],
        ["v = [\n1]\nv", "[1]"],
        ["s = '''\npair(1, 2)\n'''\ns.strip()", "pair(1, 2)"],
        ["s = '''\npair(1, 2)\n    '''", undefined],
        ["if s:\n    w = 5", undefined],
        ["if not s:\n    pass\nelse:\n    w = 9\nw", "9"],
        ["w = 3\nw  # note\n# trailing comment", "3"],
        ["y = 1 + \\\n2\ny", "3"],
        ["@staticmethod\ndef q():\n    return 1\nq.__func__()", "1"],
        ["  indented = 4\n  indented", "4"],
        [
          "try:\n    1 / 0\nexcept ZeroDivisionError:\n    r = 'caught'\nr",
          "caught",
        ],
        ["w;", undefined],
        ["a = 1; a", "1"],
        ["t = 2; u = 3; t + u", "5"],
        ["t = 2; t;", undefined],
      ];
      for (const [code, expected] of cases) {
        const result = await run(code);
        assertEquals(result.error, undefined, code);
        assertEquals(result.value, expected, code);
      }
    },
  );

  await t.step(
    "print() and writes to stderr go to the output in order",
    async () => {
      const result = await run(
        "import sys\nprint('one', 2)\nsys.stderr.write('two\\n')\nprint('three', end='')",
      );
      assertEquals(result.output, "one 2\ntwo\nthree");
    },
  );

  await t.step(
    "an error names its type, message and line; output before it is kept",
    async () => {
      const result = await run("print('before')\n\nd = {}\nd['missing']");
      assertEquals(result.output, "before\n");
      assertEquals(result.error, {
        name: "KeyError",
        message: "'missing'",
        line: 4,
      });
    },
  );

  await t.step("a syntax error reports the cell's line", async () => {
    const result = await run("a = 1\nif a == 1\n    print(a)");
    assertEquals(result.error?.name, "SyntaxError");
    assertEquals(result.error?.line, 2);
  });

  await t.step(
    "a traceback through functions of earlier cells shows only cells' lines",
    async () => {
      await run(
        "def inner():\n    return 1 / 0\n\ndef outer():\n    return inner()",
      );
      const result = await run("y = 1\nouter()");
      assertEquals(result.error?.name, "ZeroDivisionError");
      assertEquals(result.error?.line, 2);
      assertStringIncludes(result.output, "Traceback (most recent call last):");
      assertMatch(result.output, /File "<cell-\d+>", line 2, in <module>/);
      assertMatch(result.output, /line 5, in outer\n\s+return inner\(\)/);
      assertMatch(result.output, /line 2, in inner\n\s+return 1 \/ 0/);
      assert(!/nanocode>|_base\.py|pyodide/.test(result.output), result.output);
    },
  );

  await t.step(
    "a cell that replaced sys.stdout does not silence the cells after it",
    async () => {
      const muted = await run(
        "import io, sys\nsys.stdout = sys.stderr = io.StringIO()\nprint('captured')",
      );
      assertEquals(muted.output, "");
      assertEquals((await run("print('heard')")).output, "heard\n");
    },
  );

  await t.step(
    "asyncio.run(main()) at a cell's top level runs it to its end; inside a function it says what to write",
    async () => {
      const result = await run(
        "import asyncio\nasync def main():\n    await asyncio.sleep(0.01)\n    return read_file('a.ts', limit=1)\nasyncio.run(main())",
      );
      assertEquals(result.error, undefined);
      assertEquals(result.value, "   1| text of a.ts");
      const nested = await run(
        "def go():\n    return asyncio.run(main())\nprint('before')\ngo()",
      );
      assertEquals(nested.output.split("\n")[0], "before");
      assertEquals(nested.error?.name, "RuntimeError");
      assertStringIncludes(nested.error!.message, "await main()");
    },
  );

  await t.step(
    "top-level await works, and after it the cell still prints, calls functions and submits",
    async () => {
      const result = await run(
        "import asyncio\nawait asyncio.sleep(0.01)\n'awaited'",
      );
      assertEquals(result.error, undefined);
      assertEquals(result.value, "awaited");
      const after = await run(
        "async def one(p):\n    await asyncio.sleep(0)\n    return read_file(p, limit=1)\n" +
          "texts = await asyncio.gather(one('a.ts'), one('b.ts'))\nprint(texts)\nSUBMIT(texts)",
      );
      assertEquals(after.error, undefined);
      assertEquals(
        after.output,
        "['   1| text of a.ts', '   1| text of b.ts']\n",
      );
      assertEquals(after.submitted, [[
        "   1| text of a.ts",
        "   1| text of b.ts",
      ]]);
    },
  );

  await t.step(
    "functions take arguments by position and by keyword",
    async () => {
      calls.length = 0;
      assertEquals(
        (await run("read_file('a.py')")).value,
        "   1| text of a.py",
      );
      await run("read_file('a.py', 10, 5)");
      await run("read_file('a.py', limit=5)");
      await run("read_file(path='b.py', offset=2)");
      await run("count(1, 'two', [3])");
      assertEquals(calls.map((c) => c.args), [
        ["a.py"],
        ["a.py", 10, 5],
        ["a.py", null, 5],
        ["b.py", 2],
        [1, "two", [3]],
      ]);
      const wrong = await run("read_file('a.py', lines=5)");
      assertEquals(wrong.error?.name, "TypeError");
      assertStringIncludes(
        wrong.error!.message,
        "unexpected keyword argument 'lines'",
      );
      assertEquals(calls.length, 5, "a wrong keyword never reaches the host");
    },
  );

  await t.step(
    "a function's failure is an exception the cell can catch",
    async () => {
      const caught = await run(
        "try:\n    fails()\nexcept ToolError as e:\n    print('caught:', e)",
      );
      assertEquals(caught.output, 'caught: Cannot read "x": no such file\n');
      const typed = await run("bad_args(3)");
      assertEquals(typed.error?.name, "TypeError");
      assertEquals(
        typed.error?.message,
        "bad_args(path): path must be a string",
      );
    },
  );

  await t.step(
    "a list result is a Python list whose str() is the tool's text",
    async () => {
      const result = await run(
        "files = glob_files('*')\nprint(files)\nprint(len(files), files[0], sorted(files))\nfiles",
      );
      assertEquals(result.output, "b.ts\na.ts\n2 b.ts ['a.ts', 'b.ts']\n");
      assertEquals(result.value, "b.ts\na.ts");
      const split = await run("files.split('\\n')");
      assertStringIncludes(
        split.error!.message,
        "already returns a list of paths",
      );
    },
  );

  await t.step("JSON replies arrive as Python values", async () => {
    assertEquals(
      (await run("count(1, None, True)")).value,
      "{'n': 3, 'items': [1, None, True]}",
    );
  });

  await t.step(
    "arguments that are not JSON values are refused before the call",
    async () => {
      const result = await run("count(float('nan'))");
      assertEquals(result.error?.name, "TypeError");
      assertStringIncludes(result.error!.message, "JSON values");
    },
  );

  await t.step("task, history and _out are Python variables", async () => {
    sb.setGlobals({
      task: "fix the bug",
      history: [{ user: "hi", answer: "hello" }],
      _out: [],
    });
    const result = await sb.run(
      "print(task.upper(), history[0]['answer'], type(history).__name__)",
      { ...options, outputSlot: 2 },
    );
    assertEquals(result.output, "FIX THE BUG hello list\n");
    const out = await run("_out[2]");
    assertEquals(out.value, "FIX THE BUG hello list\n");
  });

  await t.step(
    "os.getcwd() is the workspace's path, and nothing in it is reachable",
    async () => {
      assertEquals(
        (await run("import os\nos.getcwd()")).value,
        "/work/project",
      );
      const listing = await run("os.listdir('.')");
      assertEquals(listing.error?.name, "PermissionError");
    },
  );

  await t.step(
    "SUBMIT takes values by position or by name and ends the cell",
    async () => {
      const positional = await run(
        "print('shown')\nSUBMIT('done', 3)\nprint('never')",
      );
      assertEquals(positional.submitted, ["done", 3]);
      assertEquals(positional.output, "shown\n");
      const named = await run("SUBMIT(answer='named')");
      assertEquals(named.submitted, [{ answer: "named" }]);
    },
  );

  await t.step("no except clause can swallow SUBMIT", async () => {
    calls.length = 0;
    const bare = await run(
      "try:\n    SUBMIT('a')\nexcept:\n    print('swallowed')\nread_file('after.py')",
    );
    assertEquals(bare.submitted, ["a"]);
    assertEquals(bare.output, "");
    assertEquals(calls.length, 0, "nothing after SUBMIT reached the host");
    const loop = await run(
      "while True:\n    try:\n        SUBMIT('b')\n    except BaseException:\n        pass",
    );
    assertEquals(loop.submitted, ["b"]);
    assertEquals(loop.lost, undefined);
  });

  await t.step(
    "SUBMIT of a value that is not JSON is an error the model can fix",
    async () => {
      const result = await run("SUBMIT(object())");
      assertEquals(result.submitted, undefined);
      assertEquals(result.error?.name, "TypeError");
      assertStringIncludes(
        result.error!.message,
        "SUBMIT arguments must be JSON values",
      );
    },
  );

  await t.step("exit() and input() are errors that keep the REPL", async () => {
    const exit = await run("import sys\nsys.exit(0)");
    assertEquals(exit.error?.name, "SystemExit");
    assertStringIncludes(exit.error!.message, "SUBMIT");
    const input = await run("input('name? ')");
    assertEquals(input.error?.name, "EOFError");
    assertEquals((await run("x")).value, "20");
  });

  await t.step("long output keeps its head and tail", async () => {
    const result = await sb.run(
      "for i in range(30000):\n    print('line', i)",
      options,
    );
    assertStringIncludes(result.output, "line 0\n");
    assertStringIncludes(result.output, "line 29999\n");
    assertStringIncludes(result.output, "characters omitted");
  });

  await t.step(
    "packages that would need a download are refused in one sentence",
    async () => {
      for (const name of ["numpy", "micropip"]) {
        const result = await run(`import ${name}`);
        assertEquals(result.error?.name, "ModuleNotFoundError");
        assertStringIncludes(
          result.error!.message,
          "only the standard library",
        );
      }
      const stdlib = await run(
        "import json, sqlite3, re, collections\njson.dumps({'ok': True})",
      );
      assertEquals(stdlib.value, '{"ok": true}');
    },
  );
});
