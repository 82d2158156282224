/**
 * Model names in the `provider/model` form (LiteLLM style) and the
 * OpenAI-compatible server, API key and model id each one maps to.
 *
 * @module
 */

import { baseUrlFromEnv, openrouterModelId } from "./provider_env.ts";

/** A provider nanocode knows by its model-name prefix. */
export interface Provider {
  /** The prefix before the first `/` of a model name, e.g. `openrouter`. */
  readonly name: string;
  /** Base URL of its OpenAI-compatible API (ends in `/v1` or similar). */
  readonly baseURL: string;
  /** Environment variable holding its API key; `null` when none is needed. */
  readonly keyVar: string | null;
  /** Where to get a key, shown in "key not set" errors. */
  readonly keysUrl?: string;
  /** Other variables that may hold its key (LiteLLM's names, for example). */
  readonly altKeyVars?: readonly string[];
  /** Its models' vendor prefix on OpenRouter, when OpenRouter serves them. */
  readonly openrouterVendor?: string;
  /** Its server needs no key; one in `keyVar` is sent when set. */
  readonly keyOptional?: boolean;
}

/**
 * The providers nanocode knows, by prefix. Any other OpenAI-compatible
 * server works through `apiBase`.
 *
 * @example
 * ```ts
 * import { PROVIDERS } from "./models.ts";
 * for (const p of Object.values(PROVIDERS)) console.log(p.name, p.baseURL);
 * ```
 */
export const PROVIDERS: Readonly<Record<string, Provider>> = Object.freeze({
  openrouter: {
    name: "openrouter",
    baseURL: "https://openrouter.ai/api/v1",
    keyVar: "OPENROUTER_API_KEY",
    keysUrl: "https://openrouter.ai/keys",
  },
  openai: {
    name: "openai",
    baseURL: "https://api.openai.com/v1",
    keyVar: "OPENAI_API_KEY",
    keysUrl: "https://platform.openai.com/api-keys",
    openrouterVendor: "openai",
  },
  anthropic: {
    name: "anthropic",
    // Anthropic's OpenAI SDK compatibility endpoint.
    baseURL: "https://api.anthropic.com/v1",
    keyVar: "ANTHROPIC_API_KEY",
    keysUrl: "https://console.anthropic.com/settings/keys",
    openrouterVendor: "anthropic",
  },
  ollama: {
    name: "ollama",
    baseURL: "http://localhost:11434/v1",
    keyVar: null,
  },
  ollama_chat: {
    name: "ollama_chat",
    baseURL: "http://localhost:11434/v1",
    keyVar: null,
  },
  lm_studio: {
    name: "lm_studio",
    baseURL: "http://localhost:1234/v1",
    keyVar: null,
  },
  groq: {
    name: "groq",
    baseURL: "https://api.groq.com/openai/v1",
    keyVar: "GROQ_API_KEY",
    keysUrl: "https://console.groq.com/keys",
  },
  deepseek: {
    name: "deepseek",
    baseURL: "https://api.deepseek.com/v1",
    keyVar: "DEEPSEEK_API_KEY",
    openrouterVendor: "deepseek",
  },
  mistral: {
    name: "mistral",
    baseURL: "https://api.mistral.ai/v1",
    keyVar: "MISTRAL_API_KEY",
    openrouterVendor: "mistralai",
  },
  xai: {
    name: "xai",
    baseURL: "https://api.x.ai/v1",
    keyVar: "XAI_API_KEY",
    openrouterVendor: "x-ai",
  },
  gemini: {
    name: "gemini",
    baseURL: "https://generativelanguage.googleapis.com/v1beta/openai",
    keyVar: "GEMINI_API_KEY",
    keysUrl: "https://aistudio.google.com/apikey",
    altKeyVars: ["GOOGLE_API_KEY"],
    openrouterVendor: "google",
  },
  together_ai: {
    name: "together_ai",
    baseURL: "https://api.together.xyz/v1",
    keyVar: "TOGETHERAI_API_KEY",
    altKeyVars: ["TOGETHER_API_KEY"],
  },
  // LiteLLM's name for a vLLM server of one's own (HOSTED_VLLM_API_BASE or --api-base).
  hosted_vllm: {
    name: "hosted_vllm",
    baseURL: "http://localhost:8000/v1",
    keyVar: "HOSTED_VLLM_API_KEY",
    keyOptional: true,
  },
});

/** The variable that, when set, supplies the API key for any provider. */
export const GENERIC_KEY_VAR = "NANOCODE_API_KEY";

/** The key sent to loopback servers that need none. */
export const LOCAL_API_KEY = "local";

/** Where a model name sends its requests, and with which key. */
export interface ResolvedModel {
  /** Provider prefix (`openrouter`, ...), or `custom` for a bare name. */
  provider: string;
  /** The model id sent to the server (the name without its prefix). */
  modelId: string;
  /** Base URL of the OpenAI-compatible API. */
  baseURL: string;
  /** The key to send; `null` when it is required but not set. */
  apiKey: string | null;
  /** The variable the key comes from (for messages); `null` if none. */
  keyVar: string | null;
  /** Set when the model goes through OpenRouter because only its key is set. */
  routedVia?: "openrouter";
  /** With `routedVia`: the variable of the provider's own key, which is not set. */
  ownKeyVar?: string;
}

/** Options of {@linkcode resolveModel}. */
export interface ResolveModelOptions {
  /** Overrides the provider's base URL (required for a bare model name). */
  apiBase?: string;
  /** Reads an environment variable. */
  env: (name: string) => string | undefined;
}

/**
 * Maps a `provider/model` name to its server, model id and API key.
 *
 * The key is `NANOCODE_API_KEY` when set, else the provider's variable
 * (`OPENROUTER_API_KEY`, ...); a loopback server or a keyless provider
 * (`ollama`) gets the placeholder `"local"` when neither is set. A missing
 * key is not an error here: `apiKey` is then `null`.
 *
 * Without `apiBase`, `openai/` models go to `OPENAI_BASE_URL` (or LiteLLM's
 * `OPENAI_API_BASE`) when it is set, `ollama/` models to `OLLAMA_API_BASE`
 * or `OLLAMA_HOST` (see {@linkcode baseUrlFromEnv}); and a model of a
 * provider OpenRouter serves (`openai/gpt-4`, `anthropic/...`) whose own key
 * is missing goes through OpenRouter when `OPENROUTER_API_KEY` is set
 * (`routedVia`, under OpenRouter's name for it), as in the Python original.
 *
 * Throws a `TypeError` for a name without a known provider prefix when no
 * `apiBase` is given, or for an `apiBase` that is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { resolveModel } from "./models.ts";
 * const m = resolveModel("openrouter/openai/gpt-5.2-codex", {
 *   env: (name) => name === "OPENROUTER_API_KEY" ? "sk-or-..." : undefined,
 * });
 * console.log(m.modelId, m.baseURL); // openai/gpt-5.2-codex https://openrouter.ai/api/v1
 * ```
 */
export function resolveModel(
  model: string,
  options: ResolveModelOptions,
): ResolvedModel {
  const name = model.trim();
  if (name === "") {
    throw new TypeError(
      "Model name is empty: set --lm, e.g. openrouter/openai/gpt-5.2-codex",
    );
  }
  const slash = name.indexOf("/");
  const prefix = slash > 0 ? name.slice(0, slash) : "";
  // Own keys only: "constructor/x" must not find Object's members.
  const provider = Object.hasOwn(PROVIDERS, prefix)
    ? PROVIDERS[prefix]
    : undefined;
  const apiBase = options.apiBase?.trim() || undefined;
  if (apiBase !== undefined) checkBaseUrl(apiBase);

  if (provider === undefined) {
    if (apiBase === undefined) {
      throw new TypeError(
        `Model "${name}" has no known provider prefix (${
          Object.keys(PROVIDERS).join("/, ")
        }/): set --api-base to its OpenAI-compatible server, or use a name like openrouter/${name}`,
      );
    }
    return withKey(
      { name: "custom", baseURL: apiBase, keyVar: GENERIC_KEY_VAR },
      name,
      apiBase,
      options.env,
    );
  }
  const modelId = name.slice(slash + 1);
  if (modelId === "") {
    throw new TypeError(
      `Model "${name}" names no model after "${provider.name}/"`,
    );
  }
  const fromEnv = baseUrlFromEnv(provider.name, provider.baseURL, options.env);
  const ownBase = fromEnv?.url;
  if (apiBase === undefined && fromEnv) {
    checkBaseUrl(fromEnv.url, fromEnv.variable);
  }
  const resolved = withKey(
    provider,
    modelId,
    apiBase ?? ownBase ?? provider.baseURL,
    options.env,
  );
  const router = PROVIDERS.openrouter;
  if (
    resolved.apiKey === null && apiBase === undefined &&
    ownBase === undefined && provider.openrouterVendor !== undefined &&
    nonEmpty(options.env(router.keyVar!)) !== undefined
  ) {
    return {
      ...withKey(
        router,
        openrouterModelId(provider.name, provider.openrouterVendor, modelId),
        baseUrlFromEnv(router.name, router.baseURL, options.env)?.url ??
          router.baseURL,
        options.env,
      ),
      routedVia: "openrouter",
      ownKeyVar: provider.keyVar ?? undefined,
    };
  }
  return resolved;
}

/**
 * Whether a URL points at this machine (127.0.0.0/8, `localhost`, `::1`).
 *
 * @example
 * ```ts
 * import { isLoopbackUrl } from "./models.ts";
 * isLoopbackUrl("http://127.0.0.1:8080/v1"); // true
 * isLoopbackUrl("https://openrouter.ai/api/v1"); // false
 * ```
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") ||
    host === "[::1]" || host === "0.0.0.0" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Reads an environment variable, as `undefined` when it is unset or when
 * the program has no `--allow-env` permission (instead of throwing).
 *
 * @example
 * ```ts
 * import { readEnv, resolveModel } from "./models.ts";
 * const model = resolveModel("openrouter/openai/gpt-5-mini", { env: readEnv });
 * ```
 */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function withKey(
  { name: provider, keyVar, altKeyVars = [], keyOptional }: Provider,
  modelId: string,
  baseURL: string,
  env: (name: string) => string | undefined,
): ResolvedModel {
  const model = { provider, modelId, baseURL };
  const generic = nonEmpty(env(GENERIC_KEY_VAR));
  if (generic !== undefined) {
    return { ...model, apiKey: generic, keyVar: GENERIC_KEY_VAR };
  }
  for (const name of keyVar === null ? [] : [keyVar, ...altKeyVars]) {
    const key = nonEmpty(env(name));
    if (key !== undefined) return { ...model, apiKey: key, keyVar: name };
  }
  if (keyVar === null || keyOptional || isLoopbackUrl(baseURL)) {
    return { ...model, apiKey: LOCAL_API_KEY, keyVar: null };
  }
  return { ...model, apiKey: null, keyVar };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function checkBaseUrl(apiBase: string, source = "--api-base"): void {
  let url: URL | undefined;
  try {
    url = new URL(apiBase);
  } catch {
    url = undefined;
  }
  if (
    url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")
  ) {
    throw new TypeError(
      `Invalid ${source} "${apiBase}": expected an http(s) URL like http://127.0.0.1:8080/v1`,
    );
  }
}
