/**
 * What the environment says about a provider's server beyond its key, in
 * the names the tools users come from read (LiteLLM, the OpenAI SDK,
 * Ollama's own CLI), and the names OpenRouter gives the models it serves
 * for other providers.
 *
 * @module
 */

/** Variables that move a provider's server, in the order they are read. */
const BASE_URL_VARS: Readonly<Record<string, readonly string[]>> = {
  // The OpenAI SDKs read OPENAI_BASE_URL; LiteLLM (the Python original's
  // client) also OPENAI_API_BASE.
  openai: ["OPENAI_BASE_URL", "OPENAI_API_BASE"],
  // LiteLLM reads OPENROUTER_API_BASE (a proxy in front of OpenRouter).
  openrouter: ["OPENROUTER_API_BASE"],
  // LiteLLM reads OLLAMA_API_BASE; Ollama's CLI OLLAMA_HOST.
  ollama: ["OLLAMA_API_BASE", "OLLAMA_HOST"],
  ollama_chat: ["OLLAMA_API_BASE", "OLLAMA_HOST"],
  lm_studio: ["LM_STUDIO_API_BASE"],
  hosted_vllm: ["HOSTED_VLLM_API_BASE"],
};

/** Variables that name a server (a host, or a root without the API path). */
const SERVER_VARS = new Set(["OLLAMA_API_BASE", "OLLAMA_HOST"]);

/**
 * The base URL the environment gives a provider, and the variable it came
 * from. Ollama's variables name a server, which is made whole: a bare host
 * (`OLLAMA_HOST=gpu-box`, `0.0.0.0:11434`) gets `http://` and the default
 * port of `defaultBase`, and a server root (`http://gpu-box:11434`) gets
 * the API path of `defaultBase` (`/v1`). `undefined` when none is set.
 *
 * @example
 * ```ts
 * import { baseUrlFromEnv } from "./provider_env.ts";
 * const env = (name: string) => name === "OLLAMA_HOST" ? "gpu-box" : undefined;
 * baseUrlFromEnv("ollama", "http://localhost:11434/v1", env)?.url; // "http://gpu-box:11434/v1"
 * ```
 */
export function baseUrlFromEnv(
  provider: string,
  defaultBase: string,
  env: (name: string) => string | undefined,
): { url: string; variable: string } | undefined {
  for (const variable of BASE_URL_VARS[provider] ?? []) {
    const value = env(variable)?.trim();
    if (!value) continue;
    return {
      url: SERVER_VARS.has(variable) ? completeUrl(value, defaultBase) : value,
      variable,
    };
  }
  return undefined;
}

function completeUrl(value: string, defaultBase: string): string {
  const fallback = new URL(defaultBase);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
    ? value
    : `${fallback.protocol}//${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return value; // resolveModel reports it as an invalid URL
  }
  if (!/:\d+$/.test(url.host) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    url.port = fallback.port;
  }
  if (url.pathname === "/" || url.pathname === "") {
    url.pathname = fallback.pathname;
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * The id OpenRouter knows a provider's model by. Anthropic's names carry a
 * snapshot date and dashes where OpenRouter has a version with a dot
 * (`claude-sonnet-4-5-20250929` is `anthropic/claude-sonnet-4.5` there,
 * `claude-3-7-sonnet-latest` is `anthropic/claude-3.7-sonnet`); Mistral's
 * `-latest` aliases have no suffix there.
 *
 * @example
 * ```ts
 * import { openrouterModelId } from "./provider_env.ts";
 * openrouterModelId("anthropic", "anthropic", "claude-sonnet-4-5-20250929"); // "anthropic/claude-sonnet-4.5"
 * openrouterModelId("openai", "openai", "gpt-4"); // "openai/gpt-4"
 * ```
 */
export function openrouterModelId(
  provider: string,
  vendor: string,
  modelId: string,
): string {
  let id = modelId;
  if (provider === "anthropic") {
    id = id.replace(/-(?:\d{8}|latest)$/, "").replace(/(\d)-0$/, "$1")
      .replace(/(?<=\D|^)(\d)-(\d)(?=-|$)/g, "$1.$2");
  } else if (provider === "mistral") {
    id = id.replace(/-latest$/, "");
  }
  return `${vendor}/${id}`;
}
