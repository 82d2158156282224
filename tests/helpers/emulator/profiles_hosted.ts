/**
 * More providers the emulator plays: Gemini's OpenAI-compatible endpoint,
 * xAI, Mistral, Moonshot, and a Hugging Face text-generation-inference
 * server, with their models' limits as the providers publish them
 * (gemini-2.0-flash: 8,192 output tokens; kimi-k2: 32,768).
 *
 * @module
 */

import type { Profile } from "./profiles.ts";

/** The hosted providers added here. */
export type HostedName = "gemini" | "xai" | "mistral" | "moonshot" | "tgi";

const created = 1_720_000_000;

/** Their profiles. */
export const HOSTED_PROFILES: Readonly<Record<HostedName, Profile>> = {
  gemini: {
    basePath: "/v1beta/openai",
    needsKey: true,
    autoCache: true,
    models: {
      "gemini-2.5-flash": { window: 1_048_576, maxOutput: 65_536 },
      "gemini-2.0-flash": { window: 1_048_576, maxOutput: 8_192 },
    },
    // Gemini lists ids with a `models/` prefix and no limits.
    listing: (id) => ({
      id: `models/${id}`,
      object: "model",
      owned_by: "google",
    }),
  },
  xai: {
    basePath: "/v1",
    needsKey: true,
    autoCache: true,
    models: {
      "grok-4": { window: 256_000, effortRefusal: "xai" },
      "grok-code-fast-1": { window: 256_000 },
    },
    listing: (id) => ({ id, object: "model", created, owned_by: "xai" }),
  },
  mistral: {
    basePath: "/v1",
    needsKey: true,
    autoCache: false,
    models: { "mistral-large-latest": { window: 131_072 } },
    listing: (id) => ({
      id,
      object: "model",
      created,
      owned_by: "mistralai",
      max_context_length: 131_072,
    }),
  },
  moonshot: {
    basePath: "/v1",
    needsKey: true,
    autoCache: true,
    models: { "kimi-k2-0905-preview": { window: 262_144, maxOutput: 32_768 } },
    listing: (id) => ({ id, object: "model", created, owned_by: "moonshot" }),
  },
  tgi: {
    basePath: "/v1",
    needsKey: false,
    autoCache: false,
    models: { "tgi": { window: 8_192 } },
    // TGI lists one model, without its limits.
    listing: (id) => ({ id, object: "model", created, owned_by: "tgi" }),
  },
};
