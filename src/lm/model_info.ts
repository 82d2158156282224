/**
 * The limits a server lists for its models (`GET /models`): OpenRouter's
 * `context_length` and `top_provider.max_completion_tokens`, vLLM's
 * `max_model_len`, Groq's `context_window` and `max_completion_tokens`,
 * LM Studio's `max_context_length`, and llama.cpp's running context
 * (`/props`).
 *
 * @module
 */

/** A model's limits as its server lists them. */
export interface ModelInfo {
  /** Context window in tokens. */
  window?: number;
  /** Most output tokens per reply. */
  maxOutput?: number;
  /** The kind of local server, when its listing tells (`owned_by`). */
  server?: "llama.cpp" | "vllm";
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : undefined;
}

/**
 * Reads one entry of a `/models` list.
 *
 * @example
 * ```ts
 * import { limitsOfEntry } from "./model_info.ts";
 * limitsOfEntry({ id: "m", max_model_len: 32768 }); // { window: 32768 }
 * ```
 */
export function limitsOfEntry(entry: Record<string, unknown>): ModelInfo {
  const top = isRecord(entry.top_provider) ? entry.top_provider : {};
  const meta = isRecord(entry.meta) ? entry.meta : {};
  const info: ModelInfo = {};
  const window = count(top.context_length) ?? count(entry.context_length) ??
    count(entry.max_model_len) ?? count(entry.context_window) ??
    count(entry.max_context_length) ?? count(meta.n_ctx_train);
  const maxOutput = count(top.max_completion_tokens) ??
    count(entry.max_completion_tokens) ?? count(entry.max_output_tokens);
  if (window !== undefined) info.window = window;
  if (maxOutput !== undefined) info.maxOutput = maxOutput;
  return info;
}

/**
 * Asks `baseURL/models` (and for llama.cpp `/props`) for a model's limits.
 * Any failure (no route, no such model, a slow server) gives `{}`.
 *
 * @example
 * ```ts ignore
 * import { fetchModelInfo } from "./model_info.ts";
 * const info = await fetchModelInfo("http://127.0.0.1:8000/v1", "qwen", "local", fetch, 2000);
 * ```
 */
export async function fetchModelInfo(
  baseURL: string,
  modelId: string,
  apiKey: string,
  fetchFn: Fetch,
  timeoutMs: number,
): Promise<ModelInfo> {
  const headers = { authorization: `Bearer ${apiKey}` };
  const get = async (url: string): Promise<unknown> => {
    const res = await fetchFn(url, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    return await res.json();
  };
  try {
    const list = await get(`${baseURL.replace(/\/+$/, "")}/models`);
    const data = isRecord(list) && Array.isArray(list.data) ? list.data : [];
    // A local server that serves one model (llama.cpp) answers to any name.
    const entry = (data.find((m) =>
      isRecord(m) && (m.id === modelId || m.canonical_slug === modelId)
    ) ?? (data.length === 1 ? data[0] : undefined)) as
      | Record<string, unknown>
      | undefined;
    if (!entry) {
      return {};
    }
    const info = limitsOfEntry(entry);
    if (entry.owned_by === "vllm") {
      info.server = "vllm";
    }
    if (entry.owned_by === "llamacpp") {
      info.server = "llama.cpp";
      // /v1/models shows the training context; /props the one the server runs.
      const props = await get(new URL("/props", baseURL).href).catch(() => {});
      const settings =
        isRecord(props) && isRecord(props.default_generation_settings)
          ? props.default_generation_settings
          : {};
      const nCtx = count(settings.n_ctx) ??
        (isRecord(props) ? count(props.n_ctx) : undefined);
      if (nCtx !== undefined) {
        info.window = nCtx;
      }
    }
    return info;
  } catch {
    return {};
  }
}
