/**
 * Finds a local OpenAI-compatible server (Ollama, llama.cpp, LM Studio on
 * their default ports) for when no API key is configured.
 *
 * @module
 */

/** A local server that answered, and the models it lists (chat models first). */
export interface LocalServer {
  name: string;
  baseUrl: string;
  models: string[];
}

/** Default places local model servers listen on. */
export const LOCAL_SERVERS: readonly { name: string; baseUrl: string }[] = [
  { name: "Ollama", baseUrl: "http://127.0.0.1:11434/v1" },
  { name: "llama.cpp", baseUrl: "http://127.0.0.1:8080/v1" },
  { name: "LM Studio", baseUrl: "http://127.0.0.1:1234/v1" },
];

/** Names of embedding and reranking models (nomic-embed-text, bge-m3, all-minilm, ...). */
const EMBEDDING =
  /embed|\bbge[-_]|minilm|rerank|\bgte[-_]|e5[-_](?:small|base|large|mistral)/i;

async function probe(
  candidate: { name: string; baseUrl: string },
  timeoutMs: number,
): Promise<LocalServer | null> {
  try {
    const response = await fetch(`${candidate.baseUrl}/models`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const body = await response.json() as { data?: { id?: unknown }[] };
    const models = (body.data ?? []).map((m) => m.id).filter((
      id,
    ): id is string => typeof id === "string");
    // Embedding models cannot chat ("embedding models do not support chat"): list them last.
    const chat = models.filter((id) => !EMBEDDING.test(id));
    return models.length
      ? {
        ...candidate,
        models: [...chat, ...models.filter((id) => EMBEDDING.test(id))],
      }
      : null;
  } catch {
    return null;
  }
}

/**
 * Asks each candidate for its model list (in parallel) and returns the
 * first in order that answered with at least one model.
 *
 * @example
 * ```ts ignore
 * const server = await findLocalServer(LOCAL_SERVERS);
 * if (server) console.log(`using ${server.name} at ${server.baseUrl}`);
 * ```
 */
export async function findLocalServer(
  candidates: readonly { name: string; baseUrl: string }[],
  timeoutMs = 400,
): Promise<LocalServer | null> {
  const found = await Promise.all(candidates.map((c) => probe(c, timeoutMs)));
  return found.find((s) => s !== null) ?? null;
}

/** The paragraph printed when there is no key and no local server. */
export function noModelHelp(keyVar: string | null, lm: string): string {
  return [
    `nanocode needs a model, and none is reachable: ${
      keyVar ? `${keyVar} is not set for ${lm}` : `${lm} needs an API key`
    }, and no local`,
    "OpenAI-compatible server answered on 127.0.0.1 (Ollama :11434, llama.cpp :8080, LM Studio :1234).",
    "Either export OPENROUTER_API_KEY (https://openrouter.ai/keys) to use the default models, export",
    "OPENAI_API_KEY and pass --lm openai/gpt-4o, start a local server (e.g. `ollama serve`), or pass",
    "--api-base URL --lm MODEL for any OpenAI-compatible server. Settings can also go in",
    ".nanocode/config.json or ~/.config/nanocode/config.json (see --help).",
  ].join("\n");
}
