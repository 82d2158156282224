/**
 * Messages the sandbox process sends to the agent, and their validation.
 *
 * Everything that comes out of the sandbox is hostile input: model code runs
 * there and may write anything to the pipe. Each frame is parsed as JSON and
 * checked against a schema; anything else is a protocol error and the
 * sandbox is replaced.
 *
 * @module
 */

import { z } from "zod";
import type { Frame } from "./frames.ts";

const MAX_NAME = 256;
const decoder = new TextDecoder();

const cellError = z.object({
  name: z.string().max(MAX_NAME),
  message: z.string(),
  line: z.number().int().positive().optional(),
});

const schemas = {
  Y: z.object({}),
  O: z.object({ id: z.number().int(), text: z.string() }),
  C: z.object({
    cid: z.number().int().positive(),
    cell: z.number().int(),
    name: z.string().min(1).max(MAX_NAME),
    args: z.array(z.unknown()),
  }),
  D: z.object({
    id: z.number().int(),
    value: z.string().optional(),
    error: cellError.optional(),
    submitted: z.string().optional(),
    omitted: z.number().int().nonnegative(),
    tail: z.string(),
  }),
  F: z.object({
    message: z.string(),
    rss: z.number().nonnegative().optional(),
  }),
};

/** A validated message from the sandbox. */
export type SandboxMessage =
  | { kind: "ready" }
  | { kind: "output"; id: number; text: string }
  | {
    kind: "call";
    cid: number;
    cell: number;
    name: string;
    args: unknown[];
  }
  | {
    kind: "done";
    id: number;
    value?: string;
    error?: z.infer<typeof cellError>;
    submitted?: string;
    omitted: number;
    tail: string;
  }
  | { kind: "fatal"; message: string; rss?: number }
  | { kind: "snapshot"; bytes: Uint8Array };

const kinds = {
  Y: "ready",
  O: "output",
  C: "call",
  D: "done",
  F: "fatal",
} as const;

/**
 * Parses and validates one frame from the sandbox.
 *
 * @throws {TypeError} when the frame is not a message the protocol allows.
 * @example
 * ```ts
 * import { parseSandboxFrame } from "./protocol.ts";
 * const frame = { kind: "Y", payload: new TextEncoder().encode("{}") };
 * console.log(parseSandboxFrame(frame).kind); // "ready"
 * ```
 */
export function parseSandboxFrame(frame: Frame): SandboxMessage {
  // A Python memory snapshot: bytes, checked by whoever stores them.
  if (frame.kind === "S") return { kind: "snapshot", bytes: frame.payload };
  if (!Object.hasOwn(schemas, frame.kind)) {
    throw new TypeError(
      `unknown frame kind ${JSON.stringify(frame.kind)} from the sandbox`,
    );
  }
  const kind = frame.kind as keyof typeof schemas;
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(frame.payload));
  } catch {
    throw new TypeError(`malformed ${kinds[kind]} message from the sandbox`);
  }
  const parsed = schemas[kind].safeParse(json);
  if (!parsed.success) {
    throw new TypeError(`invalid ${kinds[kind]} message from the sandbox`);
  }
  return { kind: kinds[kind], ...parsed.data } as SandboxMessage;
}
