import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";

const CI = new URL("../../.ci/run", import.meta.url).pathname;

const doc = (name: string) =>
  `/**\n * The ${name} part.\n *\n * @module\n */\n\n/**\n * Adds one.\n *\n * @example\n * \`\`\`ts\n * console.log(${name}(1)); // 2\n * \`\`\`\n */\nexport function ${name}(n: number): number {\n  return n + 1;\n}\n`;

/** A small package laid out like nanocode, for running the CI script on. */
function project(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ".ci/run": Deno.readTextFileSync(CI),
    "deno.json": JSON.stringify(
      {
        name: "@test/ci",
        version: "0.1.0",
        license: "MIT",
        exports: {
          ".": "./mod.ts",
          "./agent": "./src/agent/mod.ts",
          "./sandbox": "./src/sandbox/mod.ts",
          "./rlm": "./src/rlm/mod.ts",
          "./tools": "./src/tools/mod.ts",
          "./cli": "./main.ts",
        },
        tasks: { test: "deno test -A tests/" },
        publish: { exclude: ["tests/", "bench/", "scripts/", ".ci/"] },
      },
      null,
      2,
    ) + "\n",
    "mod.ts": doc("root"),
    "main.ts": doc("main"),
    "src/agent/mod.ts": doc("agent"),
    "src/sandbox/mod.ts": doc("sandbox"),
    "src/rlm/mod.ts": doc("rlm"),
    "src/tools/mod.ts": doc("tools"),
    "scripts/build.ts":
      'import { root } from "../mod.ts";\n\nconsole.log(root(1));\n',
    "bench/deno.json": "{}\n",
    "bench/main.ts":
      'import { root } from "../mod.ts";\n\nconsole.log(root(2));\n',
    "tests/a_test.ts":
      'import { root } from "../mod.ts";\n\nDeno.test("root() adds one", () => {\n  if (root(1) !== 2) throw new Error("bad");\n});\n\nDeno.test("root() adds one to zero", () => {\n  if (root(0) !== 1) throw new Error("bad");\n});\n',
    ...extra,
  };
}

async function runCi(dir: string): Promise<{ code: number; out: string }> {
  const result = await new Deno.Command("bash", {
    args: [`${dir}/.ci/run`],
    cwd: dir,
    env: { NANOCODE_CI_DENO: Deno.execPath(), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(result.stdout) +
    new TextDecoder().decode(result.stderr);
  return { code: result.code, out };
}

Deno.test(".ci/run passes a clean package and counts its tests and checks", async () => {
  await using dir = await tempDir(project());
  const { code, out } = await runCi(dir.path);
  assertEquals(code, 0, out);
  for (
    const name of [
      "deno fmt --check",
      "deno lint",
      "deno check",
      "deno doc --lint",
      "deno publish --dry-run",
    ]
  ) {
    assertStringIncludes(out, `check ${name}: ok`);
  }
  assertEquals(out.trim().split("\n").at(-1), "8 passed, 0 failed");
});

Deno.test(".ci/run fails with the failing checks' output and still ends with the counts", async () => {
  await using dir = await tempDir(project({
    // Unformatted, an unused variable, an undocumented export; a type error.
    "src/tools/mod.ts": "export const  tools = 1\nconst unused = 2;\n",
    "scripts/build.ts": 'const n: number = "two";\n\nconsole.log(n);\n',
  }));
  const { code, out } = await runCi(dir.path);
  assert(code !== 0, out);
  assertStringIncludes(out, "check deno fmt --check: FAILED");
  assertStringIncludes(out, "check deno lint: FAILED");
  assertStringIncludes(out, "no-unused-vars");
  assertStringIncludes(out, "check deno check: FAILED");
  assertStringIncludes(out, "TS2322");
  assertStringIncludes(out, "check deno doc --lint: FAILED");
  assertStringIncludes(out, "check deno publish --dry-run: ok");
  assertStringIncludes(
    out,
    "failed checks: deno fmt --check deno lint deno check",
  );
  // 2 tests passed, 2 checks passed (bench check, publish); 4 checks failed.
  assertEquals(out.trim().split("\n").at(-1), "4 passed, 4 failed");
});

Deno.test(".ci/run doc-lints every export deno.json lists, and deno task ok does too", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const ok: string = config.tasks.ok;
  for (const path of Object.values(config.exports) as string[]) {
    assertStringIncludes(ok, ` ${path.slice(2)}`, `deno task ok: ${path}`);
  }
  // A part added later (here ./mcp) is checked without editing the script.
  const base = project();
  const json = JSON.parse(base["deno.json"]);
  json.exports["./mcp"] = "./src/mcp/mod.ts";
  await using dir = await tempDir({
    ...base,
    "deno.json": JSON.stringify(json, null, 2) + "\n",
    "src/mcp/mod.ts":
      "/**\n * MCP.\n *\n * @module\n */\n\n/** One. */\nexport const one = 1;\n\nexport function mcp(): number {\n  return one;\n}\n",
  });
  const { code, out } = await runCi(dir.path);
  assert(code !== 0, out);
  assertStringIncludes(out, "check deno doc --lint: FAILED");
  assertStringIncludes(out, "src/mcp/mod.ts");
});
