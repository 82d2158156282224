import { assertEquals } from "../_assert.ts";
import { HeadTailBuffer } from "../../../src/tools/bash/head_tail_buffer.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("HeadTailBuffer.text() returns everything when it fits", () => {
  const buffer = new HeadTailBuffer(10);
  buffer.push(enc("abc"));
  buffer.push(enc("defgh"));
  assertEquals(buffer.text(), "abcdefgh");
  assertEquals(buffer.totalBytes, 8);
});

Deno.test("HeadTailBuffer.text() keeps head and tail when many small chunks overflow", () => {
  const buffer = new HeadTailBuffer(6);
  for (const c of "abcdefghijklmnop") buffer.push(enc(c));
  assertEquals(buffer.text(), "abc\n... [10 bytes omitted] ...\nnop");
});

Deno.test("HeadTailBuffer.text() keeps head and tail when one chunk is huge", () => {
  const buffer = new HeadTailBuffer(4);
  buffer.push(enc("0123456789"));
  buffer.push(enc("x"));
  assertEquals(buffer.text(), "01\n... [7 bytes omitted] ...\n9x");
});

Deno.test("HeadTailBuffer.text() cuts on UTF-8 character boundaries", () => {
  const buffer = new HeadTailBuffer(6);
  buffer.push(enc("aéé-éb"));
  // bytes: a c3 a9 c3 a9 2d c3 a9 62 (9); head keeps "a\xc3\xa9" then cut
  assertEquals(buffer.text(), "aé\n... [3 bytes omitted] ...\néb");
  const split = new HeadTailBuffer(4);
  split.push(enc("aé__éb"));
  // head "a\xc3" ends mid-character, tail "\xa9b" starts mid-character
  assertEquals(split.text(), "a\n... [6 bytes omitted] ...\nb");
});

Deno.test("HeadTailBuffer.text() replaces invalid bytes when the input is not UTF-8", () => {
  const buffer = new HeadTailBuffer(100);
  buffer.push(new Uint8Array([0x61, 0xff, 0x62]));
  assertEquals(buffer.text(), "a\uFFFDb");
});
