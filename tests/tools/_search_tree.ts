/**
 * The tree both search back ends are compared on: ignore files at several
 * levels, hidden entries, binary files, encodings, long lines, symlinks and
 * several mtimes.
 *
 * @module
 */

import { join } from "node:path";
import { setMtime, writeTree } from "./_helpers.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Base modification time (seconds) of every file in the tree. */
export const BASE_MTIME = 1_600_000_000;

/**
 * Writes the comparison tree into `ws`.
 *
 * @example
 * ```ts
 * await writeSearchTree(ws);
 * ```
 */
export async function writeSearchTree(ws: string): Promise<void> {
  const lateBinary = new Uint8Array(200_010);
  lateBinary.set(enc("TODO before the NUL\n"));
  lateBinary.fill(0x61, 20, 200_000);
  lateBinary[200_000] = 0x0a;
  lateBinary[200_001] = 0;
  await writeTree(ws, {
    ".gitignore": "node_modules/\n*.log\nbuild\n!keep.log\n/rootonly.txt\n",
    ".ignore": "docs/private/\n",
    ".git/info/exclude": "secret.txt\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    "secret.txt": "TODO secret\n",
    "rootonly.txt": "TODO root only\n",
    "README.md": "# Title\nTODO: write the readme\n",
    "src/a.ts": "export const a = 1; // TODO a\nconst todo = 'lower';\n",
    "src/b.ts":
      "import { a } from './a.ts';\nfunction b() {\n  return a; // TODO(b)\n}\n",
    "src/rootonly.txt": "TODO not ignored here\n",
    "src/x.log": "TODO ignored log\n",
    "src/keep.log": "TODO kept log\n",
    "src/sub/.gitignore": "generated.ts\n!important.log\n",
    "src/sub/c.ts": "// TODO c1\n// nothing\n// TODO c2\n",
    "src/sub/generated.ts": "// TODO generated\n",
    "src/sub/important.log": "TODO important\n",
    "src/sub/deeper/d.ts": "TODO deep\n",
    "node_modules/pkg/index.js": "// TODO dependency\n",
    "build/out.js": "// TODO built\n",
    "docs/guide.md": "Guide\nTODO: héllo wörld\n",
    "docs/private/p.md": "TODO private\n",
    ".hidden.ts": "TODO hidden\n",
    ".config/settings.json": '{"TODO": true}\n',
    "img.png": new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0,
      0,
      0x54,
      0x4f,
      0x44,
      0x4f,
      0x0a,
    ]),
    "late.bin": lateBinary,
    "crlf.txt": "TODO crlf one\r\nplain\r\nTODO crlf two\r\n",
    "utf16.txt": new Uint8Array([
      0xff,
      0xfe,
      ...[..."TODO wide\n"].flatMap((c) => [c.charCodeAt(0), 0]),
    ]),
    "bom.txt": new Uint8Array([0xef, 0xbb, 0xbf, ...enc("TODO bom\n")]),
    "min.js": "x".repeat(5000) + "TODO far" + "y".repeat(15000) +
      "\nvar TODO_short = 1;\n",
    "huge.js": "z".repeat(40000) + "TODO beyond" + "\n",
    "weird name [1].ts": "TODO weird\n",
  });
  await Deno.symlink(join(ws, "src/a.ts"), join(ws, "link.ts"));
  await Deno.symlink(join(ws, "src"), join(ws, "srclink"));
  for await (const path of allFiles(ws)) await setMtime(path, BASE_MTIME);
  await setMtime(join(ws, "src/b.ts"), BASE_MTIME + 300);
  await setMtime(join(ws, "src/sub/c.ts"), BASE_MTIME + 200);
  await setMtime(join(ws, "README.md"), BASE_MTIME + 200);
  await setMtime(join(ws, "docs/guide.md"), BASE_MTIME + 100);
}

async function* allFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* allFiles(path);
    else if (entry.isFile) yield path;
  }
}
