import { assert, assertEquals } from "../helpers/assert.ts";
import { type DiffLine, renderDiff, unifiedDiff } from "../../src/ui/diff.ts";
import { createStyle } from "../../src/ui/style.ts";

const plain = createStyle(false);
const show = (before: string, after: string, context?: number) =>
  renderDiff(unifiedDiff(before, after, { context }), plain);
const lines = (n: number, f = (i: number) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join("\n") + "\n";

/** Applies a diff's hunks to `before` (a check that the diff is right). */
function apply(before: string, diff: DiffLine[]): string {
  const old = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let at = 0;
  for (const line of diff) {
    if (line.kind === "hunk") {
      const match = /^@@ -(\d+)(?:,(\d+))? /.exec(line.text)!;
      const count = match[2] === undefined ? 1 : Number(match[2]);
      const start = count === 0 ? Number(match[1]) : Number(match[1]) - 1;
      while (at < start) out.push(old[at++]);
    } else if (line.kind === "ctx") {
      assertEquals(old[at], line.text);
      out.push(old[at++]);
    } else if (line.kind === "del") {
      assertEquals(old[at], line.text);
      at++;
    } else if (line.kind === "add") {
      out.push(line.text);
    }
  }
  while (at < old.length) out.push(old[at++]);
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

function lcsLength(a: string[], b: string[]): number {
  let row = new Array(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++) {
      next.push(x === b[j] ? row[j] + 1 : Math.max(row[j + 1], next[j]));
    }
    row = next;
  }
  return row[b.length];
}

Deno.test("unifiedDiff() returns no lines when the texts are equal", () => {
  assertEquals(unifiedDiff("a\nb\n", "a\nb\n"), []);
  assertEquals(unifiedDiff("", ""), []);
});

Deno.test("unifiedDiff() shows a changed line with three lines of context by default", () => {
  const before = lines(10);
  const after = before.replace("line 5\n", "LINE FIVE\n");
  assertEquals(
    show(before, after),
    [
      "@@ -2,7 +2,7 @@",
      " line 2",
      " line 3",
      " line 4",
      "-line 5",
      "+LINE FIVE",
      " line 6",
      " line 7",
      " line 8",
    ].join("\n"),
  );
});

Deno.test("unifiedDiff() splits far-apart changes into hunks and merges close ones", () => {
  const before = lines(40);
  const after = before.replace("line 3\n", "three\n").replace(
    "line 8\n",
    "eight\n",
  ).replace("line 30\n", "");
  const diff = unifiedDiff(before, after);
  assertEquals(
    diff.filter((l) => l.kind === "hunk").map((l) => l.text),
    ["@@ -1,11 +1,11 @@", "@@ -27,7 +27,6 @@"],
  );
  assertEquals(apply(before, diff), after);
});

Deno.test("unifiedDiff() honours the context option", () => {
  assertEquals(
    show("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n", 0),
    "@@ -3 +3 @@\n-c\n+X",
  );
  assertEquals(
    show("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n", 1),
    "@@ -2,3 +2,3 @@\n b\n-c\n+X\n d",
  );
});

Deno.test("unifiedDiff() shows whole additions and deletions when one side is empty", () => {
  assertEquals(show("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y");
  assertEquals(show("x\ny\n", ""), "@@ -1,2 +0,0 @@\n-x\n-y");
});

Deno.test("unifiedDiff() marks a last line without a newline", () => {
  assertEquals(
    show("a\nb", "a\nb\n"),
    "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b",
  );
  assertEquals(
    show("a\nb", "A\nb"),
    "@@ -1,2 +1,2 @@\n-a\n+A\n b\n\\ No newline at end of file",
  );
});

Deno.test("unifiedDiff() produces a minimal diff that applies back to the new text", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 30; round++) {
    const base = Array.from(
      { length: 60 },
      () => `w${Math.floor(random() * 8)}`,
    );
    const changed = base.filter(() => random() > 0.2).map((w) =>
      random() > 0.85 ? `${w}!` : w
    );
    const before = base.join("\n") + "\n";
    const after = changed.join("\n") + "\n";
    const diff = unifiedDiff(before, after);
    assertEquals(apply(before, diff), after);
    const edits = diff.filter((l) => l.kind === "add" || l.kind === "del");
    assertEquals(
      edits.length,
      base.length + changed.length - 2 * lcsLength(base, changed),
    );
  }
});

Deno.test("unifiedDiff() falls back to a whole replacement when the changed middle is huge", () => {
  const before = lines(50_000, (i) => `old ${i}`);
  const after = lines(50_000, (i) => `new ${i}`);
  const diff = unifiedDiff(before, after);
  assertEquals(diff[0], { kind: "hunk", text: "@@ -1,50000 +1,50000 @@" });
  assertEquals(diff.filter((l) => l.kind === "del").length, 50_000);
  assertEquals(diff.filter((l) => l.kind === "add").length, 50_000);
  assertEquals(apply(before, diff), after);
});

Deno.test("unifiedDiff() keeps a small change small in a large file", () => {
  const before = lines(200_000);
  const after = before.replace("line 100000\n", "changed\n");
  const diff = unifiedDiff(before, after);
  assertEquals(diff.length, 9);
  assertEquals(diff[0].text, "@@ -99997,7 +99997,7 @@");
});

Deno.test("unifiedDiff() ends with a note when maxLines cuts the diff", () => {
  const diff = unifiedDiff("", lines(100), { maxLines: 10 });
  assertEquals(diff.length, 10);
  assertEquals(diff[9], {
    kind: "more",
    text: "... 92 more diff lines not shown",
  });
});

Deno.test("renderDiff() colours deletions red, additions green and context dim", () => {
  const style = createStyle(true);
  const out = renderDiff(unifiedDiff("a\nb\nc\n", "a\nB\nc\n"), style);
  assertEquals(
    out.split("\n"),
    [
      style.cyan("@@ -1,3 +1,3 @@"),
      style.dim(" a"),
      style.red("-b"),
      style.green("+B"),
      style.dim(" c"),
    ],
  );
});

Deno.test("renderDiff() sanitizes escape sequences and drops a trailing carriage return", () => {
  const out = renderDiff(
    unifiedDiff("ok\r\n", "\x1b]52;c;aGk=\x07evil\u202e\r\n"),
    plain,
  );
  assertEquals(out, "@@ -1 +1 @@\n-ok\n+\u241b]52;c;aGk=\u2407evil<U+202E>");
  assert(!out.includes("\x1b"));
});
