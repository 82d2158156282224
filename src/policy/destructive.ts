/**
 * Commands that destroy work when they run: recursive or forced deletes,
 * `git clean`, `git reset --hard`, forced pushes, raw disk writes. The
 * approval prompt tags them in red so they are not waved through.
 *
 * @module
 */

import { splitCommand } from "./shell.ts";

/** Words that only wrap the real command. */
const WRAPPERS = new Set([
  "sudo",
  "doas",
  "env",
  "nohup",
  "time",
  "command",
  "exec",
  "xargs",
]);

/** Short and long flags of one command's words. */
function flags(words: string[]): { short: Set<string>; long: Set<string> } {
  const short = new Set<string>();
  const long = new Set<string>();
  for (const word of words) {
    if (word.startsWith("--")) long.add(word.split("=")[0]);
    else if (/^-[A-Za-z]+$/.test(word)) {
      for (const ch of word.slice(1)) short.add(ch);
    }
  }
  return { short, long };
}

/** Why one simple command is destructive, or `null`. */
function segmentReason(segment: string): string | null {
  let words = segment.split(" ").filter(Boolean);
  while (words.length && (WRAPPERS.has(words[0]) || /^\w+=/.test(words[0]))) {
    words = words.slice(1);
  }
  const [name, sub] = [words[0]?.replace(/^.*\//, ""), words[1]];
  const { short, long } = flags(words.slice(1));
  if (name === "rm" || name === "rmdir") {
    const recursive = short.has("r") || short.has("R") ||
      long.has("--recursive");
    const force = short.has("f") || long.has("--force");
    if (recursive && force) return "rm -rf: deletes a tree without asking";
    if (recursive) return "rm -r: deletes a tree";
    if (force) return "rm -f: deletes without asking";
    return null;
  }
  if (name === "git") {
    const rest = flags(words.slice(2));
    if (sub === "clean" && (rest.short.has("f") || rest.long.has("--force"))) {
      return "git clean: deletes untracked files";
    }
    if (sub === "reset" && rest.long.has("--hard")) {
      return "git reset --hard: discards uncommitted changes";
    }
    if (
      sub === "push" &&
      (rest.short.has("f") || rest.long.has("--force") ||
        rest.long.has("--force-with-lease") || rest.long.has("--mirror") ||
        words.slice(2).some((w) => /^\+\S/.test(w)) ||
        rest.long.has("--delete") || rest.short.has("d"))
    ) {
      return "git push --force: rewrites or deletes remote history";
    }
    if (
      (sub === "checkout" || sub === "restore") &&
      words.slice(2).some((w) => w === "." || w === "--")
    ) {
      return `git ${sub}: discards changes to files`;
    }
    if (sub === "branch" && rest.short.has("D")) {
      return "git branch -D: deletes an unmerged branch";
    }
    if (sub === "stash" && (words[2] === "drop" || words[2] === "clear")) {
      return "git stash drop: deletes stashed changes";
    }
    return null;
  }
  if (name === "find" && words.includes("-delete")) {
    return "find -delete: deletes what it finds";
  }
  if (name === "dd" && words.some((w) => w.startsWith("of="))) {
    return "dd: overwrites a file or disk";
  }
  if (name && /^(mkfs(\..*)?|shred|wipefs)$/.test(name)) {
    return `${name}: destroys data`;
  }
  return null;
}

/**
 * Why a command line is destructive, or `null`: the first destructive
 * simple command in it (`cd x && rm -rf build` counts).
 *
 * @example
 * ```ts
 * import { destructiveReason } from "./destructive.ts";
 * console.log(destructiveReason("git push --force origin main")); // "git push --force: rewrites or deletes remote history"
 * console.log(destructiveReason("npm test")); // null
 * ```
 */
export function destructiveReason(command: string): string | null {
  for (const segment of splitCommand(command).segments) {
    const reason = segmentReason(segment);
    if (reason) return reason;
  }
  return null;
}
