/**
 * A full-screen pager on the terminal's alternate screen, for what does not
 * fit in the scrollback view: a whole diff, a step's full code and output.
 * ↑/↓ or j/k scroll a line, PgUp/PgDn, space or b a page, g/G or Home/End
 * jump, q, Esc or Ctrl-O close. The session's live region is hidden while
 * it is open, and what was printed meanwhile appears when it closes.
 *
 * @module
 */

import { fitWidth, hardWrap } from "./fit.ts";
import type { Key } from "./keys.ts";
import type { ScreenUi } from "./screen_ui.ts";

/**
 * Shows `lines` (already sanitised and styled) until the user closes the
 * pager. Lines wider than the terminal are wrapped.
 *
 * @example
 * ```ts ignore
 * await openPager(ui, "Step 3 · code, output and diff", lines);
 * ```
 */
export function openPager(
  ui: ScreenUi,
  title: string,
  lines: string[],
  startAt = 0,
): Promise<void> {
  const { out, region, keys, style } = ui;
  const size = () => ({
    columns: Math.max(10, out.columns()),
    rows: Math.max(3, out.rows?.() ?? 24),
  });
  let wrapped: string[] = [];
  let wrappedAt = 0;
  let top = -1;
  const layout = () => {
    const { columns } = size();
    if (columns !== wrappedAt) {
      wrapped = [];
      lines.forEach((line, i) => {
        if (i === startAt && top < 0) top = wrapped.length;
        wrapped.push(...hardWrap(line, columns));
      });
      wrappedAt = columns;
    }
  };
  const page = () => size().rows - 1;
  const clamp = () => {
    top = Math.max(0, Math.min(top, wrapped.length - page()));
  };
  const draw = () => {
    layout();
    clamp();
    const { columns } = size();
    const shown = wrapped.slice(top, top + page());
    const last = Math.min(wrapped.length, top + page());
    const status = fitWidth(
      `${title} · ${
        wrapped.length ? top + 1 : 0
      }–${last} of ${wrapped.length}` +
        " · ↑↓ PgUp PgDn space · q to close",
      columns - 1,
    );
    let screen = "\x1b[H\x1b[2J";
    for (const line of shown) screen += `${line}\x1b[0m\r\n`;
    for (let i = shown.length; i < page(); i++) screen += "~\r\n";
    out.write(`${screen}${style.dim(status)}`);
  };
  return new Promise((resolve) => {
    region.hide();
    out.write("\x1b[?1049h");
    let pop = () => {};
    const close = () => {
      pop();
      out.write("\x1b[?1049l");
      region.show();
      resolve();
    };
    const scroll = (by: number) => {
      top += by;
      draw();
    };
    const onKey = (key: Key) => {
      if (key.kind === "key") {
        switch (key.name) {
          case "escape":
          case "ctrl-o":
          case "ctrl-c":
            return close();
          case "up":
          case "ctrl-p":
            return scroll(-1);
          case "down":
          case "ctrl-n":
          case "enter":
            return scroll(1);
          case "page-up":
            return scroll(-page());
          case "page-down":
            return scroll(page());
          case "home":
            return scroll(-Infinity);
          case "end":
            return scroll(Infinity);
        }
        return;
      }
      for (const char of key.text) {
        if (char === "q") return close();
        const moves: Record<string, number> = {
          j: 1,
          k: -1,
          " ": page(),
          f: page(),
          b: -page(),
          g: -Infinity,
          G: Infinity,
        };
        if (char in moves) top += moves[char];
      }
      draw();
    };
    pop = keys.push(onKey, { chars: true });
    draw();
  });
}
