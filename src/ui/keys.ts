/**
 * Decodes raw terminal input bytes into keys: printable text, bracketed
 * pastes, and named keys from control bytes and CSI/SS3 escape sequences.
 * Input arrives in arbitrary chunks, so UTF-8 characters and escape
 * sequences split across chunks are put back together. Unknown sequences
 * are dropped, never inserted as text.
 *
 * @module
 */

/**
 * Names of the editing keys {@linkcode KeyDecoder} recognises. Ctrl- and
 * alt-arrows both arrive as `alt-left`/`alt-right` (word movement).
 *
 * @example
 * ```ts
 * import type { KeyName } from "./keys.ts";
 * const name: KeyName = "ctrl-u";
 * console.log(name); // "ctrl-u"
 * ```
 */
export type KeyName =
  | "enter"
  | "alt-enter"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "tab"
  | "escape"
  | "ctrl-a"
  | "ctrl-b"
  | "ctrl-c"
  | "ctrl-d"
  | "ctrl-e"
  | "ctrl-f"
  | "ctrl-k"
  | "ctrl-l"
  | "ctrl-u"
  | "ctrl-w"
  | "alt-left"
  | "alt-right"
  | "alt-backspace"
  | "shift-tab"
  | "shift-enter"
  | "page-up"
  | "page-down"
  | "ctrl-g"
  | "ctrl-n"
  | "ctrl-o"
  | "ctrl-p"
  | "ctrl-r";

/**
 * One decoded key press: typed text, a bracketed paste (newlines kept as
 * `\n`), or a named key.
 *
 * @example
 * ```ts
 * import type { Key } from "./keys.ts";
 * const key: Key = { kind: "key", name: "enter" };
 * console.log(key.kind); // "key"
 * ```
 */
export type Key =
  | { kind: "text"; text: string }
  | { kind: "paste"; text: string }
  | { kind: "key"; name: KeyName };

const CONTROL: Record<number, KeyName> = {
  0x01: "ctrl-a",
  0x02: "ctrl-b",
  0x03: "ctrl-c",
  0x04: "ctrl-d",
  0x05: "ctrl-e",
  0x06: "ctrl-f",
  0x08: "backspace",
  0x09: "tab",
  0x0a: "enter",
  0x0b: "ctrl-k",
  0x07: "ctrl-g",
  0x0c: "ctrl-l",
  0x0d: "enter",
  0x0e: "ctrl-n",
  0x0f: "ctrl-o",
  0x10: "ctrl-p",
  0x12: "ctrl-r",
  0x15: "ctrl-u",
  0x17: "ctrl-w",
  0x7f: "backspace",
};

const FINAL: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  Z: "shift-tab",
};

const TILDE: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "3": "delete",
  "5": "page-up",
  "6": "page-down",
};

const ESC = 0x1b;
const PASTE_END = [0x1b, 0x5b, 0x32, 0x30, 0x31, 0x7e]; // ESC [ 2 0 1 ~
const MAX_SEQUENCE = 64;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();

/** What a sequence at the start of the buffer decodes to. */
type Step =
  | { need: true }
  | { length: number; key?: KeyName; paste?: true };

function utf8Length(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** A CSI (`ESC [`) or SS3 (`ESC O`) sequence starting at `at`. */
function csi(buf: Uint8Array, at: number): Step {
  const ss3 = buf[at + 1] === 0x4f;
  let i = at + 2;
  while (i < buf.length && !ss3) {
    const b = buf[i];
    if (b >= 0x40 && b <= 0x7e) break;
    if (b < 0x20 || b > 0x3f) return { length: i - at }; // malformed: drop
    i++;
  }
  if (i >= buf.length) {
    return i - at > MAX_SEQUENCE ? { length: i - at } : { need: true };
  }
  const length = i + 1 - at;
  const final = String.fromCharCode(buf[i]);
  const params = String.fromCharCode(...buf.subarray(at + 2, i)).split(";");
  if (final === "~") {
    if (params[0] === "200") return { length, paste: true };
    // xterm's modifyOtherKeys: `27;2;13~` is Shift-Enter.
    if (params[0] === "27") {
      return { length, key: modifiedEnter(params[2], params[1]) };
    }
    return { length, key: TILDE[params[0]] };
  }
  // The kitty keyboard protocol: `13;2u` is Shift-Enter, `27u` Escape.
  if (final === "u") {
    if (params[0] === "27") return { length, key: "escape" };
    return { length, key: modifiedEnter(params[0], params[1]) };
  }
  const key = FINAL[final];
  if (!key) return { length };
  // A modifier (`1;3C` alt, `1;5C` ctrl) on left/right means word movement.
  const modifier = Number(params[1] ?? "1");
  if (modifier > 2 && (key === "left" || key === "right")) {
    return { length, key: key === "left" ? "alt-left" : "alt-right" };
  }
  return { length, key };
}

/** Enter (code 13) with a modifier: Shift-Enter, or Alt-Enter with alt. */
function modifiedEnter(
  code: string | undefined,
  modifier: string | undefined,
): KeyName | undefined {
  if (code !== "13") return undefined;
  const bits = Number(modifier ?? "1") - 1;
  if (bits & 2) return "alt-enter";
  return bits & 1 ? "shift-enter" : "enter";
}

/** An escape sequence or alt-key starting with ESC at `at`. */
function escape(buf: Uint8Array, at: number): Step {
  if (at + 1 >= buf.length) return { length: 1, key: "escape" };
  const next = buf[at + 1];
  if (next === 0x5b || next === 0x4f) {
    if (at + 2 >= buf.length) return { need: true };
    return csi(buf, at);
  }
  if (next === ESC && (buf[at + 2] === 0x5b || buf[at + 2] === 0x4f)) {
    // ESC ESC [ D: alt plus an arrow in some terminals.
    const inner = csi(buf, at + 1);
    if ("need" in inner) return inner;
    const key = inner.key === "left"
      ? "alt-left"
      : inner.key === "right"
      ? "alt-right"
      : inner.key;
    return { length: inner.length + 1, key };
  }
  if (next === ESC) return { length: 1, key: "escape" };
  if (next === 0x7f || next === 0x08) {
    return { length: 2, key: "alt-backspace" };
  }
  if (next === 0x0d) return { length: 2, key: "alt-enter" };
  if (next === 0x62) return { length: 2, key: "alt-left" }; // ESC b
  if (next === 0x66) return { length: 2, key: "alt-right" }; // ESC f
  const size = utf8Length(next);
  if (size && at + 1 + size > buf.length) return { need: true };
  return { length: 1 + Math.max(size, 1) }; // other alt keys: dropped
}

/**
 * Turns chunks of raw terminal input into {@linkcode Key}s. Keeps the
 * incomplete tail of a chunk (a split UTF-8 character, a partial escape
 * sequence, an unfinished paste) for the next push. A lone ESC at the end
 * of a chunk is the Escape key.
 *
 * @example
 * ```ts
 * import { KeyDecoder } from "./keys.ts";
 * const decoder = new KeyDecoder();
 * const keys = decoder.push(new TextEncoder().encode("hi\x1b[D\r"));
 * console.log(keys);
 * // [{ kind: "text", text: "hi" }, { kind: "key", name: "left" },
 * //  { kind: "key", name: "enter" }]
 * ```
 */
export class KeyDecoder {
  #pending = new Uint8Array(0);
  #paste: Uint8Array | undefined;

  /** Decodes `bytes` (plus whatever was kept from earlier pushes). */
  push(bytes: Uint8Array): Key[] {
    const keys: Key[] = [];
    let buf = concat(this.#pending, bytes);
    this.#pending = new Uint8Array(0);
    if (this.#paste) {
      const searchFrom = Math.max(0, this.#paste.length - PASTE_END.length);
      buf = concat(this.#paste, buf);
      this.#paste = undefined;
      const end = this.#endPaste(buf, 0, searchFrom, keys);
      if (end < 0) return keys;
      buf = buf.subarray(end);
    }
    let text = "";
    const emit = (key: Key) => {
      if (text) keys.push({ kind: "text", text });
      text = "";
      keys.push(key);
    };
    let i = 0;
    while (i < buf.length) {
      const b = buf[i];
      if (b === ESC) {
        const step = escape(buf, i);
        if ("need" in step) break;
        i += step.length;
        if (step.paste) {
          if (text) keys.push({ kind: "text", text });
          text = "";
          const end = this.#endPaste(buf, i, i, keys);
          if (end < 0) return keys;
          i = end;
        } else if (step.key) emit({ kind: "key", name: step.key });
      } else if (b < 0x20 || b === 0x7f) {
        i += b === 0x0d && buf[i + 1] === 0x0a ? 2 : 1;
        const name = CONTROL[b];
        if (name) emit({ kind: "key", name });
      } else if (b < 0x80) {
        text += String.fromCharCode(b);
        i++;
      } else {
        const size = utf8Length(b);
        if (size && i + size > buf.length) break;
        const char = size ? decode(buf.subarray(i, i + size)) : undefined;
        i += char === undefined ? 1 : size;
        // C1 controls are never text.
        if (char && !/^[\u0080-\u009f]$/.test(char)) text += char;
      }
    }
    if (text) keys.push({ kind: "text", text });
    this.#pending = buf.slice(i);
    return keys;
  }

  /**
   * Finds the paste end marker in `buf` after `from`; emits the paste and
   * returns the index after the marker, or keeps the paste and returns -1.
   */
  #endPaste(
    buf: Uint8Array,
    from: number,
    searchFrom: number,
    keys: Key[],
  ): number {
    const at = indexOf(buf, PASTE_END, searchFrom);
    if (at < 0) {
      this.#paste = buf.slice(from);
      return -1;
    }
    const text = lenient.decode(buf.subarray(from, at)).replace(
      /\r\n?/g,
      "\n",
    );
    if (text) keys.push({ kind: "paste", text });
    return at + PASTE_END.length;
  }
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOf(buf: Uint8Array, needle: number[], from: number): number {
  outer: for (let i = from; i + needle.length <= buf.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (buf[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
