/**
 * Frames from sandbox processes, validated and handed on in arrival order.
 * The validator (zod) loads while the sandbox process starts, not when this
 * module loads: a first model request should not wait for it. A process
 * that floods messages, or that is being replaced, gets no further.
 *
 * @module
 */

import { MAX_MESSAGES_PER_SECOND, MessageRate } from "./caps.ts";
import type { Frame } from "./frames.ts";
import type { SandboxProcess } from "./process.ts";
import type { parseSandboxFrame, SandboxMessage } from "./protocol.ts";

let parseFrame: typeof parseSandboxFrame | undefined;
let loadingProtocol: Promise<void> | undefined;

/**
 * Loads the message validator (once; later calls get the same promise).
 *
 * @example
 * ```ts
 * import { loadProtocol } from "./frame_gate.ts";
 * await loadProtocol();
 * ```
 */
export function loadProtocol(): Promise<void> {
  return loadingProtocol ??= import("./protocol.ts").then((module) => {
    parseFrame = module.parseSandboxFrame;
  });
}

/** Receives a valid message from a sandbox process. */
export type MessageHandler = (
  proc: SandboxProcess,
  message: SandboxMessage,
  ready: () => void,
) => void;

/** Receives the error of a frame that breaks the protocol. */
export type ProtocolErrorHandler = (proc: SandboxProcess, error: Error) => void;

/**
 * Validates frames and hands them on in order, holding them until the
 * validator has loaded.
 *
 * @example
 * ```ts ignore
 * const gate = new FrameGate(
 *   (proc, message) => console.log(proc.pid, message.kind),
 *   (proc, error) => console.error(proc.pid, error.message),
 * );
 * gate.receive(proc, frame, () => {}, loadProtocol());
 * ```
 */
export class FrameGate {
  #backlog: [SandboxProcess, Frame, () => void][] = [];
  #rates = new WeakMap<SandboxProcess, MessageRate>();
  /** Answers to the running cell that do not count against the rate. */
  #expected = new WeakMap<SandboxProcess, { done: number; output: number }>();
  #condemned = new WeakSet<SandboxProcess>();
  #onMessage: MessageHandler;
  #onProtocolError: ProtocolErrorHandler;

  /** Frames go to `onMessage` once valid, to `onProtocolError` if not. */
  constructor(
    onMessage: MessageHandler,
    onProtocolError: ProtocolErrorHandler,
  ) {
    this.#onMessage = onMessage;
    this.#onProtocolError = onProtocolError;
  }

  /** Ignores whatever `proc` sends from now on (it is being replaced). */
  condemn(proc: SandboxProcess): void {
    this.#condemned.add(proc);
  }

  /**
   * `proc` was sent a cell: its "done" message and its first printed batch
   * (sent as soon as the cell prints) are answers, not a flood, so they do
   * not count against {@linkcode MAX_MESSAGES_PER_SECOND}. A loop of quick
   * cells sends thousands a second. Each cell resets the allowance (cells
   * run one at a time), so it never adds up.
   */
  expectCell(proc: SandboxProcess): void {
    this.#expected.set(proc, { done: 1, output: 1 });
  }

  /** Whether `proc` is being replaced. */
  condemned(proc: SandboxProcess): boolean {
    return this.#condemned.has(proc);
  }

  /**
   * Takes one frame; `protocol` settles when the validator has loaded.
   * Host calls wait for their reply one at a time, and a cell's expected
   * answers (see {@linkcode FrameGate.expectCell}) are not a flood; every
   * other message counts against {@linkcode MAX_MESSAGES_PER_SECOND}.
   */
  receive(
    proc: SandboxProcess,
    frame: Frame,
    ready: () => void,
    protocol: Promise<void>,
  ): void {
    if (this.#condemned.has(proc)) return;
    let rate = this.#rates.get(proc);
    if (!rate) {
      this.#rates.set(proc, rate = new MessageRate(MAX_MESSAGES_PER_SECOND));
    }
    if (
      frame.kind !== "C" && !this.#answer(proc, frame.kind) && !rate.admit()
    ) {
      this.#onProtocolError(
        proc,
        new RangeError(
          `more than ${MAX_MESSAGES_PER_SECOND} messages in one second`,
        ),
      );
      return;
    }
    if (parseFrame && this.#backlog.length === 0) {
      this.#deliver(proc, frame, ready);
      return;
    }
    this.#backlog.push([proc, frame, ready]);
    if (this.#backlog.length > 1) return;
    void protocol.then(() => {
      const backlog = this.#backlog;
      this.#backlog = [];
      for (const [p, f, r] of backlog) this.#deliver(p, f, r);
    });
  }

  /** Takes one of the running cell's expected answers, if `kind` is one. */
  #answer(proc: SandboxProcess, kind: string): boolean {
    const expected = this.#expected.get(proc);
    if (!expected) return false;
    if (kind === "D" && expected.done > 0) {
      expected.done--;
      return true;
    }
    if (kind === "O" && expected.output > 0) {
      expected.output--;
      return true;
    }
    return false;
  }

  #deliver(proc: SandboxProcess, frame: Frame, ready: () => void): void {
    if (this.#condemned.has(proc)) return;
    let message: SandboxMessage;
    try {
      message = parseFrame!(frame);
    } catch (error) {
      this.#onProtocolError(proc, error as Error);
      return;
    }
    this.#onMessage(proc, message, ready);
  }
}
