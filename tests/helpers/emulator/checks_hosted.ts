/**
 * What the hosted providers of `profiles_hosted.ts` (and Groq's and
 * OpenRouter's upstreams) check that the OpenAI-style ones do not, each
 * refusal in that provider's own body (see `errors_hosted.ts`).
 *
 * @module
 */

import type { CheckContext } from "./checks.ts";
import { type ErrorReply, OPENROUTER } from "./errors.ts";
import {
  GEMINI,
  GROQ_EFFORT,
  MISTRAL,
  MOONSHOT,
  OLLAMA,
  TGI,
  UPSTREAM,
  XAI,
} from "./errors_hosted.ts";
import type { ModelSpec } from "./profiles.ts";
import type { EmuRequest } from "./server.ts";

/**
 * The provider's answer to a request without the right key, when it has a
 * body of its own (Gemini and xAI answer HTTP 400); `null` otherwise.
 *
 * @example
 * ```ts ignore
 * const refused = hostedKeyError("gemini", "bad");
 * ```
 */
export function hostedKeyError(
  provider: string,
  key: string,
): ErrorReply | null {
  if (provider === "gemini") return GEMINI.badKey();
  if (provider === "xai") return XAI.badKey(key || "none");
  return null;
}

/**
 * Requests the provider refuses: a model Ollama cannot load, Mistral's extra inputs,
 * `reasoning_effort` where a model takes none (Groq, xAI), an empty
 * message (Gemini). `null` when it accepts them.
 *
 * @example
 * ```ts ignore
 * const refused = hostedRefusal(req, ctx, spec);
 * ```
 */
export function hostedRefusal(
  req: EmuRequest,
  ctx: CheckContext,
  spec: ModelSpec,
): ErrorReply | null {
  const { body, messages } = req;
  const provider = ctx.options.provider;
  const memory = ctx.options.memory;
  if (provider === "ollama" && memory && memory.needGiB > memory.freeGiB) {
    return OLLAMA.noMemory(memory.needGiB, memory.freeGiB);
  }
  if (provider === "mistral") {
    if (body.stream_options !== undefined) {
      return MISTRAL.extraInput(
        ["body", "stream_options", "include_usage"],
        true,
      );
    }
    if (body.max_completion_tokens !== undefined) {
      return MISTRAL.extraInput(
        ["body", "max_completion_tokens"],
        body.max_completion_tokens,
      );
    }
  }
  const effort = body.reasoning_effort;
  if (effort !== undefined) {
    if (spec.effortRefusal === "unsupported") return GROQ_EFFORT.unsupported();
    if (spec.effortRefusal === "xai") return XAI.effortUnsupported();
    if (
      spec.effortRefusal === "noneOrDefault" && effort !== "none" &&
      effort !== "default"
    ) return GROQ_EFFORT.noneOrDefault();
  }
  if (
    provider === "gemini" && messages.some((m) => m.content.trim() === "")
  ) return GEMINI.emptyText();
  return null;
}

/**
 * The provider's refusal of an output limit over the model's cap (`asked`
 * over `cap`); `null` when it is not one of these providers.
 *
 * @example
 * ```ts ignore
 * const refused = hostedMaxTokens("moonshot", spec, 50000, 32768);
 * ```
 */
export function hostedMaxTokens(
  provider: string,
  spec: ModelSpec,
  asked: number,
  cap: number,
): ErrorReply | null {
  if (provider === "gemini") return GEMINI.maxTokens(asked, cap);
  if (provider === "moonshot") return MOONSHOT.maxTokens(asked, cap);
  if (provider === "openrouter" && spec.upstream === "Novita") {
    return OPENROUTER.upstream(
      400,
      UPSTREAM.novitaMaxTokens(asked, cap),
      "Novita",
    );
  }
  return null;
}

/**
 * The provider's refusal of a prompt and output over the window; `null`
 * when it fits or the provider is not one of these.
 *
 * @example
 * ```ts ignore
 * const refused = hostedContext("tgi", req, spec, 50000);
 * ```
 */
export function hostedContext(
  provider: string,
  req: EmuRequest,
  spec: ModelSpec,
  asked: number,
): ErrorReply | null {
  const input = req.promptTokens;
  if (provider === "gemini" && input > spec.window) {
    return GEMINI.context(input, spec.window);
  }
  if (provider === "tgi" && input + asked > spec.window) {
    // Streamed, TGI answers 200 and sends the error as the stream's event.
    return {
      status: req.body.stream === true ? 200 : 422,
      body: TGI.context(spec.window, input, asked),
      sse: req.body.stream === true,
    };
  }
  return null;
}
