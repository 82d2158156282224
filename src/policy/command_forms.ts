/**
 * The other spellings of a simple command that run the same program:
 * `/bin/rm x`, `\rm x`, `command rm x`, `env A=1 rm x`, `sudo rm x`,
 * `xargs rm`, `find . -exec rm {} ;`, `sh -c 'rm x'`, `eval rm x` all run
 * `rm`. Deny rules are matched against these forms too, and the sandbox
 * planner reads the program from them. Text cannot be complete (a program
 * name built at run time, such as `$f`, is not known before it runs).
 *
 * @module
 */

import { shellWords, splitCommand } from "./shell.ts";

/** Commands that run the command after them, and their options that take a value. */
const WRAPPERS: Record<string, { values?: string[]; positional?: number }> = {
  command: {},
  builtin: {},
  exec: { values: ["-a"] },
  nohup: {},
  time: {},
  setsid: {},
  unbuffer: {},
  env: { values: ["-u", "-C", "-S", "--unset", "--chdir"] },
  nice: { values: ["-n", "--adjustment"] },
  ionice: { values: ["-c", "-n", "-p"] },
  sudo: { values: ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"] },
  doas: { values: ["-u", "-C"] },
  timeout: { values: ["-s", "-k", "--signal", "--kill-after"], positional: 1 },
  stdbuf: { values: ["-i", "-o", "-e"] },
  xargs: { values: ["-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a"] },
  chrt: { positional: 1 },
  taskset: { positional: 1 },
  flock: { positional: 1 },
  watch: { values: ["-n", "-d"] },
};

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash"]);
const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
const MAX_DEPTH = 4;

/**
 * The program and arguments a simple command runs: leading `NAME=value`
 * words and wrappers (`command`, `env`, `sudo`, `xargs`, ...) dropped, the
 * program's folder dropped, quotes and backslashes removed.
 *
 * @example
 * ```ts
 * import { programWords } from "./command_forms.ts";
 * console.log(programWords("LC_ALL=C command /bin/rm -rf x")); // ["rm", "-rf", "x"]
 * ```
 */
export function programWords(segment: string): string[] {
  const words = shellWords(segment);
  let i = 0;
  for (;;) {
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
    const wrapper = WRAPPERS[baseName(words[i] ?? "")];
    if (!wrapper) break;
    i++;
    while (i < words.length && words[i].startsWith("-") && words[i] !== "-") {
      const option = words[i++];
      if (wrapper.values?.includes(option)) i++;
      if (option === "--") break;
    }
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
    i += wrapper.positional ?? 0;
  }
  if (i >= words.length) return [];
  return [baseName(words[i]), ...words.slice(i + 1)];
}

/**
 * Every form of a simple command worth matching a rule against: the
 * program form ({@linkcode programWords}) and the commands it runs in turn
 * (`sh -c`, `bash -c`, `eval`, `find -exec`), each split into simple
 * commands.
 *
 * @example
 * ```ts
 * import { commandForms } from "./command_forms.ts";
 * console.log(commandForms("find . -exec /bin/rm {} \\;")); // ["find . -exec rm {} ;", "rm {}"]
 * ```
 */
export function commandForms(segment: string, depth = 0): string[] {
  const words = programWords(segment);
  if (words.length === 0) return [];
  const forms = [words.join(" ")];
  if (depth >= MAX_DEPTH) return forms;
  const nested: string[] = [];
  const [program, ...rest] = words;
  if (SHELLS.has(program)) {
    const at = rest.findIndex((word) => /^-[a-z]*c[a-z]*$/.test(word));
    if (at !== -1 && rest[at + 1] !== undefined) nested.push(rest[at + 1]);
  } else if (program === "eval") {
    nested.push(rest.join(" "));
  } else if (program === "find") {
    // As find reads them: each -exec's command runs to the next ";" or
    // "+" (an -exec inside it is one of its words). One pass: looking
    // for the end from every -exec made `find -exec -exec ...` quadratic.
    for (let i = 0; i < rest.length; i++) {
      if (!FIND_EXEC.has(rest[i])) continue;
      let end = i + 1;
      while (end < rest.length && rest[end] !== ";" && rest[end] !== "+") end++;
      nested.push(rest.slice(i + 1, end).join(" "));
      i = end;
    }
  }
  for (const line of nested) {
    for (const inner of splitCommand(line).segments) {
      forms.push(...commandForms(inner, depth + 1));
    }
  }
  return [...new Set(forms)];
}

function baseName(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash === -1 || slash === word.length - 1
    ? word
    : word.slice(slash + 1);
}
