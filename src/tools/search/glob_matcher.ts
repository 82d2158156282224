/**
 * Non-backtracking glob matching: the glob becomes a Thompson automaton,
 * simulated a set of states at a time, with the sets it meets cached as the
 * states of a deterministic automaton built as it goes. Time is linear in
 * the path's length for a given glob, whatever the glob (`*a*a*a*a*b`,
 * `{a,a}{a,a}...` and `**\/**\/**` included).
 *
 * @module
 */

import { type GlobToken, globTokens } from "./glob_tokens.ts";

/**
 * A compiled glob.
 *
 * @example
 * ```ts
 * const matcher: GlobMatcher = compileGlob("*.ts");
 * matcher.test("a.ts"); // true
 * ```
 */
export interface GlobMatcher {
  /** Whether the whole of `path` matches. */
  test(path: string): boolean;
}

/** Deepest nesting of `{...}` groups compiled (each level is a call). */
const MAX_NESTING = 64;

/** Cached sets of states (deterministic states) kept per glob. */
const MAX_CACHED_STATES = 4096;

/** What a state of the automaton does. */
const Op = {
  /** Consumes one given code unit. */
  Char: 0,
  /** Consumes any code unit but `/`. */
  NotSlash: 1,
  /** Consumes any code unit but a line terminator (as `.` does). */
  NotNewline: 2,
  /** Consumes a code unit of a class. */
  Class: 3,
  /** Goes on to two states at once. */
  Split: 4,
  /** The whole path matched. */
  Match: 5,
} as const;
type Op = typeof Op[keyof typeof Op];

interface Automaton {
  op: Op[];
  arg: number[];
  out: number[];
  alt: number[];
  classes: RegExp[];
}

interface DetState {
  /** Consuming states of the set, sorted. */
  states: number[];
  accept: boolean;
  /** Transitions by ASCII code, filled as they are met (made on first use). */
  ascii: (DetState | undefined)[] | undefined;
  /** Transitions by other UTF-16 code units (made on first use). */
  other: Map<number, DetState> | undefined;
}

/**
 * Compiles a glob (see `globTokens` for the dialect) into a matcher of
 * whole `/`-separated paths. Throws a `SyntaxError` when a class is
 * invalid (such as `[z-a]`) or `{...}` groups nest more than 64 deep.
 *
 * @example
 * ```ts
 * compileGlob("src/**\/*.{ts,tsx}").test("src/a/b.tsx"); // true
 * compileGlob("*a*a*a*a*a*a*a*a*a*a*b").test("a".repeat(100)); // false, at once
 * ```
 */
export function compileGlob(glob: string): GlobMatcher {
  const nfa: Automaton = { op: [], arg: [], out: [], alt: [], classes: [] };
  const add = (op: Op, arg = 0, out = -1, alt = -1) => {
    nfa.op.push(op);
    nfa.arg.push(arg);
    nfa.out.push(out);
    nfa.alt.push(alt);
    return nfa.op.length - 1;
  };
  const match = add(Op.Match);
  const tokens = globTokens(glob);
  let depth = 0;
  for (const token of tokens) {
    depth += token.kind === "open" ? 1 : token.kind === "close" ? -1 : 0;
    if (depth > MAX_NESTING) {
      throw new SyntaxError(
        `Invalid glob ${
          glob.length > 40
            ? `${JSON.stringify(glob.slice(0, 40))}...`
            : JSON.stringify(glob)
        }: its {...} groups nest more than ${MAX_NESTING} deep`,
      );
    }
  }
  let pos = 0;

  /** A loop over `op` that may also go on to `next`. */
  const loop = (op: Op, next: number) => {
    const split = add(Op.Split, 0, -1, next);
    nfa.out[split] = add(op, 0, split);
    return split;
  };

  /** Compiles tokens up to a `close`/`or` (or the end), ending at `next`. */
  function sequence(next: number): number {
    const items: (GlobToken | number[])[] = [];
    while (pos < tokens.length) {
      const token = tokens[pos];
      if (token.kind === "close" || token.kind === "or") break;
      pos++;
      items.push(token.kind === "open" ? group() : token);
    }
    let state = next;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (Array.isArray(item)) {
        state = alternatives(item, state);
      } else {
        state = single(item, state);
      }
    }
    return state;
  }

  /** Reads a `{...}` group; returns the token positions of its branches. */
  function group(): number[] {
    const starts = [pos];
    let depth = 0;
    for (; pos < tokens.length; pos++) {
      const kind = tokens[pos].kind;
      if (kind === "open") depth++;
      else if (kind === "or" && depth === 0) starts.push(pos + 1);
      else if (kind === "close" && depth-- === 0) break;
    }
    if (pos >= tokens.length) {
      throw new SyntaxError(
        `Invalid glob ${JSON.stringify(glob)}: a "{" is not closed`,
      );
    }
    pos++;
    return starts;
  }

  function alternatives(starts: number[], next: number): number {
    const resume = pos;
    const branches = starts.map((start) => {
      pos = start;
      return sequence(next);
    });
    pos = resume;
    let state = branches[branches.length - 1];
    for (let i = branches.length - 2; i >= 0; i--) {
      state = add(Op.Split, 0, branches[i], state);
    }
    return state;
  }

  function single(token: GlobToken, next: number): number {
    switch (token.kind) {
      case "char":
        return add(Op.Char, token.code, next);
      case "one":
        return add(Op.NotSlash, 0, next);
      case "class":
        nfa.classes.push(new RegExp(`^${token.source}$`));
        return add(Op.Class, nfa.classes.length - 1, next);
      case "star":
        return loop(Op.NotSlash, next);
      case "rest":
        return loop(Op.NotNewline, next);
      default: {
        // "folders": nothing, or any characters ending in "/".
        const slash = add(Op.Char, 47, next);
        const any = add(Op.Split, 0, -1, slash);
        nfa.out[any] = add(Op.NotNewline, 0, any);
        return add(Op.Split, 0, next, any);
      }
    }
  }

  const start = sequence(match);
  return new DeterministicMatcher(nfa, start, match);
}

class DeterministicMatcher implements GlobMatcher {
  #nfa: Automaton;
  #match: number;
  #start: DetState;
  #cache = new Map<string, DetState>();
  #seen: Uint32Array;
  #generation = 0;

  constructor(nfa: Automaton, start: number, match: number) {
    this.#nfa = nfa;
    this.#match = match;
    this.#seen = new Uint32Array(nfa.op.length);
    this.#start = this.#state([start]);
  }

  test(path: string): boolean {
    let state = this.#start;
    for (let i = 0; i < path.length; i++) {
      if (state.states.length === 0) return false;
      const code = path.charCodeAt(i);
      state = (code < 128 ? state.ascii?.[code] : state.other?.get(code)) ??
        this.#step(state, code);
    }
    return state.accept;
  }

  #step(from: DetState, code: number): DetState {
    const { op, arg, out, classes } = this.#nfa;
    const targets: number[] = [];
    for (const s of from.states) {
      let ok: boolean;
      switch (op[s]) {
        case Op.Char:
          ok = arg[s] === code;
          break;
        case Op.NotSlash:
          ok = code !== 47;
          break;
        case Op.NotNewline:
          ok = code !== 10 && code !== 13 && code !== 0x2028 &&
            code !== 0x2029;
          break;
        default:
          ok = classes[arg[s]].test(String.fromCharCode(code));
      }
      if (ok) targets.push(out[s]);
    }
    const next = this.#state(targets);
    if (this.#cache.size < MAX_CACHED_STATES) {
      if (code < 128) (from.ascii ??= new Array(128))[code] = next;
      else (from.other ??= new Map()).set(code, next);
    }
    return next;
  }

  /** The deterministic state for the closure of `targets`. */
  #state(targets: number[]): DetState {
    const { op, out, alt } = this.#nfa;
    const seen = this.#seen;
    const generation = ++this.#generation;
    const states: number[] = [];
    let accept = false;
    const stack = targets.slice().reverse();
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s] === generation) continue;
      seen[s] = generation;
      if (op[s] === Op.Split) {
        stack.push(alt[s], out[s]);
      } else if (s === this.#match) {
        accept = true;
      } else {
        states.push(s);
      }
    }
    states.sort((a, b) => a - b);
    const key = states.join(",") + (accept ? "!" : "");
    const known = this.#cache.get(key);
    if (known) return known;
    const state: DetState = {
      states,
      accept,
      ascii: undefined,
      other: undefined,
    };
    if (this.#cache.size < MAX_CACHED_STATES) this.#cache.set(key, state);
    return state;
  }
}
