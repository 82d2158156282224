/**
 * Reads the limits a provider states in its error messages: the most
 * output tokens a model allows, its context window, the prompt size the
 * server counted, and what an account's credit can pay for.
 *
 * The wordings are the providers' own (quoted in `tests/helpers/emulator/
 * errors.ts` with where each was found).
 *
 * @module
 */

/** A limit read from an error message. */
export interface LimitHint {
  /** Most output tokens the model (or provider) allows per reply. */
  maxOutput?: number;
  /** The model's context window in tokens. */
  window?: number;
  /** Prompt tokens the server counted for the failed request. */
  inputTokens?: number;
  /** Output tokens the account's credit can pay for (OpenRouter, HTTP 402). */
  affordable?: number;
}

const num = (text: string | undefined) =>
  text === undefined ? undefined : Number(text.replace(/[,_]/g, ""));

/** Output caps: OpenAI, DeepSeek, Anthropic, Groq, Mistral-style. */
const OUTPUT_PATTERNS: RegExp[] = [
  // OpenAI: "This model supports at most 16384 completion tokens"
  /supports at most ([\d,]+) completion tokens/i,
  // DeepSeek: "the valid range of max_tokens is [1, 8192]"
  /valid range of max_(?:completion_)?tokens is \[\s*\d+\s*,\s*([\d,]+)\s*\]/i,
  // Anthropic: "max_tokens: 50000 > 32000, which is the maximum allowed number of output tokens"
  /max_tokens:\s*[\d,]+\s*>\s*([\d,]+),\s*which is the maximum allowed/i,
  // Groq: "`max_tokens` must be less than or equal to `32768`"
  /max_(?:completion_)?tokens`? must be less than or equal to `?([\d,]+)/i,
  // Generic: "max_tokens must be at most 8192" / "maximum output tokens is 8192"
  /max_(?:completion_|output_)?tokens`? (?:must be|should be|cannot exceed|can be at most) (?:at most |<= ?)?`?([\d,]+)/i,
  // Novita (via OpenRouter): "max_tokens (current value: 65536) must be between 0 and 32768"
  /max_(?:completion_)?tokens[^.;]*?must be between \d+ and ([\d,]+)/i,
  // Moonshot: "max_tokens ... is not valid: integer above maximum value, expected a value <= 32768, but got 48000"
  /max_(?:completion_)?tokens[^;]*?expected a value <= ?([\d,]+)/i,
  // Hugging Face TGI: "`max_new_tokens` must be <= 192. Given: 256"
  /^(?:Input validation error: )?`?max_new_tokens`? must be <= ([\d,]+)/i,
];

/** Gemini: "maxOutputTokens value of 50000 but the supported range is from 1 (inclusive) to 8193 (exclusive)". */
const EXCLUSIVE_CAP =
  /maxOutputTokens value of [\d,]+ but the supported range is from \d+ \(inclusive\) to ([\d,]+) \(exclusive\)/i;

/** Context windows with the counted prompt: OpenAI, vLLM (old and new), llama.cpp. */
const WINDOW_PATTERNS: { re: RegExp; window: number; input?: number }[] = [
  // vLLM >= 0.9: "maximum context length is 32768 tokens and your request has 773 input tokens"
  {
    re:
      /maximum context length is ([\d,]+) tokens and your request has ([\d,]+) input tokens/i,
    window: 1,
    input: 2,
  },
  // OpenAI / old vLLM: "maximum context length is 8192 tokens. However, you requested 8256 tokens (64 in the messages, 8192 in the completion)"
  {
    re:
      /maximum context length is ([\d,]+) tokens\. However, you requested [\d,]+ tokens \(([\d,]+) in the messages/i,
    window: 1,
    input: 2,
  },
  // OpenRouter: "This endpoint's maximum context length is 131072 tokens. However, you requested about 141607 tokens (10535 of text input, 131072 in the output)"
  {
    re:
      /maximum context length is ([\d,]+) tokens\. However, you requested about [\d,]+ tokens \(([\d,]+) of text input/i,
    window: 1,
    input: 2,
  },
  // vLLM: "... maximum context length is 128000 tokens. However, you requested 65535 output tokens and your prompt contains at least 62466 input tokens"
  {
    re:
      /maximum context length is ([\d,]+) tokens\.[^.]*?prompt contains at least ([\d,]+) input tokens/i,
    window: 1,
    input: 2,
  },
  // vLLM: "... maximum context length is 32768 tokens. However, your request has 40000 input tokens"
  {
    re:
      /maximum context length is ([\d,]+) tokens\.[^.]*?request has ([\d,]+) input tokens/i,
    window: 1,
    input: 2,
  },
  // llama.cpp (newer): "request (4390 tokens) exceeds the available context size (4096 tokens)"
  {
    re:
      /request \(([\d,]+) tokens\) exceeds the available context size \(([\d,]+) tokens\)/i,
    window: 2,
    input: 1,
  },
  // Hugging Face TGI (Together): "`inputs` tokens + `max_new_tokens` must be <= 8192. Given: 6204 `inputs` tokens and 2047 `max_new_tokens`"
  {
    re:
      /`?inputs`? tokens \+ `?max_new_tokens`? must be <= ([\d,]+)\. Given: ([\d,]+) `?inputs`? tokens/i,
    window: 1,
    input: 2,
  },
  // TGI: "`inputs` must have less than 4096 tokens. Given: 4545"
  {
    re: /`?inputs`? must have less than ([\d,]+) tokens\. Given: ([\d,]+)/i,
    window: 1,
    input: 2,
  },
  // Gemini: "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576)"
  {
    re:
      /input token count \(([\d,]+)\) exceeds the maximum number of tokens allowed \(([\d,]+)\)/i,
    window: 2,
    input: 1,
  },
  // Anthropic: "prompt is too long: 210000 tokens > 200000 maximum"
  {
    re: /prompt is too long: ([\d,]+) tokens > ([\d,]+) maximum/i,
    window: 2,
    input: 1,
  },
  // Generic: "maximum context length is 8192 tokens" / "context window of 4096"
  { re: /maximum context length is ([\d,]+)/i, window: 1 },
  {
    re: /context (?:window|length|size) (?:is |of )?([\d,]+) tokens/i,
    window: 1,
  },
];

/**
 * Reads the limit an error states, from its message and (for llama.cpp,
 * which puts the numbers in fields) its error object. `null` when it states
 * none.
 *
 * @example
 * ```ts
 * import { parseLimit } from "./limits.ts";
 * parseLimit("Invalid max_tokens value, the valid range of max_tokens is [1, 8192]");
 * // { maxOutput: 8192 }
 * parseLimit("This request requires more credits, or fewer max_tokens. You requested up to 50000 tokens, but can only afford 12837.");
 * // { affordable: 12837 }
 * ```
 */
export function parseLimit(
  detail: string,
  fields: Record<string, unknown> = {},
): LimitHint | null {
  const hint: LimitHint = {};
  const afford = /can only afford ([\d,]+)/i.exec(detail);
  if (afford) hint.affordable = num(afford[1]);
  for (const re of OUTPUT_PATTERNS) {
    const m = re.exec(detail);
    if (m) {
      hint.maxOutput = num(m[1]);
      break;
    }
  }
  const exclusive = EXCLUSIVE_CAP.exec(detail);
  if (exclusive) hint.maxOutput = num(exclusive[1])! - 1;
  for (const { re, window, input } of WINDOW_PATTERNS) {
    const m = re.exec(detail);
    if (m) {
      hint.window = num(m[window]);
      if (input !== undefined) hint.inputTokens = num(m[input]);
      break;
    }
  }
  // llama.cpp: { type: "exceed_context_size_error", n_prompt_tokens, n_ctx }
  if (typeof fields.n_ctx === "number") hint.window = fields.n_ctx;
  if (typeof fields.n_prompt_tokens === "number") {
    hint.inputTokens = fields.n_prompt_tokens;
  }
  const valid = Object.values(hint).every((v) =>
    typeof v === "number" && Number.isFinite(v) && v >= 0
  );
  return valid && Object.keys(hint).length > 0 ? hint : null;
}

/**
 * Whether an error says the prompt (with the requested output) does not
 * fit the context window, in any provider's words.
 *
 * @example
 * ```ts
 * import { isContextError } from "./limits.ts";
 * isContextError("the request exceeds the available context size, try increasing it"); // true
 * ```
 */
export function isContextError(detail: string): boolean {
  return CONTEXT_WORDS.test(detail);
}

const CONTEXT_WORDS =
  /context.?length|context window|context size|maximum context|too many tokens|prompt is too long|input is too long|reduce the length|token limit|tokens? exceeds?|exceed_context_size|input token count \(\d+\) exceeds|inputs`? tokens \+ `?max_new_tokens|inputs`? must have less than \d+ tokens/i;
