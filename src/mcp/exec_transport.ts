/**
 * The stdio transport of an MCP server started through nanocode's exec
 * layer (`src/exec/`), not the SDK's own spawn: the server runs under the
 * supervisor that kills it and every process it started when the agent
 * goes away, `kill -9` included. Messages are newline-delimited JSON-RPC,
 * as the MCP stdio transport says.
 *
 * @module
 */

import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  deserializeMessage,
  serializeMessage,
} from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { ExecProcess, Executor } from "../exec/types.ts";
import { findExecutable } from "../tools/context.ts";
import { join } from "../util/path.ts";
import { readChunks } from "../util/read_chunks.ts";

/** Bytes one message may have before the server is stopped (a runaway server must not fill memory). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Milliseconds a closed server has to leave before its tree is killed. */
const CLOSE_GRACE_MS = 300;
/** Milliseconds to drain output after the server exited (a child may hold it open). */
const DRAIN_MS = 200;
const STDERR_KEEP = 2000;
const NEWLINE = 10;
/** Bytes one read of the server's output may bring. */
const READ_BYTES = 64 * 1024;

/** What {@linkcode ExecTransport} starts. */
export interface ExecTransportSpec {
  /** The program and its arguments. */
  argv: string[];
  /** The whole environment of the server. */
  env: Record<string, string>;
  /** The folder it runs in. */
  cwd: string;
}

/**
 * An SDK `Transport` over a process the executor starts.
 *
 * @example
 * ```ts ignore
 * const transport = new ExecTransport({ argv: ["mcp-fs", "."], env, cwd }, plainExecutor);
 * await new Client({ name: "x", version: "1" }).connect(transport);
 * ```
 */
export class ExecTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Why the transport gave up on the server, when it did. */
  failure?: string;
  readonly #spec: ExecTransportSpec;
  readonly #executor: Executor;
  #process: ExecProcess | null = null;
  #input: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #stdout: Promise<void> = Promise.resolve();
  #stderr = "";
  #closed = false;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  /** Takes what to start; nothing starts until `start()`. */
  constructor(spec: ExecTransportSpec, executor: Executor) {
    this.#spec = spec;
    this.#executor = executor;
  }

  /** The last characters the server wrote to stderr. */
  stderrTail(): string {
    return this.#stderr;
  }

  /**
   * Starts the server.
   *
   * @throws {Error} with `code` `ENOENT` (no such program) or `EACCES`
   *   (not executable), like a failed spawn.
   */
  async start(): Promise<void> {
    await this.#checkProgram();
    const child = await this.#executor.spawn({
      argv: this.#spec.argv,
      env: this.#spec.env,
      cwd: this.#spec.cwd,
      stdin: "piped",
    });
    this.#process = child;
    this.#input = child.stdin!.getWriter();
    this.#stdout = this.#read(child.stdout);
    this.#keepStderr(child.stderr);
    child.status.then(async (status) => {
      await Promise.race([
        this.#stdout,
        new Promise((resolve) => setTimeout(resolve, DRAIN_MS)),
      ]);
      if (!status.success && !this.failure) {
        this.failure = `it exited with code ${status.code}`;
      }
      this.#finish();
    });
  }

  /** Writes one message to the server's stdin. */
  async send(
    message: JSONRPCMessage,
    _options?: TransportSendOptions,
  ): Promise<void> {
    if (!this.#input || this.#closed) throw new Error("Not connected");
    await this.#input.write(this.#encoder.encode(serializeMessage(message)));
  }

  /** Ends the server's input, gives it a moment, then kills its tree. */
  async close(): Promise<void> {
    const child = this.#process;
    if (!child) return this.#finish();
    await this.#input?.close().catch(() => {});
    await Promise.race([
      child.status,
      new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS)),
    ]);
    await child.killTree();
    this.#finish();
  }

  /** Fails like a spawn would for a program that is missing or not executable. */
  async #checkProgram(): Promise<void> {
    const [program] = this.#spec.argv;
    const path = !program.includes("/")
      ? findExecutable(program, this.#spec.env.PATH)
      : program.startsWith("/")
      ? program
      : join(this.#spec.cwd, program);
    const info = path ? await Deno.stat(path).catch(() => null) : null;
    const code = !info?.isFile
      ? "ENOENT"
      : ((info.mode ?? 0o111) & 0o111) === 0
      ? "EACCES"
      : null;
    if (code) {
      throw Object.assign(new Error(`spawn ${program} ${code}`), { code });
    }
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#input?.close().catch(() => {});
    this.onclose?.();
  }

  async #read(stdout: ReadableStream<Uint8Array>): Promise<void> {
    let pending = new Uint8Array(0);
    let over = false;
    try {
      // Each chunk is done with before the next read (what is left of a
      // line is copied out), so one read buffer serves every reply.
      await readChunks(stdout, READ_BYTES, (chunk) => {
        if (over) return false;
        let data = chunk;
        if (pending.length) {
          data = new Uint8Array(pending.length + chunk.length);
          data.set(pending);
          data.set(chunk, pending.length);
        }
        let from = 0;
        for (let at = data.indexOf(NEWLINE); at !== -1;) {
          this.#deliver(data.subarray(from, at));
          from = at + 1;
          at = data.indexOf(NEWLINE, from);
        }
        pending = data.slice(from);
        if (pending.length > MAX_MESSAGE_BYTES) {
          over = true;
          pending = new Uint8Array(0);
          this.failure = `it sent a message over ${
            MAX_MESSAGE_BYTES / 1024 / 1024
          } MB`;
          this.onerror?.(new Error(`MCP server ${this.failure}`));
          return this.close().then(() => false);
        }
        return false;
      });
    } catch {
      // The stream ended with the process.
    }
  }

  #deliver(line: Uint8Array): void {
    const text = this.#decoder.decode(line).replace(/\r$/, "");
    if (!text.trim()) return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(text);
    } catch (error) {
      // A server that prints other things on stdout: the SDK reports and skips them too.
      this.onerror?.(error as Error);
      return;
    }
    this.onmessage?.(message);
  }

  #keepStderr(stderr: ReadableStream<Uint8Array>): void {
    (async () => {
      for await (const text of stderr.pipeThrough(new TextDecoderStream())) {
        this.#stderr = (this.#stderr + text).slice(-STDERR_KEEP);
      }
    })().catch(() => {});
  }
}
