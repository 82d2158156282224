/**
 * One sandbox child process: spawn, frame I/O, stderr capture, kill.
 *
 * The child is started in its own process group (so killing the group
 * stops it even with a worker thread spinning), with a cleared environment,
 * stdin and stdout as the frame pipe and stderr captured for diagnostics.
 *
 * @module
 */

import { type SandboxCommand, sandboxCommand } from "./bootstrap.ts";
import { encodeFrameHeader, type Frame, FrameDecoder } from "./frames.ts";

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
  maxFrameBytes: number;
  /** Overrides how the process is started (default {@linkcode sandboxCommand}). */
  command?: SandboxCommand;
  /** Called for every frame, in order. */
  onFrame(frame: Frame): void;
  /** Called once if the byte stream breaks the framing rules. */
  onProtocolError(error: Error): void;
}

const STDERR_KEEP = 4096;

/** A running sandbox process. */
export class SandboxProcess {
  readonly pid: number;
  /** Resolves when the process has exited and its pipes are drained. */
  readonly exited: Promise<ProcessExit>;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #alive = true;
  #stderr = "";

  private constructor(child: Deno.ChildProcess, options: ProcessOptions) {
    this.#child = child;
    this.pid = child.pid;
    this.#writer = child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
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
    const process = new SandboxProcess(child, options);
    if (command.prelude) void process.#writeFirst(command.prelude);
    return process;
  }

  /** Writes the program for the loader before any frame. */
  async #writeFirst(bytes: Uint8Array): Promise<void> {
    try {
      await this.#writer.write(bytes);
    } catch {
      // The process died; `exited` reports it.
    }
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.#alive;
  }

  /**
   * Sends one frame whose payload is the concatenation of `parts` (written
   * one after another, without copying them into one buffer). A dead
   * process makes this a no-op.
   */
  async send(kind: string, ...parts: Uint8Array[]): Promise<void> {
    if (!this.#alive) return;
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const writes = [
      this.#writer.write(encodeFrameHeader(kind, length)),
      ...parts.map((part) => this.#writer.write(part)),
    ];
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
    try {
      for await (const chunk of this.#child.stdout) {
        let frames: Frame[];
        try {
          frames = decoder.push(chunk);
        } catch (error) {
          options.onProtocolError(error as Error);
          return;
        }
        for (const frame of frames) options.onFrame(frame);
      }
    } catch {
      // Pipe closed by a kill: the exit status tells what happened.
    }
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
