/**
 * `grep_files(pattern, path?, glob?, max_results?)`: regex search.
 *
 * @module
 */

import { z } from "zod";
import { defineTool } from "./define.ts";
import { DEFAULT_MAX_RESULTS, TOOL_SPECS } from "./specs.ts";
export { DEFAULT_MAX_RESULTS };
import { displayPath } from "./display_path.ts";
import { type FileHits, formatHitText } from "./search/backend.ts";
import { chooseSearchBackend } from "./search/choose_backend.ts";
import { globInclude, resolveSearchRoot } from "./search/search_root.ts";
import { nameGlobOf } from "./search/name_glob.ts";
import type { Tool } from "./types.ts";

/**
 * The `grep_files` tool. Searches files under `path` (default: the
 * workspace; `.gitignore`'d, hidden and binary files skipped), optionally
 * only those matching `glob`, for the regular expression `pattern`, and
 * prints matching lines as `file:line:text` ordered by path then line.
 * At most `max_results` lines in total (default 50), then
 * `... (N more matches not shown, T in all; narrow the search with a more
 * specific pattern, path or glob, or raise max_results)`. Long lines are
 * cut around the match. Gives `no matches found` when nothing matches;
 * an invalid regex throws. Files for which `context.excluded` is true are
 * left out (neither their names nor their lines are shown).
 *
 * @example
 * ```ts
 * await grepFilesTool.run(["TODO", "src", "*.ts"], context);
 * // "src/a.ts:3:// TODO: tests"
 * ```
 */
export const grepFilesTool: Tool = defineTool({
  ...TOOL_SPECS.grep_files,
  schema: z.object({
    pattern: z.string(),
    path: z.string().optional(),
    glob: z.string().optional(),
    max_results: z.number().int("must be a whole number").min(
      1,
      "must be 1 or more",
    ).optional(),
  }),
  async run({ pattern, path, glob, max_results }, context) {
    const max = max_results ?? DEFAULT_MAX_RESULTS;
    const root = await resolveSearchRoot(path, context);
    const backend = chooseSearchBackend(context);
    const collector = new TopHits(max, context.workspace);
    const matchesGlob = glob === undefined
      ? undefined
      : globInclude(glob, root, context.workspace);
    const excluded = context.excluded?.bind(context);
    const include = excluded
      ? (file: string) => !excluded(file) && (!matchesGlob || matchesGlob(file))
      : matchesGlob;
    for await (
      const file of backend.grep({
        root: root.path,
        pattern,
        include,
        nameGlob: glob === undefined ? null : nameGlobOf(glob),
        maxHitsPerFile: max,
        signal: context.signal,
      })
    ) {
      collector.add(file);
    }
    if (collector.total === 0) return "no matches found";
    const lines = collector.lines();
    const more = collector.total - lines.length;
    if (more > 0) {
      lines.push(
        `... (${more} more matches not shown, ${collector.total} in all; narrow the search with a more specific pattern, path or glob, or raise max_results)`,
      );
    }
    return lines.join("\n");
  },
});

/** Keeps the first `max` hits in path order while counting all of them. */
class TopHits {
  total = 0;
  #files: { name: string; hits: FileHits["hits"] }[] = [];
  #kept = 0;
  #max: number;
  #workspace: string;

  constructor(max: number, workspace: string) {
    this.#max = max;
    this.#workspace = workspace;
  }

  add(file: FileHits): void {
    this.total += file.total;
    const name = displayPath(file.path, this.#workspace);
    this.#files.push({ name, hits: file.hits });
    this.#kept += file.hits.length;
    if (this.#kept > 2 * this.#max) this.#prune();
  }

  lines(): string[] {
    this.#prune();
    const out: string[] = [];
    for (const file of this.#files) {
      for (const hit of file.hits) {
        if (out.length >= this.#max) return out;
        out.push(
          `${file.name}:${hit.line}:${formatHitText(hit.text, hit.matchStart)}`,
        );
      }
    }
    return out;
  }

  #prune(): void {
    this.#files.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    let kept = 0;
    let keep = 0;
    while (keep < this.#files.length && kept < this.#max) {
      kept += this.#files[keep].hits.length;
      keep++;
    }
    this.#files.length = keep;
    this.#kept = kept;
  }
}
