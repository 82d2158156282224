import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  denoRunArgs,
  everythingStdio,
  filesystemStdio,
} from "../helpers/mcp_servers.ts";
import { mcpAgent } from "./_agent.ts";

Deno.test("CodingAgent.forward() lists, reads and combines several MCP tools in one cell", async () => {
  await using fx = await mcpAgent({
    files: { "notes/a.txt": "alpha 1\n", "notes/b.txt": "beta 2\n" },
    servers: (ws) => ({
      everything: everythingStdio(),
      fs: filesystemStdio(ws),
    }),
    cells: [
      `print(mcp_help("fs.list_directory"))`,
      [
        `const listing = mcp.fs.list_directory({ path: "notes" })`,
        `const names = listing.content.split("\\n").filter((l) => l.startsWith("[FILE]")).map((l) => l.slice(7))`,
        `const texts = names.map((n) => mcp.fs.read_text_file({ path: "notes/" + n }))`,
        `const numbers = texts.map((t) => Number(t.content.trim().split(" ")[1]))`,
        `const sum = mcp.everything.get_sum({ a: numbers[0], b: numbers[1] })`,
        `print(names.join(","), sum)`,
      ].join("\n"),
      `SUBMIT(String(sum))`,
    ],
  });
  const result = await fx.agent.forward("add the numbers in notes/");
  assertEquals(result.answer.includes("3"), true, result.answer);
  const seen = fx.observations();
  assertStringIncludes(seen[1], "mcp.fs.list_directory(args: {");
  assertStringIncludes(seen[2], "a.txt,b.txt The sum of 1 and 2 is 3.");
  const system = fx.system();
  assertStringIncludes(system, "- everything: echo,");
  assertStringIncludes(system, "- fs: read_file, read_text_file");
  assert(
    !system.includes("mcp.fs.read_text_file("),
    "tools are not listed one by one",
  );
});

Deno.test("MCP functions: .help, argument checks, structured results kept in variables, tool errors caught", async () => {
  await using fx = await mcpAgent({
    servers: (ws) => ({
      everything: everythingStdio(),
      fs: filesystemStdio(ws),
    }),
    cells: [
      [
        `print(mcp.everything.get_sum.help)`,
        `try { mcp.everything.get_sum({ a: "x", b: 2 }) } catch (e) { print(e.name + ": " + e.message) }`,
        `const weather = mcp.everything.get_structured_content({ location: "Chicago" })`,
        `const image = mcp.everything.get_tiny_image()`,
        `try { mcp.fs.read_text_file({ path: "/etc/passwd" }) } catch (e) { print("caught " + e.name + ": " + e.message) }`,
      ].join("\n"),
      `print(typeof weather.temperature, image.find((i) => i.type === "image").mimeType)`,
      `SUBMIT("x")`,
    ],
  });
  await fx.agent.forward("try things");
  const [, first, second] = fx.observations();
  assertStringIncludes(first, "mcp.everything.get_sum(args: {\n  a: number;");
  assertStringIncludes(
    first,
    "TypeError: mcp.everything.get_sum(a, b): a must be a number",
  );
  assertStringIncludes(first, "caught McpToolError: ");
  assertStringIncludes(first, "outside allowed directories");
  assert(!first.includes("temperature"), "results stay in variables");
  assertStringIncludes(second, "number image/png");
});

Deno.test("a server's new tools (tools/list_changed) show in mcp_help at once and are callable from the next cell", async () => {
  const fixture = new URL("./fixtures/changing_server.ts", import.meta.url)
    .pathname;
  await using fx = await mcpAgent({
    servers: () => ({
      changing: { command: Deno.execPath(), args: denoRunArgs(fixture) },
    }),
    cells: [
      `print(mcp.changing.unlock())`,
      `for (let i = 0; i < 400 && !mcp_help("changing").includes("secret"); i++) await new Promise((r) => setTimeout(r, 25))\nprint(mcp_help("changing"))`,
      `print(mcp.changing.secret())`,
      `SUBMIT("x")`,
    ],
  });
  await fx.agent.forward("unlock it");
  const seen = fx.observations();
  assertStringIncludes(seen[1], "unlocked");
  assertStringIncludes(seen[2], "- mcp.changing.secret: Tells the secret.");
  assertStringIncludes(seen[3], "the secret is 42");
});
