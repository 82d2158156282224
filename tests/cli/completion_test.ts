import { assert, assertEquals } from "../helpers/assert.ts";
import { findCompletion } from "../../src/cli/completion.ts";
import {
  contextPercent,
  footerLine,
  statusLines,
} from "../../src/cli/status.ts";
import {
  findSlashCommand,
  SLASH_COMMANDS,
} from "../../src/cli/slash_registry.ts";
import { COMMAND_HELP } from "../../src/cli/commands.ts";
import { createStyle } from "../../src/ui/style.ts";
import { contextWindow } from "../../src/lm/context_window.ts";

const sources = {
  commands: () =>
    SLASH_COMMANDS.map((c) => ({ name: `/${c.name}`, help: c.help })),
  files: () => ["src/main.ts", "src/cli/main.ts", "README.md", "src/"],
};

Deno.test("findCompletion() offers slash commands at the start and files after @", () => {
  const slash = findCompletion("/co", 3, sources)!;
  assertEquals(slash.kind, "command");
  assertEquals(slash.items.map((i) => i.label), ["/compact"]);
  assertEquals(findCompletion("/compact now", 12, sources), null);
  const file = findCompletion("see @mai and", 8, sources)!;
  assertEquals([file.from, file.to], [4, 8]);
  assertEquals(file.items[0].insert, "@src/main.ts ");
  assertEquals(findCompletion("mail me@host", 12, sources), null);
  const listing = findCompletion("@x", 2, { ...sources, files: () => null })!;
  assertEquals(listing.items[0].label, "listing files…");
});

Deno.test("the slash registry is the one list: /help, aliases and completion come from it", () => {
  assertEquals(findSlashCommand("/q")?.name, "quit");
  assertEquals(findSlashCommand("exit")?.name, "quit");
  assertEquals(COMMAND_HELP.length, SLASH_COMMANDS.length);
  assert(COMMAND_HELP.some(([cmd]) => cmd === "/clear, /c"));
  for (const name of ["status", "compact", "init", "diff", "resume", "model"]) {
    assert(findSlashCommand(name), name);
  }
});

Deno.test("footerLine() and statusLines() show mode, model, sandbox, folder and context used", () => {
  const style = createStyle(false);
  const info = {
    model: "openrouter/openai/gpt-5.2-codex",
    mode: "plan" as const,
    cwd: "/home/me/app",
    home: "/home/me",
    contextTokens: 100_000,
    window: contextWindow("openrouter/openai/gpt-5.2-codex"),
  };
  assertEquals(contextPercent(info), 25);
  assertEquals(
    footerLine(info, style),
    "  ⏸ plan mode (read-only) (shift-tab) · openrouter/openai/gpt-5.2-codex · sandbox: none · ~/app · 25% context",
  );
  const lines = statusLines({ ...info, sandbox: "bwrap" }, style).join("\n");
  assert(lines.includes("25% used (100k of 400k tokens"), lines);
  assert(lines.includes("sandbox    bwrap"), lines);
});
