/**
 * What real models write instead of a code cell, and what they are told so
 * the next reply works: an empty reply, a reply cut off while reasoning, a
 * JSON tool call (in the text or through the API's `tool_calls`), a prose
 * final answer; and a refusal, which ends the turn.
 *
 * @module
 */

import type { Completion } from "../lm/types.ts";
import type { ReplFunction } from "./functions.ts";
import { formatHint, type ParsedReply } from "./parse.ts";
import { JAVASCRIPT, type ReplLanguage } from "./repl_language.ts";

/** Why a reply ran nothing: a problem to tell the model, or a refusal. */
export type ReplyOutcome =
  | { kind: "problem"; text: string }
  | { kind: "refusal"; text: string };

/**
 * The model refused the task; the turn ends with this error. `text` is the
 * refusal as the model wrote it.
 *
 * @example
 * ```ts
 * import { ModelRefusal } from "./habits.ts";
 * new ModelRefusal("I can't help with that.").message; // 'The model refused: "I can't help with that."'
 * ```
 */
export class ModelRefusal extends Error {
  /** `text` is what the model said. */
  constructor(readonly text: string) {
    const flat = text.replace(/\s+/g, " ").trim();
    super(
      `The model refused: "${
        flat.length > 300 ? `${flat.slice(0, 299)}…` : flat
      }"`,
    );
    this.name = "ModelRefusal";
  }
}

/** The text stored for a reply that had none (providers reject empty messages). */
export const EMPTY_REPLY = "(empty reply)";

/**
 * The assistant message to keep for a reply: its text, its tool calls
 * written out, or {@linkcode EMPTY_REPLY}; never empty, since Anthropic and
 * Gemini reject a chat holding an empty message.
 *
 * @example
 * ```ts
 * import { storedReply } from "./habits.ts";
 * storedReply({ text: "", toolCalls: [{ name: "read_file", arguments: '{"path":"a.ts"}' }] }); // 'read_file({"path":"a.ts"})'
 * ```
 */
export function storedReply(
  completion: Pick<Completion, "text" | "toolCalls" | "refusal">,
): string {
  if (completion.text.trim() !== "") return completion.text;
  const calls = (completion.toolCalls ?? []).map((c) =>
    `${c.name}(${c.arguments})`
  );
  if (calls.length) return calls.join("\n");
  return completion.refusal?.trim() || EMPTY_REPLY;
}

const REFUSAL =
  /^(?:I['’]m sorry|I am sorry|Sorry|I apologi[sz]e)\b[^\n]{0,80}?\b(?:can['’]?t|cannot|can not|unable|won['’]t|will not|not able)\b|^I (?:can['’]?t|cannot|won['’]t|will not|must decline|am unable to|['’]m unable to|am not able to|['’]m not able to) (?:help|assist|comply|provide|do that|fulfil|support|create|write|engage)/i;

/**
 * Whether a reply without code is a refusal ("I'm sorry, but I can't help
 * with that."): short, and opening the way refusals open.
 *
 * @example
 * ```ts
 * import { isRefusalText } from "./habits.ts";
 * isRefusalText("I'm sorry, but I can't assist with that request."); // true
 * isRefusalText("I can't see the file yet; let me read it."); // false
 * ```
 */
export function isRefusalText(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length < 600 && REFUSAL.test(t) &&
    !/\b(?:let me|I['’]ll|I will (?:now|first)|first,)/i.test(t);
}

interface JsonCall {
  name: string;
  args: Record<string, unknown> | unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A tool call in any of the JSON shapes models write. */
function asCall(value: unknown): JsonCall | null {
  if (Array.isArray(value)) return value.length ? asCall(value[0]) : null;
  if (!isRecord(value)) return null;
  if (isRecord(value.function_call)) return asCall(value.function_call);
  if (isRecord(value.function) && !value.name) return asCall(value.function);
  const name = [
    value.name,
    value.tool,
    value.tool_name,
    value.function,
    value.action,
  ].find((v) => typeof v === "string" && /^\w+$/.test(v));
  if (typeof name !== "string") return null;
  let args = value.arguments ?? value.parameters ?? value.args ??
    value.input ?? value.action_input ?? {};
  if (typeof args === "string") {
    try {
      args = JSON.parse(args);
    } catch {
      args = [args];
    }
  }
  return isRecord(args) || Array.isArray(args) ? { name, args } : null;
}

/** Qwen3-Coder's XML form: `<function=read_file><parameter=path>a.ts</parameter></function>`. */
function xmlCall(text: string): JsonCall | null {
  const fn = /<function=(\w+)>([\s\S]*?)(?:<\/function>|$)/.exec(text);
  if (!fn) return null;
  const args: Record<string, unknown> = {};
  for (
    const p of fn[2].matchAll(/<parameter=(\w+)>\s*([\s\S]*?)\s*<\/parameter>/g)
  ) {
    args[p[1]] = p[2];
  }
  return { name: fn[1], args };
}

/**
 * Finds a tool call written as text: `<tool_call>` tags (Qwen, Hermes),
 * `[TOOL_CALLS]` (Mistral), `<|python_tag|>` (Llama), Gemini's ```tool_code
 * blocks (`default_api.read_file(path="a.ts")`), gpt-oss's
 * `to=functions.NAME … <|message|>{…}`, a ```json block, or a reply that is
 * one JSON object.
 *
 * @example
 * ```ts
 * import { findTextToolCall } from "./habits.ts";
 * findTextToolCall('<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>');
 * // { name: "read_file", args: { path: "a.ts" } }
 * ```
 */
export function findTextToolCall(text: string): JsonCall | null {
  // gpt-oss's harmony format: `<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{...}<|call|>`.
  const harmony =
    /to=(?:functions\.)?(\w+)[^<]*(?:<\|constrain\|>[^<]*)?<\|message\|>\s*([\s\S]*?)\s*(?:<\|call\|>|$)/
      .exec(text);
  if (harmony) {
    try {
      const args = JSON.parse(harmony[2]);
      if (isRecord(args)) return { name: harmony[1], args };
    } catch { /* not JSON */ }
  }
  // Gemini's ```tool_code block: print(default_api.read_file(path="a.ts")).
  const toolCode = /```tool_code\s*\n([\s\S]*?)```/.exec(text);
  const pyCall = toolCode ? pythonCall(toolCode[1]) : null;
  if (pyCall) return pyCall;
  const candidates: string[] = [];
  for (const m of text.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)) {
    candidates.push(m[1]);
  }
  const tagged = /(?:\[TOOL_CALLS\]|<\|python_tag\|>)\s*([\s\S]+)$/.exec(text);
  if (tagged) candidates.push(tagged[1]);
  for (
    const m of text.matchAll(
      /```(?:json|tool_call|tool_code)?\s*\n([\s\S]*?)```/g,
    )
  ) {
    candidates.push(m[1]);
  }
  const trimmed = text.trim();
  if (/^[{[]/.test(trimmed) || /<function=\w+>/.test(trimmed)) {
    candidates.push(trimmed);
  }
  for (const candidate of candidates) {
    const xml = xmlCall(candidate);
    if (xml) return xml;
    try {
      const call = asCall(JSON.parse(candidate.trim()));
      if (call) return call;
    } catch { /* not JSON */ }
  }
  return null;
}

/** A Python-style call with keyword arguments: `default_api.f(a="x", n=2)`. */
function pythonCall(code: string): JsonCall | null {
  const m = /(?:\w+\.)?(\w+)\s*\(([^()]*)\)/.exec(
    code.replace(/^\s*print\s*\(/, ""),
  );
  if (!m) return null;
  const args: Record<string, unknown> = {};
  const arg =
    /(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?[\d.]+|True|False|None)/g;
  for (const [, key, raw] of m[2].matchAll(arg)) {
    args[key] = raw.startsWith("'")
      ? raw.slice(1, -1)
      : raw === "True"
      ? true
      : raw === "False"
      ? false
      : raw === "None"
      ? null
      : JSON.parse(raw);
  }
  return { name: m[1], args };
}

/** The cell that makes the call the model meant, e.g. `print(read_file("a.ts"))`. */
function callCell(call: JsonCall, functions: ReplFunction[]): string {
  const fn = functions.find((f) => f.name === call.name);
  if (Array.isArray(call.args)) {
    return `print(${call.name}(${
      call.args.map((a) => JSON.stringify(a)).join(", ")
    }))`;
  }
  const params = fn
    ? (/\(([^)]*)\)/.exec(fn.signature)?.[1] ?? "").split(",").map((p) =>
      p.trim().replace(/\?$/, "")
    ).filter(Boolean)
    : [];
  const keys = Object.keys(call.args);
  if (fn && keys.every((k) => params.includes(k))) {
    const values = params.map((p) => (call.args as Record<string, unknown>)[p]);
    while (values.length && values.at(-1) === undefined) values.pop();
    return `print(${call.name}(${
      values.map((v) => JSON.stringify(v ?? null)).join(", ")
    }))`;
  }
  return `print(${call.name}(${JSON.stringify(call.args)}))`;
}

function toolCallProblem(
  call: JsonCall,
  functions: ReplFunction[],
  language: ReplLanguage,
  viaApi: boolean,
): string {
  const known = functions.some((f) => f.name === call.name);
  const how = viaApi
    ? "You called a tool through the API's tool calling, which this REPL does not use, so nothing ran."
    : "You wrote a tool call as JSON, which this REPL does not run, so nothing ran.";
  const fix = known
    ? ` Call the function in a \`\`\`${language.fence} cell instead:\n\`\`\`${language.fence}\n${
      callCell(call, functions)
    }\n\`\`\``
    : ` There is no function named ${call.name}; the functions in scope are ${
      functions.map((f) => f.name).join(", ")
    }, called in a \`\`\`${language.fence} cell.`;
  return how + fix;
}

/**
 * What a reply that ran nothing amounts to, in the order real replies call
 * for: a refusal (the API's `refusal`, a content filter, or refusal text),
 * API tool calls, an empty or cut-off reply, a JSON tool call, blocks in
 * another language, prose.
 *
 * @example
 * ```ts
 * import { noCodeOutcome } from "./habits.ts";
 * import { parseReply } from "./parse.ts";
 * const parsed = parseReply("The answer is 42.", "stop");
 * noCodeOutcome({ text: "The answer is 42.", finishReason: "stop" }, parsed, []).text.includes("SUBMIT"); // true
 * ```
 */
export function noCodeOutcome(
  completion: Pick<
    Completion,
    "text" | "finishReason" | "toolCalls" | "refusal" | "reasoning"
  >,
  parsed: ParsedReply,
  functions: ReplFunction[],
  language: ReplLanguage = JAVASCRIPT,
): ReplyOutcome {
  const hint = formatHint(language);
  const visible = parsed.visible;
  if (completion.refusal?.trim()) {
    return { kind: "refusal", text: completion.refusal.trim() };
  }
  if (completion.finishReason === "content_filter") {
    return {
      kind: "refusal",
      text: visible || "The provider's content filter stopped the reply.",
    };
  }
  const apiCall = completion.toolCalls?.[0];
  if (apiCall) {
    const call = asCall({ name: apiCall.name, arguments: apiCall.arguments }) ??
      { name: apiCall.name, args: {} };
    return {
      kind: "problem",
      text: toolCallProblem(call, functions, language, true),
    };
  }
  if (visible === "") {
    const thought = parsed.reasoning !== "" || parsed.unclosedThinking ||
      Boolean(completion.reasoning);
    if (completion.finishReason === "length") {
      return {
        kind: "problem",
        text: thought
          ? `Your reply was cut off by the output limit while you were still reasoning, before any code, so nothing ran. Keep the reasoning short and write the \`\`\`${language.fence} block sooner.`
          : `Your reply was cut off by the output limit before any text, so nothing ran. ${hint}`,
      };
    }
    if (parsed.unclosedThinking) {
      return {
        kind: "problem",
        text:
          `Your whole reply was reasoning inside a <think> tag that was never closed, so nothing ran. Close it with </think>, then write the \`\`\`${language.fence} block. ${hint}`,
      };
    }
    return {
      kind: "problem",
      text: `Your reply was empty${
        thought ? " apart from reasoning" : ""
      }, so nothing ran. ${hint}`,
    };
  }
  const textCall = findTextToolCall(visible);
  if (textCall) {
    return {
      kind: "problem",
      text: toolCallProblem(textCall, functions, language, false),
    };
  }
  if (isRefusalText(visible)) return { kind: "refusal", text: visible };
  const submit =
    `If it is your final answer, submit it from a cell: \`\`\`${language.fence}\n${language.submitExample}\n\`\`\` Otherwise write the next cell.`;
  if (parsed.foreign?.every((lang) => PROSE_LANGS.has(lang))) {
    return {
      kind: "problem",
      text: `Your reply had no ${language.name} block (only ${
        parsed.foreign.join(", ")
      }), so nothing ran. ${submit} ${hint}`,
    };
  }
  if (!/no code block/.test(parsed.problem ?? "")) {
    return { kind: "problem", text: parsed.problem ?? hint };
  }
  if (unfencedCall(visible, functions)) {
    return {
      kind: "problem",
      text:
        `Your code was not inside a \`\`\`${language.fence} block, so nothing ran (text outside a block is never run). Put the code in one block:\n\`\`\`${language.fence}\n...your code...\n\`\`\``,
    };
  }
  return {
    kind: "problem",
    text: `Your reply had no code block, so nothing ran. ${submit} ${hint}`,
  };
}

/**
 * Whether text without a fence calls a REPL function at the start of a
 * line, as small models write cells (`const t = read_file("a.txt");`).
 */
function unfencedCall(text: string, functions: ReplFunction[]): boolean {
  const names = [
    "print",
    "SUBMIT",
    "console\\.log",
    ...functions.map((f) => f.name),
  ];
  return new RegExp(
    `^\\s*(?:(?:const|let|var)\\s+\\w+\\s*=\\s*(?:await\\s+)?)?(?:${
      names.join("|")
    })\\s*\\(`,
    "m",
  ).test(text);
}

/** Fence tags of text, data and markup, which answers quote rather than run. */
const PROSE_LANGS = new Set([
  "text",
  "txt",
  "plaintext",
  "plain",
  "markdown",
  "md",
  "output",
  "log",
  "diff",
  "patch",
  "json",
  "yaml",
  "yml",
  "toml",
  "csv",
  "xml",
  "ini",
]);
