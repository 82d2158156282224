/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for
 * tests: each `POST /v1/chat/completions` takes the next scripted step.
 *
 * @module
 */

import { sleep } from "../../src/lm/retry.ts";

/** Token counts a step reports (OpenAI field names). */
export interface StepUsage {
  /** Prompt tokens. */
  prompt_tokens: number;
  /** Completion tokens. */
  completion_tokens: number;
  /** Prompt tokens served from the cache (`prompt_tokens_details.cached_tokens`). */
  cached_tokens?: number;
  /** OpenRouter-style cost in USD. */
  cost?: number;
}

/** One scripted response to `POST /v1/chat/completions`. */
export interface Step {
  /** The reply text (default `""`). */
  text?: string;
  /** Stream deltas (default: `text` split into a few pieces). */
  chunks?: string[];
  /** Reported usage (default: numbers derived from the lengths; `null`: none). */
  usage?: StepUsage | null;
  /** Default `stop`. */
  finishReason?: string;
  /** An HTTP error status to answer with instead of a completion. */
  status?: number;
  /** The JSON body of an error answer (default `{ error: { message } }`). */
  errorBody?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Wait before sending the response headers. */
  delayMs?: number;
  /** Wait before each stream chunk. */
  chunkDelayMs?: number;
  /** Break the connection after this many chunks (no `[DONE]`). */
  cutAfterChunks?: number;
  /** Send a non-JSON `data:` line in place of this chunk. */
  malformedChunkAt?: number;
  /** End the body cleanly after this many chunks (no finish chunk, no `[DONE]`). */
  endAfterChunks?: number;
  /** Stop sending after this many chunks but keep the connection open. */
  hangAfterChunks?: number;
  /** Pause after this many chunks until `resume` settles (the test decides when). */
  pauseAfterChunks?: number;
  /** Ends the pause of `pauseAfterChunks`. */
  resume?: Promise<unknown>;
  /** The model name reported back (default: the requested one). */
  model?: string;
}

/** The JSON body of a chat-completions request, as far as tests look. */
export interface RequestBody {
  /** The requested model id. */
  model?: string;
  /** The chat messages. */
  messages?: { role: string; content: string }[];
  /** Whether the client asked for SSE. */
  stream?: boolean;
  /** The completion token limit. */
  max_tokens?: number;
  /** Streaming options (`include_usage`). */
  stream_options?: { include_usage?: boolean };
  /** Anything else the client sent. */
  [key: string]: unknown;
}

/** A request the server received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path, e.g. `/v1/chat/completions`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body (`{}` when there was none or it was not JSON). */
  body: RequestBody;
}

/** Computes a step from the request and its 0-based chat-request index. */
export type StepFunction = (
  request: RecordedRequest,
  index: number,
) => Step | Promise<Step>;

/** A scripted step, or a function computing it. */
export type StepSource = Step | StepFunction;

/** A running scripted server. */
export interface LmServer extends AsyncDisposable {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Appends steps to the script. */
  push(...steps: StepSource[]): void;
  /** Stops the server, ending any hanging or delayed responses. */
  close(): Promise<void>;
}

/**
 * Starts a scripted OpenAI-compatible server on 127.0.0.1 (a free port).
 * Steps are used in order; a function script answers every request (after
 * any pushed steps). When the script runs out, the server answers 500 with
 * a message saying so. `GET /v1/models` lists `options.models` (default
 * one, `test-model`).
 *
 * @example
 * ```ts
 * import { startLmServer } from "./lm_server.ts";
 * await using server = await startLmServer([{ text: "hello" }]);
 * const res = await fetch(`${server.url}/chat/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "m", messages: [] }),
 * });
 * console.log((await res.json()).choices[0].message.content); // hello
 * ```
 */
export function startLmServer(
  script: StepSource[] | StepFunction = [],
  options: { models?: string[] } = {},
): Promise<LmServer> {
  const modelIds = options.models ?? ["test-model"];
  const queue: StepSource[] = Array.isArray(script) ? [...script] : [];
  const fallback = Array.isArray(script) ? undefined : script;
  const requests: RecordedRequest[] = [];
  const life = new AbortController();
  let chatCount = 0;

  const handler = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    const raw = await req.text();
    const recorded: RecordedRequest = {
      method: req.method,
      path,
      headers: Object.fromEntries(req.headers),
      body: parseBody(raw),
    };
    requests.push(recorded);
    if (req.method === "GET" && path === "/v1/models") {
      return json(200, {
        object: "list",
        data: modelIds.map((id) => ({
          id,
          object: "model",
          created: 0,
          owned_by: "lm_server",
        })),
      });
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return json(404, apiError(`no route for ${req.method} ${path}`));
    }
    const index = chatCount++;
    const source = queue.shift() ?? fallback;
    if (source === undefined) {
      const message = `script exhausted, no step for chat request #${
        index + 1
      }`;
      return json(500, apiError(message, "script_exhausted"));
    }
    const step = typeof source === "function"
      ? await source(recorded, index)
      : source;
    // Not req.signal: Deno.serve aborts it after every response (legacy behaviour).
    const signal = life.signal;
    if (step.delayMs) {
      try {
        await sleep(step.delayMs, signal);
      } catch {
        return new Response(null, { status: 499 });
      }
    }
    if (step.status !== undefined && step.status >= 400) {
      const body = step.errorBody ??
        apiError(`scripted HTTP ${step.status}`, "scripted");
      return json(step.status, body, step.headers);
    }
    const stream = recorded.body.stream === true;
    return stream
      ? streamResponse(step, recorded.body, index, life.signal)
      : plainResponse(step, recorded.body, index, life.signal);
  };

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
    // Also called for scripted cuts (a response body that errors): stay quiet.
    onError: (error) => json(500, apiError(`handler failed: ${error}`)),
  }, handler);
  let closing: Promise<void> | undefined;
  const close = () => {
    if (closing === undefined) {
      life.abort();
      closing = server.shutdown();
    }
    return closing;
  };
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    push: (...steps: StepSource[]) => void queue.push(...steps),
    close,
    [Symbol.asyncDispose]: close,
  });
}

/**
 * A model reply in the REPL format: free text, then one fenced js block.
 *
 * @example
 * ```ts
 * import { codeReply } from "./lm_server.ts";
 * codeReply("Read the file.", 'print(read_file("a.ts"))');
 * // "Read the file.\n\n```js\nprint(read_file(\"a.ts\"))\n```\n"
 * ```
 */
export function codeReply(reasoning: string, code: string): string {
  return `${reasoning}\n\n\`\`\`js\n${code}\n\`\`\`\n`;
}

const CREATED = 1_700_000_000;
const encoder = new TextEncoder();

function parseBody(raw: string): RequestBody {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as RequestBody;
    }
  } catch {
    // not JSON: recorded as an empty body
  }
  return {};
}

function apiError(message: string, type = "lm_server") {
  return { error: { message: `lm_server: ${message}`, type, code: null } };
}

function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function usageOf(step: Step, body: RequestBody, text: string) {
  const promptChars = (body.messages ?? []).reduce(
    (n, m) => n + String(m.content ?? "").length,
    0,
  );
  const u = step.usage ?? {
    prompt_tokens: Math.max(1, Math.ceil(promptChars / 4)),
    completion_tokens: Math.max(1, Math.ceil(text.length / 4)),
  };
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
    ...(u.cost === undefined ? {} : { cost: u.cost }),
  };
}

function splitText(text: string): string[] {
  if (text === "") return [];
  const size = Math.max(1, Math.ceil(text.length / 3));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    pieces.push(text.slice(i, i + size));
  }
  return pieces;
}

/** Sends `pieces` one by one, honouring the step's delay, cut and hang. */
function scriptedBody(
  pieces: string[],
  step: Step,
  life: AbortSignal,
): ReadableStream<Uint8Array> {
  const cancelled = new AbortController();
  const signal = AbortSignal.any([cancelled.signal, life]);
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for (let i = 0; i < pieces.length; i++) {
          if (i === step.endAfterChunks) break;
          if (i === step.cutAfterChunks) {
            // Let Deno flush the chunks sent so far, then drop the connection.
            await sleep(10, signal);
            throw new Error("lm_server: scripted cut");
          }
          if (i === step.hangAfterChunks) {
            await new Promise<void>((resolve) =>
              signal.addEventListener("abort", () => resolve(), { once: true })
            );
            throw new Error("lm_server: server closed during a hang");
          }
          if (i === step.pauseAfterChunks && step.resume) {
            await Promise.race([
              step.resume,
              new Promise<void>((resolve) =>
                signal.addEventListener("abort", () => resolve(), {
                  once: true,
                })
              ),
            ]);
          }
          if (step.chunkDelayMs) {
            await sleep(step.chunkDelayMs, signal);
          }
          if (signal.aborted) throw new Error("lm_server: aborted");
          controller.enqueue(encoder.encode(pieces[i]));
        }
        controller.close();
      } catch (error) {
        if (!cancelled.signal.aborted) controller.error(error);
      }
    },
    cancel() {
      cancelled.abort();
    },
  });
}

function streamResponse(
  step: Step,
  body: RequestBody,
  index: number,
  life: AbortSignal,
): Response {
  const text = step.text ?? step.chunks?.join("") ?? "";
  const chunks = step.chunks ?? splitText(text);
  const base = {
    id: `chatcmpl-lm-server-${index}`,
    object: "chat.completion.chunk",
    created: CREATED,
    model: step.model ?? body.model ?? "test-model",
    system_fingerprint: null,
  };
  const sse = (choices: unknown[], extra = {}) =>
    `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
  const choice = (delta: unknown, finish: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  });
  const pieces = chunks.map((content, i) =>
    sse([choice(i === 0 ? { role: "assistant", content } : { content })])
  );
  pieces.push(sse([choice({}, step.finishReason ?? "stop")]));
  if (body.stream_options?.include_usage && step.usage !== null) {
    pieces.push(sse([], { usage: usageOf(step, body, text) }));
  }
  pieces.push("data: [DONE]\n\n");
  if (step.malformedChunkAt !== undefined) {
    pieces[step.malformedChunkAt] = `data: {"id": not json\n\n`;
  }
  return new Response(scriptedBody(pieces, step, life), {
    status: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      ...step.headers,
    },
  });
}

function plainResponse(
  step: Step,
  body: RequestBody,
  index: number,
  life: AbortSignal,
): Response {
  const text = step.text ?? step.chunks?.join("") ?? "";
  const completion = step.malformedChunkAt !== undefined
    ? `{"id": not json`
    : JSON.stringify({
      id: `chatcmpl-lm-server-${index}`,
      object: "chat.completion",
      created: CREATED,
      model: step.model ?? body.model ?? "test-model",
      system_fingerprint: null,
      choices: [{
        index: 0,
        message: { role: "assistant", content: text, refusal: null },
        logprobs: null,
        finish_reason: step.finishReason ?? "stop",
      }],
      ...(step.usage === null ? {} : { usage: usageOf(step, body, text) }),
    });
  // Two pieces, so that cutAfterChunks / hangAfterChunks 1 break it mid-body.
  const half = Math.ceil(completion.length / 2);
  const pieces = [completion.slice(0, half), completion.slice(half)];
  return new Response(scriptedBody(pieces, step, life), {
    status: 200,
    headers: { "content-type": "application/json", ...step.headers },
  });
}
