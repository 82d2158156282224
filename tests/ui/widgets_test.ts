import { assert, assertEquals } from "../helpers/assert.ts";
import { activityText, shortCount } from "../../src/ui/activity.ts";
import { fitWidth, hardWrap } from "../../src/ui/fit.ts";
import { fuzzyFilter, fuzzyScore } from "../../src/ui/fuzzy.ts";
import { HistorySearch } from "../../src/ui/history_search.ts";
import { KeyRouter } from "../../src/ui/key_router.ts";
import type { KeyInput } from "../../src/ui/input.ts";
import type { Key } from "../../src/ui/keys.ts";
import { Menu } from "../../src/ui/menu.ts";
import { plural } from "../../src/ui/plural.ts";
import { createStyle } from "../../src/ui/style.ts";
import { displayWidth } from "../../src/ui/width.ts";
import { wrapLine } from "../../src/ui/wrap.ts";

const plain = createStyle(false);
const key = (name: string): Key => ({ kind: "key", name } as Key);
const text = (t: string): Key => ({ kind: "text", text: t });

/** A key input fed by the test. */
function feed(): KeyInput & { type(key: Key): void; end(): void } {
  const waiting: ((key: Key | null) => void)[] = [];
  const queue: (Key | null)[] = [];
  return {
    next: () =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : new Promise((r) => waiting.push(r)),
    discard: () => {},
    close: () => {},
    type(k) {
      const w = waiting.shift();
      if (w) w(k);
      else queue.push(k);
    },
    end() {
      const w = waiting.shift();
      if (w) w(null);
      else queue.push(null);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const label = (k: Key) => k.kind === "key" ? k.name : k.text;

Deno.test("KeyRouter sends keys to the top handler, keeps keys typed while none listens, and leaves no reader behind", async () => {
  const input = feed();
  const router = new KeyRouter(input);
  const got: string[] = [];
  input.type(text("early"));
  await tick();
  const popBase = router.push((k) => got.push(`base:${label(k)}`));
  await tick();
  const popTop = router.push((k) => got.push(`top:${label(k)}`));
  input.type(key("enter"));
  await tick();
  popTop();
  input.type(text("after"));
  await tick();
  assertEquals(got, ["base:early", "top:enter", "base:after"]);
  popBase();
  let ended = false;
  router.onEnd(() => ended = true);
  input.end();
  await tick();
  assert(ended && router.ended);
});

Deno.test("KeyRouter splits typed text into single characters for a handler that asks for them", async () => {
  const input = feed();
  const router = new KeyRouter(input);
  const base: string[] = [];
  const chars: string[] = [];
  router.push((k) => base.push(label(k)));
  const pop = router.push((k) => {
    chars.push(label(k));
    if (label(k) === "q") pop();
  }, { chars: true });
  await tick();
  input.type(text("dGqrest"));
  await tick();
  assertEquals(chars, ["d", "G", "q"]);
  assertEquals(base, ["rest"]);
});

Deno.test("Menu picks with Enter, digits and letters, moves with arrows, cancels with Esc, and ignores a burst of text", () => {
  const menu = new Menu([
    { label: "Yes", letter: "y" },
    { label: "Always" },
    { label: "No", letter: "n" },
  ]);
  assertEquals(menu.lines(plain), ["❯ 1. Yes", "  2. Always", "  3. No"]);
  assertEquals(menu.handle(key("down")), null);
  assertEquals(menu.handle(key("enter")), { pick: 1 });
  assertEquals(menu.handle(text("3")), { pick: 2 });
  assertEquals(menu.handle(text("N")), { pick: 2 });
  assertEquals(menu.handle(text("4")), null);
  assertEquals(menu.handle(text("yes")), null);
  assertEquals(menu.handle(key("escape")), { cancel: true });
  menu.handle(key("up"));
  menu.handle(key("up"));
  assertEquals(menu.selected, 2);
});

Deno.test("fuzzyScore() matches in order, prefers the file name and segment starts", () => {
  assertEquals(fuzzyScore("zz", "src/main.ts"), null);
  assert(
    fuzzyScore("main", "src/main.ts")! > fuzzyScore("main", "src/domain/x.ts")!,
  );
  assertEquals(
    fuzzyFilter("button", [
      "a/b/u/t/t/o/n.txt",
      "src/components/button.tsx",
      "x.ts",
    ], 5),
    ["src/components/button.tsx", "a/b/u/t/t/o/n.txt"],
  );
  assertEquals(fuzzyFilter("", ["b", "a"], 1), ["a"]);
});

Deno.test("HistorySearch finds the newest match, then older ones, and narrows as the query grows", () => {
  const search = new HistorySearch([
    "npm test",
    "git status",
    "npm run lint",
    "npm test",
  ]);
  search.type("npm");
  assertEquals(search.match, "npm test");
  search.older();
  assertEquals(search.match, "npm run lint");
  search.older();
  assertEquals(search.match, "npm test");
  search.older();
  assertEquals(search.match, "npm test");
  search.type(" ru");
  assertEquals(search.match, "npm run lint");
  search.type("x");
  assertEquals(search.match, null);
  search.backspace();
  assertEquals(search.match, "npm run lint");
});

Deno.test("fitWidth() and hardWrap() count display columns and keep styles closed", () => {
  const red = "\x1b[31mabcdefghij\x1b[39m";
  const cut = fitWidth(red, 5);
  assertEquals(displayWidth(cut), 5);
  assert(cut.endsWith("…\x1b[0m"));
  assertEquals(fitWidth("漢字漢字", 5), "漢字…");
  assertEquals(hardWrap("abcdefg", 3), ["abc", "def", "g"]);
  const rows = hardWrap(red, 4);
  assertEquals(rows.length, 3);
  assert(rows[1].startsWith("\x1b[31m"), "a wrapped row keeps its colour");
});

Deno.test("wrapLine() breaks at spaces, keeps indentation and breaks only words longer than a line", () => {
  assertEquals(wrapLine("one two three four", 9), ["one two", "three", "four"]);
  assertEquals(wrapLine("  indented text here", 12, "", "  "), [
    "  indented",
    "  text here",
  ]);
  assertEquals(wrapLine("a-very-long-word", 6), ["a-very", "-long-", "word"]);
  for (const row of wrapLine("漢字 の 文 字 列 を 折り返す", 7)) {
    assert(displayWidth(row) <= 7, row);
  }
});

Deno.test("activityText() shows the label, elapsed time, tokens and the interrupt key; plural() counts words", () => {
  assertEquals(
    activityText("Running", 65_000, 1, 1, "esc to interrupt"),
    "⠙ Running… (1m 5s · ↓ 1 token · esc to interrupt)",
  );
  assertEquals(activityText("Thinking", 0, 0, 0, ""), "⠋ Thinking… (0.0s)");
  assertEquals(shortCount(999), "999");
  assertEquals(shortCount(12_345), "12k");
  assertEquals(plural(1, "line"), "1 line");
  assertEquals(plural(0, "line"), "0 lines");
  assertEquals(plural(2, "match", "matches"), "2 matches");
});
