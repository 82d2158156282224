/**
 * One sandbox child process: spawn, frame I/O, stderr capture, kill.
 *
 * The child is started in its own process group (so killing the group
 * stops it even with a worker thread spinning), with a cleared environment
 * (see `sandboxCommand`), stdin and stdout as the frame pipe and stderr
 * captured for diagnostics.
 *
 * The first frame sent is a random key; a frame coming back is accepted
 * only if it starts with that key (see `host_main.ts`), which is then
 * stripped.
 *
 * @module
 */

import { type SandboxCommand, sandboxCommand } from "./bootstrap.ts";
import { encodeFrameHeader, type Frame, FrameDecoder } from "./frames.ts";
import { FRAME_KEY_BYTES } from "./host_main.ts";
import { readChunks } from "../util/read_chunks.ts";

/** How a sandbox process ended. */
export interface ProcessExit {
  code: number;
  signal: string | null;
  /** The last part of what the process wrote to stderr. */
  stderr: string;
}

/** Settings for {@linkcode SandboxProcess.spawn}. */
export interface ProcessOptions {
  denoPath: string;
  heapMb: number;
  sharedBytes: number;
  memoryMb: number;
  maxFrameBytes: number;
  /** Whether cells are Python. */
  python?: boolean;
  /** Overrides how the process is started (default {@linkcode sandboxCommand}). */
  command?: SandboxCommand;
  /** Called for every frame, in order. */
  onFrame(frame: Frame): void;
  /** Called once if the byte stream breaks the framing rules. */
  onProtocolError(error: Error): void;
}

const STDERR_KEEP = 4096;
/** Frames up to this size are copied into one buffer and written at once. */
const ONE_WRITE_BYTES = 64 * 1024;
/** Bytes one read of the sandbox's stdout may bring. */
const READ_BYTES = 64 * 1024;

/** A running sandbox process. */
export class SandboxProcess {
  readonly pid: number;
  /** Resolves when the process has exited and its pipes are drained. */
  readonly exited: Promise<ProcessExit>;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #alive = true;
  #stderr = "";
  #key: Uint8Array;

  private constructor(
    child: Deno.ChildProcess,
    options: ProcessOptions,
    key: Uint8Array,
    prelude?: Uint8Array,
  ) {
    this.#child = child;
    this.pid = child.pid;
    this.#key = key;
    this.#writer = child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    // The loader's program goes first, then the key frame.
    if (prelude) this.#writer.write(prelude).catch(() => {});
    void this.send("K", key);
    const reading = this.#readFrames(options);
    const draining = this.#readStderr();
    this.exited = (async () => {
      const status = await child.status;
      this.#alive = false;
      await Promise.allSettled([reading, draining]);
      return {
        code: status.code,
        signal: status.signal ?? null,
        stderr: this.#stderr.trim(),
      };
    })();
  }

  /**
   * Starts a sandbox process. It is usable once it sends its ready frame.
   *
   * @example
   * ```ts ignore
   * const proc = SandboxProcess.spawn({ denoPath: Deno.execPath(), ... });
   * ```
   */
  static spawn(options: ProcessOptions): SandboxProcess {
    const command = options.command ??
      sandboxCommand(options.denoPath, options);
    const child = new Deno.Command(command.path, {
      args: command.args,
      clearEnv: true,
      env: command.env,
      cwd: "/",
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
    const key = crypto.getRandomValues(new Uint8Array(FRAME_KEY_BYTES));
    return new SandboxProcess(child, options, key, command.prelude);
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.#alive;
  }

  /**
   * Sends one frame whose payload is the concatenation of `parts`: a small
   * frame in one write (each write wakes the sandbox's reader, so a reply
   * in four writes costs four wake-ups), a large one part after part,
   * without copying them into one buffer. A dead process makes this a
   * no-op.
   */
  async send(kind: string, ...parts: Uint8Array[]): Promise<void> {
    if (!this.#alive) return;
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const header = encodeFrameHeader(kind, length);
    let writes: Promise<void>[];
    if (length <= ONE_WRITE_BYTES) {
      const frame = new Uint8Array(header.length + length);
      frame.set(header);
      let at = header.length;
      for (const part of parts) {
        frame.set(part, at);
        at += part.length;
      }
      writes = [this.#writer.write(frame)];
    } else {
      writes = [
        this.#writer.write(header),
        ...parts.map((part) => this.#writer.write(part)),
      ];
    }
    try {
      await Promise.all(writes);
    } catch {
      // The process died; `exited` reports it.
    }
  }

  /** Kills the whole process group at once and waits for the exit. */
  async kill(): Promise<ProcessExit> {
    if (this.#alive) {
      try {
        Deno.kill(-this.pid, "SIGKILL");
      } catch {
        try {
          this.#child.kill("SIGKILL");
        } catch { /* already gone */ }
      }
    }
    return await this.exited;
  }

  async #readFrames(options: ProcessOptions): Promise<void> {
    const decoder = new FrameDecoder(options.maxFrameBytes);
    let broken = false;
    try {
      await readChunks(this.#child.stdout, READ_BYTES, (chunk) => {
        if (broken) return false;
        let frames: Frame[];
        try {
          frames = decoder.push(chunk).map((frame) => this.#unseal(frame));
        } catch (error) {
          broken = true;
          options.onProtocolError(error as Error);
          return false;
        }
        for (const frame of frames) options.onFrame(frame);
        // Frames are copies; only a frame still arriving keeps the chunk.
        return decoder.buffered > 0;
      });
    } catch {
      // Pipe closed by a kill: the exit status tells what happened.
    }
  }

  /** Checks and strips the key that starts every genuine frame. */
  #unseal(frame: Frame): Frame {
    const key = this.#key;
    const payload = frame.payload;
    let diff = payload.length < key.length ? 1 : 0;
    for (let i = 0; i < key.length; i++) diff |= payload[i] ^ key[i];
    if (diff !== 0) {
      throw new TypeError(
        "a frame without the sandbox's key (something in the sandbox wrote to its stdout)",
      );
    }
    return { kind: frame.kind, payload: payload.subarray(key.length) };
  }

  async #readStderr(): Promise<void> {
    const text = new TextDecoder();
    try {
      for await (const chunk of this.#child.stderr) {
        this.#stderr = (this.#stderr + text.decode(chunk, { stream: true }))
          .slice(-STDERR_KEEP);
      }
    } catch {
      // ignore: diagnostics only
    }
  }
}
