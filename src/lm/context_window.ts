/**
 * How many tokens a model's context window holds, from its name (a table
 * of the common families), for the "% of context used" figure and
 * automatic compaction. Unknown models count as 128k.
 *
 * @module
 */

const WINDOWS: [RegExp, number][] = [
  [/gpt-5|codex/, 400_000],
  [/gpt-4\.1/, 1_047_576],
  [/gpt-4o|gpt-4-turbo|o1|o3|o4/, 128_000],
  [/gpt-4(?!\.|o)/, 8_192],
  [/gpt-3\.5/, 16_385],
  [/claude/, 200_000],
  [/gemini-(1\.5|2|3)/, 1_048_576],
  [/deepseek/, 128_000],
  [/grok-4/, 256_000],
  [/grok/, 131_072],
  [/qwen3-coder/, 262_144],
  [/qwen/, 32_768],
  [/llama-?3\.[1-3]|llama-?4/, 128_000],
  [/mistral-large|codestral/, 128_000],
  [/kimi-k2/, 131_072],
  [/glm-4/, 128_000],
];

/** Tokens assumed for a model not in the table. */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

/**
 * The context window of a model (`provider/model` names work).
 *
 * @example
 * ```ts
 * import { contextWindow } from "./context_window.ts";
 * console.log(contextWindow("openrouter/anthropic/claude-sonnet-4.5")); // 200000
 * console.log(contextWindow("ollama/some-local-model")); // 128000
 * ```
 */
export function contextWindow(model: string): number {
  const name = model.toLowerCase();
  for (const [pattern, tokens] of WINDOWS) {
    if (pattern.test(name)) return tokens;
  }
  return DEFAULT_CONTEXT_WINDOW;
}
