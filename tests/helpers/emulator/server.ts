/**
 * A strict provider emulator on 127.0.0.1: it checks each request the way
 * the provider it plays does (key, model, endpoint, parameters, output
 * limit, context window, credit, empty messages, concurrency) and answers
 * with that provider's real error body, or with the scripted reply; Ollama
 * cuts an over-long prompt silently, as the real one does.
 *
 * @module
 */

import { sleep } from "../../../src/lm/retry.ts";
import { PromptCache, tokens } from "./cache.ts";
import { checkRequest } from "./checks.ts";
import { type ErrorReply, NGINX_PAGE } from "./errors.ts";
import {
  type ModelSpec,
  PROFILES,
  type ProviderName,
  tokensOf,
} from "./profiles.ts";
import { chatResponse, type EmuReply, responsesResponse } from "./wire.ts";

/** A text message as the emulator reads it. */
export interface EmuMessage {
  role: string;
  content: string;
  /** Whether it carried a `cache_control` breakpoint. */
  breakpoint: boolean;
}

/** A request the emulator received. */
export interface EmuRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The JSON body (`{}` when none). */
  body: Record<string, unknown>;
  /** The messages as text (chat `messages`, or Responses `instructions` + `input`). */
  messages: EmuMessage[];
  /** Prompt tokens as the emulator counted them. */
  promptTokens: number;
  /** The status it answered with. */
  status?: number;
}

/** Computes the reply to a chat request (index counts accepted ones from 0). */
export type ReplyScript = (
  request: EmuRequest,
  index: number,
) => EmuReply | Promise<EmuReply>;

/** How the emulator behaves. */
export interface EmulatorOptions {
  /** The provider it plays. */
  provider: ProviderName;
  /** Replies to accepted requests, in order, or a function computing them. */
  script: EmuReply[] | ReplyScript;
  /** The key it accepts (default `test-key`; local servers accept any). */
  apiKey?: string;
  /** Models added to (or replacing) the profile's. */
  models?: Record<string, ModelSpec>;
  /** OpenAI: the organisation is unverified, so gpt-5 and o3 cannot stream. */
  unverifiedOrg?: boolean;
  /** OpenRouter: the account's credit pays for this many output tokens. */
  affordableTokens?: number;
  /** OpenAI: the account has no quota left. */
  quotaExhausted?: boolean;
  /** Refuse `stream_options` (an OpenAI-style relay that does not know it). */
  rejectStreamOptions?: boolean;
  /** Refuse these parameters as unknown (an older server or a relay). */
  unknownParams?: string[];
  /** Answer 429 beyond this many requests in flight. */
  maxConcurrent?: number;
  /** With `maxConcurrent`: the wait it asks for (`retry-after-ms`, default 50). */
  retryAfterMs?: number;
  /** Wait before answering each chat request. */
  latencyMs?: number;
  /** llama.cpp's `--ctx-size` or Ollama's `num_ctx` (defaults 8192 and 4096). */
  numCtx?: number;
  /** Serve a web page instead of an API (a wrong --api-base). */
  html?: boolean;
  /** List models without their limits (as some servers do): limits are learnt from errors. */
  listLimits?: boolean;
  /** Ollama: the machine has this much free memory (GiB) and the model needs `needGiB`. */
  memory?: { freeGiB: number; needGiB: number };
}

/** A running emulator. */
export interface Emulator extends AsyncDisposable {
  /** The API base URL, e.g. `http://127.0.0.1:40123/api/v1`. */
  readonly url: string;
  /** Every request, in order. */
  readonly requests: EmuRequest[];
  /** The chat requests (chat completions and Responses, answered or refused), in order. */
  chats(): EmuRequest[];
  /** The most requests it had in flight at once. */
  readonly peakInFlight: number;
  /** Stops the server. */
  close(): Promise<void>;
}

function json(reply: ErrorReply | { status: number; body: unknown }): Response {
  if ("sse" in reply && reply.sse) {
    return new Response(`data: ${JSON.stringify(reply.body)}\n\n`, {
      status: reply.status,
      headers: { "content-type": "text/event-stream" },
    });
  }
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: {
      "content-type": "application/json",
      ...("headers" in reply ? reply.headers : {}),
    },
  });
}

function textOf(content: unknown): { text: string; breakpoint: boolean } {
  if (typeof content === "string") return { text: content, breakpoint: false };
  if (!Array.isArray(content)) return { text: "", breakpoint: false };
  let text = "";
  let breakpoint = false;
  for (const part of content) {
    if (typeof part?.text === "string") text += part.text;
    if (part?.cache_control) breakpoint = true;
  }
  return { text, breakpoint };
}

function readMessages(body: Record<string, unknown>): EmuMessage[] {
  const out: EmuMessage[] = [];
  if (typeof body.instructions === "string") {
    out.push({ role: "system", content: body.instructions, breakpoint: false });
  }
  const list = Array.isArray(body.messages)
    ? body.messages
    : Array.isArray(body.input)
    ? body.input
    : [];
  for (const m of list) {
    const { text, breakpoint } = textOf(m?.content);
    out.push({ role: String(m?.role ?? ""), content: text, breakpoint });
  }
  return out;
}

/**
 * Starts the emulator on a free port of 127.0.0.1.
 *
 * @example
 * ```ts ignore
 * await using emu = await startEmulator({ provider: "deepseek", script: [{ text: "hi" }] });
 * // run nanocode with --api-base emu.url
 * ```
 */
export function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const profile = PROFILES[options.provider];
  const models = { ...profile.models, ...options.models };
  const key = options.apiKey ?? "test-key";
  const queue = Array.isArray(options.script) ? [...options.script] : [];
  const requests: EmuRequest[] = [];
  const cache = new PromptCache(profile.autoCache);
  let accepted = 0;
  let inFlight = 0;
  let peak = 0;
  const numCtx = options.numCtx ??
    (options.provider === "ollama" ? 4_096 : 8_192);

  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const raw = await request.text();
    let body: Record<string, unknown> = {};
    try {
      const value = JSON.parse(raw);
      if (value && typeof value === "object" && !Array.isArray(value)) {
        body = value;
      }
    } catch { /* not JSON */ }
    const messages = readMessages(body);
    const req: EmuRequest = {
      method: request.method,
      path,
      headers: Object.fromEntries(request.headers),
      body,
      messages,
      promptTokens: tokens(messages),
    };
    requests.push(req);
    const answer = (response: Response) => {
      req.status = response.status;
      return response;
    };
    if (options.html) {
      return answer(
        new Response(NGINX_PAGE, {
          status: 200,
          headers: { "content-type": "text/html" },
        }),
      );
    }
    if (request.method === "GET" && path === `${profile.basePath}/models`) {
      const data = Object.entries(models).map(([id, spec]) =>
        options.listLimits === false
          ? { id, object: "model", owned_by: "emulator" }
          : profile.listing(id, spec)
      );
      return answer(json({ status: 200, body: { object: "list", data } }));
    }
    if (
      request.method === "GET" && path === "/props" &&
      options.provider === "llamacpp"
    ) {
      return answer(
        json({
          status: 200,
          body: {
            default_generation_settings: { n_ctx: numCtx },
            total_slots: 1,
          },
        }),
      );
    }
    const responses = options.provider === "openai" &&
      path === `${profile.basePath}/responses`;
    if (
      request.method !== "POST" ||
      (path !== `${profile.basePath}/chat/completions` && !responses)
    ) {
      return answer(
        json({
          status: 404,
          body: {
            error: {
              message: `Invalid URL (${request.method} ${path})`,
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          },
        }),
      );
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      const rejected = checkRequest(req, {
        options,
        models,
        key,
        responses,
        inFlight,
        numCtx,
      });
      if (rejected) return answer(json(rejected));
      const index = accepted++;
      if (options.latencyMs) await sleep(options.latencyMs);
      const model = String(body.model);
      const spec = models[model] ?? Object.values(models)[0];
      const reply = typeof options.script === "function"
        ? await options.script(req, index)
        : queue.shift() ?? { text: "emulator: script exhausted" };
      if (reply.error) return answer(json(reply.error));
      const usage = {
        prompt: options.provider === "ollama"
          ? Math.min(req.promptTokens, numCtx)
          : req.promptTokens,
        completion: tokensOf((reply.text ?? "") + (reply.reasoning ?? "")),
        cached: cache.cached(messages, spec),
      };
      const stream = body.stream === true;
      const includeUsage =
        (body.stream_options as { include_usage?: boolean } | undefined)
          ?.include_usage === true;
      const reasoningField = options.provider === "openrouter"
        ? "reasoning"
        : "reasoning_content";
      return answer(
        responses
          ? responsesResponse(reply, model, usage, stream)
          : chatResponse(
            reply,
            model,
            usage,
            stream,
            includeUsage,
            reasoningField,
          ),
      );
    } finally {
      inFlight--;
    }
  };

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
    onError: () => new Response(null, { status: 500 }),
  }, handler);
  const close = () => server.shutdown();
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}${profile.basePath}`,
    requests,
    chats: () => requests.filter((r) => r.method === "POST"),
    get peakInFlight() {
      return peak;
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}
