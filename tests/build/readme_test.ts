/**
 * The README renders: every table row has as many cells as its header
 * (GitHub splits cells on every `|` not escaped as `\|`, also inside code
 * spans), and the library's table names every export of deno.json.
 */

import { assert, assertEquals } from "../helpers/assert.ts";

const README = await Deno.readTextFile(
  new URL("../../README.md", import.meta.url),
);
const CONFIG = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
);

/** The cells of a table row as GitHub splits them. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Tables outside code fences: [line number of the header, rows]. */
function tables(text: string): [number, string[]][] {
  const found: [number, string[]][] = [];
  let fenced = false;
  let current: [number, string[]] | null = null;
  text.split("\n").forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const row = !fenced && /^\s*\|/.test(line);
    if (row) {
      if (!current) found.push(current = [i + 1, []]);
      current[1].push(line);
    } else current = null;
  });
  return found;
}

Deno.test("every README table row has as many cells as its header", () => {
  const all = tables(README);
  assert(all.length > 10, `found ${all.length} tables`);
  for (const [line, rows] of all) {
    const width = cells(rows[0]).length;
    assert(/^[\s|:-]+$/.test(rows[1]), `line ${line + 1}: no delimiter row`);
    rows.forEach((row, i) =>
      assertEquals(
        cells(row).length,
        width,
        `README.md:${line + i}: ${row.slice(0, 80)}`,
      )
    );
  }
});

Deno.test("the README's library table names every export of deno.json", () => {
  const table = tables(README).find(([, rows]) =>
    rows[0].includes("import") && rows.some((r) => r.includes("/sandbox`"))
  );
  assert(table, "no table of imports");
  const listed = table[1].slice(2).map((row) => cells(row)[0]);
  for (const path of Object.keys(CONFIG.exports)) {
    const name = `\`${CONFIG.name}${path === "." ? "" : path.slice(1)}\``;
    assert(listed.includes(name), `${name} is not in the README's table`);
  }
});
