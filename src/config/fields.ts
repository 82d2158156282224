/**
 * The configuration fields: names and defaults of the Python original
 * (plus `cell_timeout` and `permission_mode`), their flags and environment
 * variables, and parsing of raw values.
 *
 * @module
 */

import type { ReplName } from "../sandbox/types.ts";

/** Permission modes: what runs without asking (`plan`: read-only). */
export type PermissionMode = "ask" | "auto-edit" | "yolo" | "plan";

/** The permission modes, in order of increasing freedom (then `plan`, read-only). */
export const PERMISSION_MODES: readonly PermissionMode[] = [
  "ask",
  "auto-edit",
  "yolo",
  "plan",
];

/** The command sandbox setting: `auto` uses bubblewrap where it works, `off` never. */
export type SandboxSetting = "auto" | "off";

/** The sandbox settings. */
export const SANDBOX_SETTINGS: readonly SandboxSetting[] = ["auto", "off"];

/** The values of `repl`: the languages cells can be written in. */
export const REPL_SETTINGS: readonly ReplName[] = ["js", "python"];

/** nanocode's configuration. Field names follow the Python original. */
export interface Config {
  /** Main model, `provider/model`. */
  lm: string;
  /** Model behind `llm_query`. */
  sub_lm: string;
  /** Cells per turn before the extract call. */
  max_iters: number;
  /** Base URL of the OpenAI-compatible server. */
  api_base: string;
  /** Most tokens per model reply. */
  max_tokens: number;
  /** Characters of one observation the model sees. */
  max_output_chars: number;
  /** Show each step's reasoning, code and observation. */
  verbose: boolean;
  /** Count tokens and cost per turn. */
  track_usage: boolean;
  /**
   * Record the full trace of each turn: every tool call's arguments and
   * result unshortened and every sub-model query and answer in the session
   * file, and OpenTelemetry spans (turn, step, model call, tool call,
   * sub-model query) when Deno's export is on (`OTEL_DENO=true`).
   */
  track_trace: boolean;
  /** Seconds a cell may compute before the sandbox is restarted. */
  cell_timeout: number;
  /** What runs without asking. */
  permission_mode: PermissionMode;
  /** Seconds the model server may send nothing before the request is given up. */
  idle_timeout: number;
  /** Reasoning effort asked of models that support it; `""` leaves the provider's default. */
  reasoning_effort: string;
  /** Most `llm_query_batched` prompts in flight at once (lowered on HTTP 429). */
  sub_lm_concurrency: number;
  /** Whether commands run in the OS sandbox (bubblewrap) where it works. */
  sandbox: SandboxSetting;
  /** The language of cells: JavaScript, or Python (the original's) run by Pyodide. */
  repl: ReplName;
}

/** The reasoning efforts `reasoning_effort` takes. */
export const REASONING_EFFORTS: readonly string[] = [
  "",
  "minimal",
  "low",
  "medium",
  "high",
];

/**
 * The defaults, in declared order: the Python original's fields in its
 * order, then nanocode's own (the order `config.json` is written in).
 */
export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  max_iters: 50,
  lm: "openrouter/openai/gpt-5.2-codex",
  sub_lm: "openrouter/openai/gpt-5-mini",
  api_base: "https://openrouter.ai/api/v1",
  max_tokens: 50000,
  max_output_chars: 100000,
  verbose: false,
  track_usage: true,
  track_trace: false,
  cell_timeout: 120,
  permission_mode: "ask",
  idle_timeout: 600,
  reasoning_effort: "",
  sub_lm_concurrency: 32,
  sandbox: "auto",
  repl: "js",
});

/** A field's metadata. */
export interface FieldSpec {
  key: keyof Config;
  kind:
    | "string"
    | "integer"
    | "number"
    | "boolean"
    | "mode"
    | "effort"
    | "choice";
  /** The allowed values of a `choice` field. */
  choices?: readonly string[];
  /** Command-line flag without dashes, e.g. `max-iters`. */
  flag: string;
  /** Environment variable, e.g. `NANOCODE_MAX_ITERS`. */
  env: string;
  description: string;
  /** Smallest allowed value for numbers. */
  min?: number;
}

/** Every field, in declared order. */
export const FIELDS: readonly FieldSpec[] = [
  {
    key: "max_iters",
    kind: "integer",
    flag: "max-iters",
    env: "NANOCODE_MAX_ITERS",
    description: "cells per turn before the answer is extracted",
    min: 1,
  },
  {
    key: "lm",
    kind: "string",
    flag: "lm",
    env: "NANOCODE_LM",
    description: "main model (provider/model)",
  },
  {
    key: "sub_lm",
    kind: "string",
    flag: "sub-lm",
    env: "NANOCODE_SUB_LM",
    description: "model behind llm_query",
  },
  {
    key: "api_base",
    kind: "string",
    flag: "api-base",
    env: "NANOCODE_API_BASE",
    description: "OpenAI-compatible server URL",
  },
  {
    key: "max_tokens",
    kind: "integer",
    flag: "max-tokens",
    env: "NANOCODE_MAX_TOKENS",
    description: "most tokens per model reply",
    min: 1,
  },
  {
    key: "max_output_chars",
    kind: "integer",
    flag: "max-output-chars",
    env: "NANOCODE_MAX_OUTPUT_CHARS",
    description: "characters of cell output the model sees",
    min: 100,
  },
  {
    key: "verbose",
    kind: "boolean",
    flag: "verbose",
    env: "NANOCODE_VERBOSE",
    description: "show each step's reasoning, code and output",
  },
  {
    key: "track_usage",
    kind: "boolean",
    flag: "track-usage",
    env: "NANOCODE_TRACK_USAGE",
    description: "show tokens and cost per turn",
  },
  {
    key: "track_trace",
    kind: "boolean",
    flag: "track-trace",
    env: "NANOCODE_TRACK_TRACE",
    description:
      "full trace in the session file; OpenTelemetry spans with OTEL_DENO=true",
  },
  {
    key: "cell_timeout",
    kind: "number",
    flag: "cell-timeout",
    env: "NANOCODE_CELL_TIMEOUT",
    description: "seconds a cell may compute",
    min: 0.1,
  },
  {
    key: "permission_mode",
    kind: "mode",
    flag: "permission-mode",
    env: "NANOCODE_PERMISSION_MODE",
    description: "ask | auto-edit | yolo | plan (read-only)",
  },
  {
    key: "idle_timeout",
    kind: "number",
    flag: "idle-timeout",
    env: "NANOCODE_IDLE_TIMEOUT",
    description: "seconds the model server may stay silent mid-reply",
    min: 1,
  },
  {
    key: "reasoning_effort",
    kind: "effort",
    flag: "reasoning-effort",
    env: "NANOCODE_REASONING_EFFORT",
    description: "minimal | low | medium | high, where the model supports it",
  },
  {
    key: "sub_lm_concurrency",
    kind: "integer",
    flag: "sub-lm-concurrency",
    env: "NANOCODE_SUB_LM_CONCURRENCY",
    description: "llm_query_batched prompts in flight at once",
    min: 1,
  },
  {
    key: "sandbox",
    kind: "choice",
    choices: SANDBOX_SETTINGS,
    flag: "sandbox",
    env: "NANOCODE_SANDBOX",
    description:
      "run commands in an OS sandbox: auto (bubblewrap where it works) | off",
  },
  {
    key: "repl",
    kind: "choice",
    choices: REPL_SETTINGS,
    flag: "repl",
    env: "NANOCODE_REPL",
    description: "the language the model writes cells in: js | python",
  },
];

/**
 * Parses a raw value (a flag, an environment variable or a JSON value) for
 * a field.
 *
 * @throws {TypeError} saying which values are allowed.
 * @example
 * ```ts
 * import { FIELDS, parseField } from "./fields.ts";
 * const maxIters = FIELDS.find((f) => f.key === "max_iters")!;
 * console.log(parseField(maxIters, "20", "--max-iters")); // 20
 * ```
 */
export function parseField(
  spec: FieldSpec,
  raw: unknown,
  source: string,
): Config[keyof Config] {
  const bad = (what: string) =>
    new TypeError(
      `Invalid ${source} value ${
        JSON.stringify(raw)
      }: ${spec.key} must be ${what}`,
    );
  switch (spec.kind) {
    case "string":
      if (typeof raw !== "string" || raw.trim() === "") {
        throw bad("a non-empty string");
      }
      return raw.trim();
    case "integer":
    case "number": {
      const n = typeof raw === "number"
        ? raw
        : typeof raw === "string" && raw.trim()
        ? Number(raw)
        : NaN;
      const integer = spec.kind === "integer";
      if (
        !Number.isFinite(n) || (integer && !Number.isInteger(n)) ||
        n < (spec.min ?? -Infinity)
      ) {
        throw bad(
          `${integer ? "an integer" : "a number"}${
            spec.min !== undefined ? ` >= ${spec.min}` : ""
          }`,
        );
      }
      return n;
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      const text = String(raw).trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(text)) return true;
      if (["0", "false", "no", "off"].includes(text)) return false;
      throw bad("true or false");
    }
    case "mode":
      if (PERMISSION_MODES.includes(raw as PermissionMode)) {
        return raw as PermissionMode;
      }
      throw bad(PERMISSION_MODES.join(", "));
    case "effort": {
      const text = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
      if (REASONING_EFFORTS.includes(text as string)) return text as string;
      throw bad(
        `one of ${
          REASONING_EFFORTS.filter(Boolean).join(", ")
        } (or "" for the provider's default)`,
      );
    }
    case "choice":
      if (spec.choices?.includes(raw as string)) {
        return raw as SandboxSetting | ReplName;
      }
      throw bad((spec.choices ?? []).join(", "));
  }
}
