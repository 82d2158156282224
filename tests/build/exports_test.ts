import { assert, assertEquals } from "../helpers/assert.ts";
import { baseEnv } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp.ts";
import { VERSION } from "../../src/version.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CONFIG = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));

/** The modules (paths inside the repository, or npm packages) an export loads. */
async function graph(specifier: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", specifier],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  return info.modules.map((m: { specifier: string }) =>
    m.specifier.startsWith("file://")
      ? m.specifier.slice(`file://${ROOT}`.length)
      : m.specifier
  );
}

Deno.test("deno.json exports the library, its parts and the CLI", () => {
  assertEquals(CONFIG.exports, {
    ".": "./mod.ts",
    "./agent": "./src/agent/mod.ts",
    "./sandbox": "./src/sandbox/mod.ts",
    "./rlm": "./src/rlm/mod.ts",
    "./tools": "./src/tools/mod.ts",
    "./cli": "./main.ts",
    "./mcp": "./src/mcp/mod.ts",
  });
  // Version ranges (the lock file pins what is installed here), not exact pins.
  for (const [name, target] of Object.entries(CONFIG.imports)) {
    assert(/^npm:\/?@?[^@]+@\^\d/.test(String(target)), `${name}: ${target}`);
  }
});

Deno.test("@nanocode/nanocode/sandbox loads neither the agent nor the model client", async () => {
  const modules = await graph("@nanocode/nanocode/sandbox");
  assert(modules.includes("src/sandbox/sandbox.ts"));
  const heavy = modules.filter((m) =>
    m.startsWith("src/agent/") || m.startsWith("src/lm/") ||
    m.startsWith("src/tools/") || m.startsWith("src/cli/") ||
    m.includes("openai")
  );
  assertEquals(heavy, []);
});

Deno.test("@nanocode/nanocode/rlm and /tools load no agent, and /rlm no model SDK", async () => {
  const rlm = await graph("@nanocode/nanocode/rlm");
  assertEquals(
    rlm.filter((m) => m.startsWith("src/agent/") || m.includes("openai")),
    [],
  );
  const tools = await graph("@nanocode/nanocode/tools");
  assertEquals(
    tools.filter((m) =>
      m.startsWith("src/agent/") || m.startsWith("src/rlm/") ||
      m.includes("openai")
    ),
    [],
  );
});

Deno.test("@nanocode/nanocode/cli runs the command line from another folder", async () => {
  await using work = await tempDir();
  // What `deno run -A jsr:@nanocode/nanocode/cli` runs, here by path.
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}${CONFIG.exports["./cli"].slice(2)}`,
      "--version",
    ],
    cwd: work.path,
    clearEnv: true,
    env: baseEnv(work.path),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(out.stdout), `nanocode ${VERSION}\n`);
  const help = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, "--help"],
    cwd: work.path,
    clearEnv: true,
    env: baseEnv(work.path),
    stdout: "piped",
  }).output();
  assert(
    new TextDecoder().decode(help.stdout).startsWith(`nanocode ${VERSION}`),
  );
});

Deno.test("a fresh run downloads only the packages the program uses: no tokenizer, no TypeScript stripper", async () => {
  // Deno installs every package of deno.json's imports and lock file on a
  // first run, so what is listed there is what a new user downloads.
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}deno.lock`));
  const names = (specifiers: string[]) =>
    specifiers.map((s) =>
      s.replace(/^npm:\/?/, "").replace(/\/$/, "").replace(/@[^@]*$/, "")
    ).sort();
  const imported = names(Object.values(CONFIG.imports) as string[]);
  assertEquals(names(lock.workspace.dependencies), imported);
  const locked = Object.keys(lock.npm).map((k) => k.replace(/@\d.*$/, ""));
  // Nor the MCP test servers and conformance suite (they have their own lock).
  for (
    const name of [
      "gpt-tokenizer",
      "sucrase",
      "@modelcontextprotocol/server-everything",
      "@modelcontextprotocol/server-filesystem",
      "@modelcontextprotocol/conformance",
    ]
  ) {
    assert(!imported.includes(name), `${name} is in deno.json`);
    assert(!locked.includes(name), `${name} is in deno.lock`);
  }
  // Every package listed is one the program imports.
  const sources = [...walkTs(`${ROOT}src`)].map((f) => Deno.readTextFileSync(f))
    .join("\n");
  for (const name of Object.keys(CONFIG.imports)) {
    assert(
      sources.includes(`from "${name}"`) ||
        sources.includes(`import("${name}")`) ||
        // A folder mapping ("pkg/") is used through its subpaths.
        (name.endsWith("/") && sources.includes(`from "${name}`)),
      name,
    );
  }
  // The benchmarks count tokens with their own configuration and lock file.
  const bench = JSON.parse(await Deno.readTextFile(`${ROOT}bench/deno.json`));
  assertEquals(bench.imports["gpt-tokenizer"], "npm:gpt-tokenizer@^4.0.0");
  assert(CONFIG.tasks.bench.includes("--config bench/deno.json"));
});

function* walkTs(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}
