import { assertEquals, assertThrows } from "../helpers/assert.ts";
import {
  encodeFrame,
  encodeFrameHeader,
  FrameDecoder,
} from "../../src/sandbox/frames.ts";

Deno.test("FrameDecoder.push() reassembles frames from any chunking", () => {
  const payloads = [
    new Uint8Array(0),
    new Uint8Array([1, 2, 3]),
    new Uint8Array(70_000).fill(7),
  ];
  const stream = new Uint8Array(payloads.reduce((n, p) => n + 5 + p.length, 0));
  let at = 0;
  for (const [i, p] of payloads.entries()) {
    stream.set(encodeFrame("ABC"[i], p), at);
    at += 5 + p.length;
  }
  for (const size of [1, 2, 5, 6, 4096, stream.length]) {
    const decoder = new FrameDecoder(1 << 20);
    const frames = [];
    for (let i = 0; i < stream.length; i += size) {
      frames.push(...decoder.push(stream.subarray(i, i + size)));
    }
    assertEquals(frames.map((f) => f.kind), ["A", "B", "C"]);
    assertEquals(frames.map((f) => f.payload.length), [0, 3, 70_000]);
    assertEquals(frames[2].payload.every((b) => b === 7), true);
    assertEquals(decoder.buffered, 0);
  }
});

Deno.test("FrameDecoder.push() refuses a frame over the size limit before buffering it", () => {
  const decoder = new FrameDecoder(100);
  assertThrows(
    () => decoder.push(encodeFrameHeader("D", 101)),
    RangeError,
    "exceeds the 100 byte limit",
  );
});
