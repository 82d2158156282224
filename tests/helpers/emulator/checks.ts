/**
 * What the emulated providers check before they answer, in their order:
 * key, quota, model, concurrency, endpoint, parameters, empty messages,
 * credit, output limit, context window. Each refusal is the provider's
 * real error body (see `errors.ts`).
 *
 * @module
 */

import {
  ANTHROPIC,
  DEEPSEEK,
  type ErrorReply,
  GROQ,
  LLAMACPP,
  OPENAI,
  OPENROUTER,
  VLLM,
} from "./errors.ts";
import {
  hostedContext,
  hostedKeyError,
  hostedMaxTokens,
  hostedRefusal,
} from "./checks_hosted.ts";
import { type ModelSpec, PROFILES } from "./profiles.ts";
import type { EmulatorOptions, EmuRequest } from "./server.ts";

/** What a check needs besides the request. */
export interface CheckContext {
  options: EmulatorOptions;
  models: Record<string, ModelSpec>;
  /** The key the emulator accepts. */
  key: string;
  /** The request is for the Responses API. */
  responses: boolean;
  /** Requests in flight, this one included. */
  inFlight: number;
  /** llama.cpp's or Ollama's context size. */
  numCtx: number;
}

/**
 * The error the provider answers this request with, or `null` when it
 * accepts it.
 *
 * @example
 * ```ts ignore
 * const rejected = checkRequest(req, { options, models, key: "k", responses: false, inFlight: 1, numCtx: 8192 });
 * ```
 */
export function checkRequest(
  req: EmuRequest,
  ctx: CheckContext,
): ErrorReply | null {
  const { options, models, key, responses, inFlight, numCtx } = ctx;
  const profile = PROFILES[options.provider];
  const { body, messages } = req;
  const auth = req.headers["authorization"] ?? "";
  if (profile.needsKey && auth !== `Bearer ${key}`) {
    const given = auth.replace(/^Bearer /, "");
    return hostedKeyError(options.provider, given) ??
      (options.provider === "openrouter"
        ? {
          status: 401,
          body: { error: { message: "No auth credentials found", code: 401 } },
        }
        : OPENAI.badKey(given || "none"));
  }
  if (options.quotaExhausted) return OPENAI.quota();
  const model = String(body.model ?? "");
  const spec = models[model] ??
    (options.provider === "llamacpp" || options.provider === "tgi"
      ? Object.values(models)[0]
      : undefined);
  if (!spec) {
    if (options.provider === "openrouter") return OPENROUTER.noModel(model);
    if (options.provider === "vllm") {
      return {
        status: 404,
        body: {
          object: "error",
          message: `The model \`${model}\` does not exist.`,
          type: "NotFoundError",
          param: null,
          code: 404,
        },
      };
    }
    if (options.provider === "ollama") {
      return {
        status: 404,
        body: {
          error: {
            message: `model "${model}" not found, try pulling it first`,
            type: "api_error",
            param: null,
            code: null,
          },
        },
      };
    }
    return OPENAI.noModel(model);
  }
  if (
    options.maxConcurrent !== undefined && inFlight > options.maxConcurrent
  ) {
    const reply = OPENAI.rateLimited(model, 1);
    return {
      ...reply,
      headers: { "retry-after-ms": String(options.retryAfterMs ?? 50) },
    };
  }
  if (!responses && spec.responsesOnly) return OPENAI.responsesOnly();
  if (responses && body.messages !== undefined) {
    return OPENAI.responsesMessages();
  }
  if (options.rejectStreamOptions && body.stream_options !== undefined) {
    return OPENAI.unknownParameter("stream_options");
  }
  const unknown = options.unknownParams?.find((p) => body[p] !== undefined);
  if (unknown) return OPENAI.unknownParameter(unknown);
  const refused = hostedRefusal(req, ctx, spec);
  if (refused) return refused;
  if (
    options.unverifiedOrg && spec.streamNeedsVerification &&
    body.stream === true
  ) {
    return OPENAI.streamUnverified();
  }
  if (
    spec.wantsMaxCompletionTokens && !responses &&
    body.max_tokens !== undefined
  ) {
    return OPENAI.maxTokensUnsupported();
  }
  const upstream = spec.upstream;
  if (upstream === "Anthropic") {
    const turns = messages.filter((m) => m.role !== "system");
    const empty = turns.findIndex((m, i) =>
      m.content.trim() === "" && i < turns.length - 1
    );
    if (empty >= 0) {
      return OPENROUTER.upstream(
        400,
        ANTHROPIC.emptyMessage(empty),
        upstream,
      );
    }
    const marks = messages.filter((m) => m.breakpoint).length;
    if (marks > 4) {
      return OPENROUTER.upstream(
        400,
        ANTHROPIC.tooManyBreakpoints(marks),
        upstream,
      );
    }
  }
  if (
    options.provider === "vllm" &&
    messages.some((m) => m.role === "assistant" && m.content === "")
  ) {
    return VLLM.emptyAssistant();
  }
  const param = ["max_tokens", "max_completion_tokens", "max_output_tokens"]
    .find((p) => body[p] !== undefined);
  const asked = param ? Number(body[param]) : (spec.maxOutput ?? 4096);
  const input = req.promptTokens;
  if (options.provider === "openrouter") {
    if (
      options.affordableTokens !== undefined &&
      asked > options.affordableTokens
    ) {
      return OPENROUTER.credits(asked, options.affordableTokens);
    }
    if (input + asked > spec.window) {
      return OPENROUTER.context(
        spec.window,
        input,
        asked,
        upstream ?? "OpenAI",
      );
    }
  }
  const cap = spec.maxOutput;
  if (cap !== undefined && asked > cap) {
    const hosted = hostedMaxTokens(options.provider, spec, asked, cap);
    if (hosted) return hosted;
    switch (options.provider) {
      case "deepseek":
        return DEEPSEEK.maxTokens(cap);
      case "groq":
        return GROQ.maxTokens(param ?? "max_tokens", cap);
      case "openrouter":
        return upstream === "Anthropic"
          ? OPENROUTER.upstream(
            400,
            ANTHROPIC.maxTokens(asked, cap, spec.upstreamName ?? model),
            upstream,
          )
          : OPENROUTER.upstream(
            400,
            OPENAI.maxTokens(asked, cap, param ?? "max_tokens").body,
            upstream ?? "OpenAI",
          );
      default:
        return OPENAI.maxTokens(asked, cap, param ?? "max_tokens");
    }
  }
  const hostedWindow = hostedContext(options.provider, req, spec, asked);
  if (hostedWindow) return hostedWindow;
  switch (options.provider) {
    case "gemini":
    case "tgi":
      break;
    case "vllm":
      if (input + asked > spec.window) {
        return input < spec.window
          ? VLLM.maxTokens(asked, spec.window, input)
          : VLLM.context(spec.window, input, asked);
      }
      break;
    case "llamacpp":
      if (input > numCtx) return LLAMACPP.context(input, numCtx);
      break;
    case "ollama":
      break;
    case "deepseek":
      if (input + asked > spec.window) {
        return DEEPSEEK.context(spec.window, input, asked);
      }
      break;
    default:
      if (input + asked > spec.window) {
        return OPENAI.context(spec.window, input, asked);
      }
  }
  return null;
}
