/**
 * The pure parts of MCP support: entries, names, schemas, results, the
 * prompt section, trust items, settings and rules.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import {
  describeServer,
  expandConfig,
  McpConfigError,
  parseMcpServers,
} from "../../src/mcp/config.ts";
import { uniqueIdentifiers } from "../../src/mcp/names.ts";
import { argumentSchema, toolParams, tsType } from "../../src/mcp/schema.ts";
import { McpToolError, resultValue } from "../../src/mcp/result.ts";
import { promptSection, toolHelp } from "../../src/mcp/help.ts";
import { mcpLoosening, questionLines } from "../../src/mcp/trust_items.ts";
import { mcpSettings } from "../../src/mcp/settings.ts";
import { matchesMcp, parseRule } from "../../src/policy/rules.ts";
import { Policy } from "../../src/policy/policy.ts";
import type { CatalogServer } from "../../src/mcp/servers.ts";
import { describeRequest } from "../../src/cli/approval_prompt.ts";
import { createStyle } from "../../src/ui/style.ts";
import type { McpConnection } from "../../src/mcp/connection.ts";

Deno.test("parseMcpServers() reads Claude Code's .mcp.json shapes and names what is wrong", () => {
  const [fs, gh, old] = parseMcpServers({
    fs: { command: "npx", args: ["-y", "srv"], env: { A: "1" } },
    gh: { type: "http", url: "https://x/mcp", headers: { H: "v" } },
    old: { type: "sse", url: "http://127.0.0.1:1/sse" },
  }, "f");
  assertEquals(fs.config, {
    type: "stdio",
    command: "npx",
    args: ["-y", "srv"],
    env: { A: "1" },
  });
  assertEquals(gh.config.type, "http");
  assertEquals(old.config.type, "sse");
  assertThrows(
    () => parseMcpServers({ x: { args: [] } }, "f"),
    McpConfigError,
    'MCP server "x" needs a "command"',
  );
  assertThrows(
    () => parseMcpServers({ x: { type: "ws", url: "ws://a" } }, "f"),
    McpConfigError,
    'unknown "type" "ws"',
  );
  assertThrows(
    () => parseMcpServers({ x: { command: "a", env: { B: 1 } } }, "f"),
    McpConfigError,
    '"env" must be an object of strings',
  );
});

Deno.test("expandConfig() fills ${VAR} and ${VAR:-default}; a missing variable is named", () => {
  const config = expandConfig({
    type: "stdio",
    command: "${BIN:-mcp}",
    args: ["--token=${T}"],
    env: { K: "${T}" },
  }, (name) => name === "T" ? "abc" : undefined);
  assertEquals(config, {
    type: "stdio",
    command: "mcp",
    args: ["--token=abc"],
    env: { K: "abc" },
  });
  assertThrows(
    () =>
      expandConfig(
        { type: "http", url: "https://${HOST}/mcp", headers: {} },
        () => undefined,
      ),
    McpConfigError,
    "the variable HOST is not set",
  );
  assertEquals(
    describeServer({ type: "stdio", command: "a b", args: ["x y"], env: {} }),
    '"a b" "x y"',
  );
});

Deno.test("uniqueIdentifiers() makes names into distinct identifiers", () => {
  assertEquals(uniqueIdentifiers(["get-sum", "get_sum", "9x", "ok"]), [
    "get_sum",
    "get_sum_2",
    "_9x",
    "ok",
  ]);
});

const SCHEMA = {
  type: "object",
  properties: {
    path: { type: "string", description: "file" },
    mode: { type: "string", enum: ["a", "b"] },
    lines: { type: "array", items: { type: "integer" } },
    opts: {
      type: "object",
      properties: { deep: { type: "boolean" } },
      required: ["deep"],
    },
    "odd-name": { anyOf: [{ type: "string" }, { type: "null" }] },
  },
  required: ["path"],
  additionalProperties: false,
};

Deno.test("tsType() and toolParams() render JSON Schemas as TypeScript types", () => {
  assertEquals(
    tsType(SCHEMA),
    '{ path: string; mode?: "a" | "b"; lines?: number[]; opts?: { deep: boolean }; "odd-name"?: string | null }',
  );
  assertEquals(toolParams(SCHEMA).map((p) => [p.name, p.optional]), [
    ["path", false],
    ["mode", true],
    ["lines", true],
    ["opts", true],
    ["odd-name", true],
  ]);
});

Deno.test("argumentSchema() checks top-level types, enums and required keys", () => {
  const schema = argumentSchema(SCHEMA);
  assert(schema.safeParse({ path: "a", mode: "b" }).success);
  assert(!schema.safeParse({ mode: "a" }).success);
  assert(!schema.safeParse({ path: 1 }).success);
  assert(!schema.safeParse({ path: "a", mode: "c" }).success);
  assert(!schema.safeParse({ path: "a", other: 1 }).success);
  const open = argumentSchema({ type: "object", properties: {} });
  assertEquals(open.safeParse({ any: 1 }).data, { any: 1 });
});

Deno.test("resultValue() prefers structuredContent, joins text, describes the rest, throws on isError", () => {
  assertEquals(
    resultValue({
      content: [{ type: "text", text: "{}" }],
      structuredContent: { a: 1 },
    }),
    { a: 1 },
  );
  assertEquals(
    resultValue({
      content: [{ type: "text", text: "a" }, { type: "text", text: "b" }],
    }),
    "a\nb",
  );
  assertEquals(
    resultValue({
      content: [{
        type: "resource",
        resource: { uri: "file:///x", mimeType: "text/plain", text: "hi" },
      }],
    }),
    [{
      type: "resource",
      uri: "file:///x",
      mimeType: "text/plain",
      text: "hi",
    }],
  );
  assertThrows(
    () =>
      resultValue({ isError: true, content: [{ type: "text", text: "boom" }] }),
    McpToolError,
    "boom",
  );
});

function fakeServer(id: string, tools: number): CatalogServer {
  return {
    id,
    connection: { name: id } as McpConnection,
    tools: Array.from({ length: tools }, (_, i) => ({
      id: `tool_number_${i}`,
      info: { name: `tool-number-${i}`, inputSchema: { type: "object" } },
    })),
  };
}

Deno.test("promptSection() lists server and tool names, cut to its budget with a way to see the rest", () => {
  const section = promptSection(
    [fakeServer("a", 3), fakeServer("b", 100)],
    ['MCP server "c" did not start within 30 s'],
  );
  assertStringIncludes(
    section,
    "- a: tool_number_0, tool_number_1, tool_number_2\n",
  );
  assertStringIncludes(section, '(+75 more: mcp_help("b"))');
  assertStringIncludes(section, '- unavailable: MCP server "c" did not start');
  const many = promptSection(
    Array.from({ length: 40 }, (_, i) => fakeServer(`s${i}`, 30)),
    [],
    4000,
  );
  assert(many.length <= 4100, `${many.length}`);
  assertStringIncludes(many, "more servers: mcp_help() lists them");
});

Deno.test("toolHelp() gives the call as a TypeScript signature with one line per parameter", () => {
  const help = toolHelp("fs", "read_text_file", {
    name: "read_text_file",
    description: "Read a file.",
    inputSchema: SCHEMA as never,
    annotations: { readOnlyHint: true },
  });
  assertStringIncludes(
    help,
    '// MCP tool "read_text_file" of server "fs" (read-only)',
  );
  assertStringIncludes(
    help,
    "mcp.fs.read_text_file(args: {\n  path: string; // file\n",
  );
  assertStringIncludes(help, "}): string");
});

Deno.test("mcpLoosening() lists each server (its whole entry) and mcp_allow_read_only", () => {
  const items = mcpLoosening({
    mcpServers: { fs: { command: "mcp-fs", args: ["."] } },
    mcp_allow_read_only: true,
  });
  assertEquals(items.map((i) => i.text), [
    "start MCP server fs: mcp-fs .",
    "run MCP tools marked read-only without asking (mcp_allow_read_only)",
  ]);
  const changed = mcpLoosening({
    mcpServers: { fs: { command: "mcp-fs", args: ["/"] } },
  });
  assert(changed[0].id !== items[0].id, "a changed entry is a new item");
  assertEquals(questionLines(items), [
    "run MCP tools marked read-only without asking (mcp_allow_read_only)",
    "start MCP servers: fs (mcp-fs .)",
  ]);
});

Deno.test("mcpSettings() merges servers by name across files and checks the settings", () => {
  const settings = mcpSettings([
    { mcpServers: { a: { command: "1" }, b: { command: "2" } } },
    { mcpServers: { a: { command: "3" } }, mcp_startup_timeout: 5 },
  ]);
  assertEquals(settings.mcpServers, {
    a: { command: "3" },
    b: { command: "2" },
  });
  assertEquals(settings.mcpStartupTimeout, 5);
  assertThrows(
    () => mcpSettings([{ mcp_tool_timeout: "soon" }]),
    TypeError,
    "mcp_tool_timeout",
  );
});

Deno.test("matchesMcp() and Policy.decideMcp() follow rules, modes and the read-only setting", () => {
  assert(matchesMcp(parseRule("mcp(gh.*)"), "gh", "x"));
  assert(matchesMcp(parseRule("mcp"), "gh", "x"));
  assert(matchesMcp(parseRule("*"), "gh", "x"));
  assert(!matchesMcp(parseRule("run_bash(*)"), "gh", "x"));
  assert(!matchesMcp(parseRule("mcp(gh.x)"), "gh", "xy"));
  const policy = (mode: "ask" | "auto-edit" | "yolo", readOnly = false) =>
    new Policy({
      roots: ["/w"],
      home: "/h",
      protectedDirs: [],
      mode,
      allow: ["mcp(gh.list_*)"],
      deny: ["mcp(gh.delete_*)"],
      mcpAllowReadOnly: readOnly,
    });
  const call = (tool: string, readOnly = false) => ({
    server: "gh",
    tool,
    readOnly,
  });
  assertEquals(policy("yolo").decideMcp(call("delete_repo")).verdict, "deny");
  assertEquals(policy("ask").decideMcp(call("list_issues")).verdict, "allow");
  assertEquals(policy("auto-edit").decideMcp(call("create")).verdict, "ask");
  assertEquals(policy("yolo").decideMcp(call("create")).verdict, "allow");
  assertEquals(policy("ask").decideMcp(call("get", true)).verdict, "ask");
  assertEquals(
    policy("ask", true).decideMcp(call("get", true)).verdict,
    "allow",
  );
  const session = policy("ask");
  session.allowForSession({ mcp: "gh.create" });
  assertEquals(session.decideMcp(call("create")).verdict, "allow");
});

Deno.test("describeRequest() shows an MCP call's server, tool and arguments, inert", () => {
  const text = describeRequest({
    tool: "mcp",
    action: "call",
    subject: "github.create_issue",
    args: JSON.stringify({ title: "\x1b[2Jhi", body: "b" }, null, 2),
    reasons: ["MCP tools ask in ask mode"],
  }, createStyle(false));
  assertStringIncludes(text, "⏺ mcp wants to call:\n  │ github.create_issue\n");
  assertStringIncludes(text, '"title": "\\u001b[2Jhi"');
  assertStringIncludes(text, "(MCP tools ask in ask mode)");
  assert(!text.includes("\x1b"), "no raw escape reaches the terminal");
});
