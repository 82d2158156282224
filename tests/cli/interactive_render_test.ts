/**
 * What the session draws, on a real pty: markdown tables with aligned
 * columns, wrapping at 60 columns that never breaks a word, reads of one
 * cell grouped, a command's output live while it runs and then its head,
 * tail and failing lines.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { displayWidth } from "../../src/ui/width.ts";

const ENTER = "\r";

Deno.test("interactive table answers are laid out with aligned columns", async () => {
  await using dir = await tempDir();
  const table = [
    "| file | lines | status |",
    "|:--|--:|:-:|",
    "| src/main.ts | 120 | ok |",
    "| src/very/long/path/to/module.ts | 7 | failing |",
    "| 漢字.ts | 42 | ok |",
  ].join("\n");
  await using server = await startLmServer(routeByModel([
    cell(`SUBMIT(${JSON.stringify(`Here:\n\n${table}\n\nDone.`)})`),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    columns: 60,
  });
  await pty.waitFor("❯");
  await pty.send(`sizes?${ENTER}`);
  await pty.waitFor("Done.");
  const lines = pty.screen().lines;
  const top = lines.findIndex((l) => l.includes("┌"));
  const bottom = lines.findIndex((l) => l.includes("└"));
  const rows = lines.slice(top, bottom + 1);
  assertEquals(rows.length, 7);
  const columnsOf = (line: string) =>
    [...line].reduce<number[]>((at, ch, i) => {
      const col = displayWidth([...line].slice(0, i).join(""));
      return "│┼┬┴├┤┌┐└┘".includes(ch) ? [...at, col] : at;
    }, []).join(",");
  assertEquals(new Set(rows.map(columnsOf)).size, 1, rows.join("\n"));
  assert(rows.every((r) => displayWidth(r) <= 60), rows.join("\n"));
  assert(rows.some((r) => /│\s+120 │/.test(r)), "numbers align right");
  assert(rows.some((r) => /│ failing │/.test(r)), rows.join("\n"));
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive wrapping at 60 columns never breaks a word, in answers, reasoning and messages", async () => {
  await using dir = await tempDir();
  const prose =
    "Refactoring the configuration loader requires understanding precedence between environment variables, project configuration and user configuration files, which interact in surprising combinations.";
  await using server = await startLmServer(routeByModel([
    {
      text: `${prose}\n\n\`\`\`js\nSUBMIT(${JSON.stringify(prose)})\n\`\`\``,
    },
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    columns: 60,
  });
  await pty.waitFor("❯");
  await pty.send(`explain${ENTER}`);
  await pty.waitFor(/\d+ in · \d+ out/);
  await pty.send(
    `/frobnicate-with-a-very-long-command-name and some arguments here${ENTER}`,
  );
  await pty.waitFor("the list.");
  const words = new Set(prose.split(/\W+/).filter((w) => w.length > 3));
  for (const line of pty.screen().lines) {
    assert(displayWidth(line) <= 60, `wider than 60: ${line}`);
    const edges = line.trim().split(/\s+/);
    for (const edge of [edges[0], edges.at(-1)]) {
      const word = edge?.replace(/^\W+|\W+$/g, "") ?? "";
      if (word.length < 3 || words.has(word)) continue;
      assert(
        ![...words].some((w) => w !== word && w.includes(word)),
        `a broken word "${word}" in: ${line}`,
      );
    }
  }
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive groups a cell's reads, streams a command's output live, then shows head, tail and failing lines", async () => {
  await using dir = await tempDir({
    "a.ts": "a\n",
    "b.ts": "b\n",
    "c.ts": "c\n",
  });
  await using server = await startLmServer(routeByModel([
    cell("for (const f of ['a.ts', 'b.ts', 'c.ts']) read_file(f)"),
    cell(
      "print(run_bash('echo started; while [ ! -f go ]; do sleep 0.05; done; for i in $(seq 1 40); do echo step $i; done; echo \"src/x.ts:3: error: missing semicolon\"; for i in $(seq 41 80); do echo step $i; done; exit 2'))",
    ),
    cell("SUBMIT('checked')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" }),
  });
  await pty.waitFor("❯");
  await pty.send(`check${ENTER}`);
  // While the command waits for `go`, what it printed is on screen.
  await pty.waitForScreen((text) => text.includes("  │ started"), {
    what: "live command output",
  });
  await Deno.writeTextFile(`${dir.path}/go`, "");
  await pty.waitFor("checked");
  const text = pty.screen().lines.join("\n");
  assert(text.includes("⏺ Read 3 files\n  ⎿ a.ts, b.ts, c.ts"), text);
  assert(!text.includes("⏺ Read(a.ts)"), "the reads are one line");
  assert(text.includes("│ src/x.ts:3: error: missing semicolon"), text);
  assert(text.includes("│ [exit code 2]"), text);
  assert(/│ … \d+ lines …/.test(text), "the middle is left out");
  assert(text.includes("│ step 80"), "the tail is shown");
  assert(!text.includes("│ step 20\n"), "not every line");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
