/**
 * Lists the models an OpenAI-compatible server offers (`GET /models`), for
 * `/model`.
 *
 * @module
 */

import { type ResolvedModel, resolveModel } from "./models.ts";

/** The models a server lists, and where it was asked. */
export interface ModelList {
  baseURL: string;
  /** Model ids as the server names them. */
  ids: string[];
}

/**
 * Asks the server that `model` resolves to for its model list.
 *
 * @throws {Error} with one sentence when the server cannot be asked or
 * answers badly; `signal`'s reason when it aborts first.
 * @example
 * ```ts ignore
 * const { ids } = await listModels("openai/gpt-4o", { env: Deno.env.get });
 * ```
 */
export async function listModels(
  model: string,
  options: { apiBase?: string; env: (name: string) => string | undefined },
  timeoutMs = 10_000,
  signal?: AbortSignal,
): Promise<ModelList> {
  const resolved: ResolvedModel = resolveModel(model, options);
  const url = `${resolved.baseURL.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: resolved.apiKey
        ? { authorization: `Bearer ${resolved.apiKey}` }
        : {},
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new Error(
      `Cannot list the models of ${resolved.baseURL}: ${
        (error as Error).message
      }`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `${resolved.baseURL} answered HTTP ${response.status} when asked for its models`,
    );
  }
  let body: { data?: { id?: unknown }[] };
  try {
    body = await response.json();
  } catch {
    throw new Error(`${resolved.baseURL} sent a model list that is not JSON`);
  }
  const ids = (Array.isArray(body.data) ? body.data : [])
    .map((m) => m?.id)
    .filter((id): id is string => typeof id === "string");
  return { baseURL: resolved.baseURL, ids };
}

/**
 * The id a `provider/model` name is sent to its server as.
 *
 * @example
 * ```ts
 * import { modelIdOf } from "./list_models.ts";
 * console.log(modelIdOf("openrouter/openai/gpt-5-mini", { env: () => undefined })); // "openai/gpt-5-mini"
 * ```
 */
export function modelIdOf(
  model: string,
  options: { apiBase?: string; env: (name: string) => string | undefined },
): string {
  return resolveModel(model, options).modelId;
}
