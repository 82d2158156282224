import { assertEquals } from "../helpers/assert.ts";
import { type Key, KeyDecoder } from "../../src/ui/keys.ts";

const encoder = new TextEncoder();

function decode(...chunks: (string | number[])[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) =>
    decoder.push(
      typeof chunk === "string"
        ? encoder.encode(chunk)
        : Uint8Array.from(chunk),
    )
  );
}

const key = (name: string): Key => ({ kind: "key", name } as Key);
const text = (t: string): Key => ({ kind: "text", text: t });

Deno.test("KeyDecoder.push() joins consecutive printable characters into one text key", () => {
  assertEquals(decode("hello wörld 漢字 😀"), [text("hello wörld 漢字 😀")]);
  assertEquals(decode("ab", "cd"), [text("ab"), text("cd")]);
});

Deno.test("KeyDecoder.push() decodes UTF-8 characters split across chunks", () => {
  for (const char of ["é", "漢", "😀"]) {
    const bytes = [...encoder.encode(char)];
    for (let cut = 1; cut < bytes.length; cut++) {
      assertEquals(
        decode([0x61, ...bytes.slice(0, cut)], bytes.slice(cut)),
        [text("a"), text(char)],
        `${char} cut at ${cut}`,
      );
    }
  }
  // One byte at a time.
  assertEquals(decode(...[...encoder.encode("😀")].map((b) => [b])), [
    text("😀"),
  ]);
});

Deno.test("KeyDecoder.push() decodes CSI and SS3 sequences", () => {
  const cases: [string, string][] = [
    ["\x1b[A", "up"],
    ["\x1b[B", "down"],
    ["\x1b[C", "right"],
    ["\x1b[D", "left"],
    ["\x1bOA", "up"],
    ["\x1bOB", "down"],
    ["\x1bOC", "right"],
    ["\x1bOD", "left"],
    ["\x1b[H", "home"],
    ["\x1b[F", "end"],
    ["\x1bOH", "home"],
    ["\x1bOF", "end"],
    ["\x1b[1~", "home"],
    ["\x1b[7~", "home"],
    ["\x1b[4~", "end"],
    ["\x1b[8~", "end"],
    ["\x1b[3~", "delete"],
    ["\x1b[1;5C", "alt-right"],
    ["\x1b[1;5D", "alt-left"],
    ["\x1b[1;3C", "alt-right"],
    ["\x1b[1;3D", "alt-left"],
    ["\x1b\x1b[C", "alt-right"],
    ["\x1b\x1b[D", "alt-left"],
    ["\x1bb", "alt-left"],
    ["\x1bf", "alt-right"],
    ["\x1b\x7f", "alt-backspace"],
    ["\x1b\x08", "alt-backspace"],
    ["\x1b\r", "alt-enter"],
    ["\x1b[1;2A", "up"],
  ];
  for (const [input, name] of cases) {
    assertEquals(decode(input), [key(name)], JSON.stringify(input));
  }
});

Deno.test("KeyDecoder.push() decodes control bytes", () => {
  const cases: [number, string][] = [
    [0x0d, "enter"],
    [0x0a, "enter"],
    [0x7f, "backspace"],
    [0x08, "backspace"],
    [0x09, "tab"],
    [0x01, "ctrl-a"],
    [0x02, "ctrl-b"],
    [0x03, "ctrl-c"],
    [0x04, "ctrl-d"],
    [0x05, "ctrl-e"],
    [0x06, "ctrl-f"],
    [0x0b, "ctrl-k"],
    [0x0c, "ctrl-l"],
    [0x15, "ctrl-u"],
    [0x17, "ctrl-w"],
  ];
  for (const [byte, name] of cases) {
    assertEquals(decode([byte]), [key(name)], `byte ${byte}`);
  }
  assertEquals(decode("a\r\nb"), [text("a"), key("enter"), text("b")]);
  assertEquals(decode("\r\r"), [key("enter"), key("enter")]);
});

Deno.test("KeyDecoder.push() splits text around keys in one chunk", () => {
  assertEquals(decode("ab\x1b[Dc\x7fd\r"), [
    text("ab"),
    key("left"),
    text("c"),
    key("backspace"),
    text("d"),
    key("enter"),
  ]);
});

Deno.test("KeyDecoder.push() treats a lone ESC at the end of a chunk as escape", () => {
  assertEquals(decode("\x1b"), [key("escape")]);
  assertEquals(decode("a\x1b", "b"), [text("a"), key("escape"), text("b")]);
  assertEquals(decode("\x1b\x1b"), [key("escape"), key("escape")]);
});

Deno.test("KeyDecoder.push() joins escape sequences split across chunks", () => {
  assertEquals(decode("\x1b[", "A"), [key("up")]);
  assertEquals(decode("\x1bO", "D"), [key("left")]);
  assertEquals(decode("\x1b[1;", "5C"), [key("alt-right")]);
  assertEquals(decode("x\x1b[3", "~y"), [text("x"), key("delete"), text("y")]);
  assertEquals(decode("\x1b[", "1", ";", "3", "D"), [key("alt-left")]);
});

Deno.test("KeyDecoder.push() drops unknown sequences and control bytes", () => {
  assertEquals(decode("a\x1b[15~b"), [text("ab")]);
  assertEquals(decode("\x1b[2~\x1bOP\x1b[?1;2c"), []);
  assertEquals(decode("\x1bx\x1b[1;5Q\x1b[97;5u"), []);
  assertEquals(decode([0x00, 0x1c, 0x1f]), []);
  // C1 controls and invalid UTF-8 are not text.
  assertEquals(decode([0xc2, 0x9b, 0x61, 0xff, 0xc3, 0x28]), [text("a(")]);
  // A sequence broken by a control byte is dropped, the byte still counts.
  assertEquals(decode("\x1b[1\r"), [key("enter")]);
});

Deno.test("KeyDecoder.push() decodes Shift-Tab, paging keys, Shift-Enter and the new control keys", () => {
  assertEquals(decode("\x1b[Z\x1b[5~\x1b[6~"), [
    key("shift-tab"),
    key("page-up"),
    key("page-down"),
  ]);
  // Shift-Enter in the kitty protocol and in xterm's modifyOtherKeys.
  assertEquals(decode("\x1b[13;2u\x1b[27;2;13~\x1b[13u\x1b[27u"), [
    key("shift-enter"),
    key("shift-enter"),
    key("enter"),
    key("escape"),
  ]);
  assertEquals(decode([0x07, 0x0e, 0x0f, 0x10, 0x12]), [
    key("ctrl-g"),
    key("ctrl-n"),
    key("ctrl-o"),
    key("ctrl-p"),
    key("ctrl-r"),
  ]);
});

Deno.test("KeyDecoder.push() decodes a bracketed paste with newlines kept", () => {
  assertEquals(
    decode("a\x1b[200~line 1\r\nline 2\rline 3\n\x1b[A\x1b[201~b"),
    [
      text("a"),
      { kind: "paste", text: "line 1\nline 2\nline 3\n\x1b[A" },
      text("b"),
    ],
  );
});

Deno.test("KeyDecoder.push() joins a paste split across chunks", () => {
  const whole = "\x1b[200~héllo\nwörld\x1b[201~\r";
  const bytes = [...encoder.encode(whole)];
  // From the second byte on: a lone ESC at a chunk's end is the Escape key.
  for (let cut = 2; cut < bytes.length; cut++) {
    assertEquals(
      decode(bytes.slice(0, cut), bytes.slice(cut)),
      [{ kind: "paste", text: "héllo\nwörld" }, key("enter")],
      `cut at ${cut}`,
    );
  }
  assertEquals(decode("\x1b[200~", "a", "b", "\x1b[2", "01~"), [
    { kind: "paste", text: "ab" },
  ]);
});
