/**
 * How the emulator writes replies: chat completions (JSON or SSE chunks,
 * with `reasoning_content`, `tool_calls`, `refusal`) and Responses API
 * replies (JSON or typed SSE events), as the providers send them.
 *
 * @module
 */

import { sleep } from "../../../src/lm/retry.ts";

/** A scripted model reply. */
export interface EmuReply {
  /** The reply text. */
  text?: string;
  /** Reasoning sent apart from the text (`reasoning_content`). */
  reasoning?: string;
  /** Function calls made through tool calling (content is then null). */
  toolCalls?: { name: string; arguments: string }[];
  /** A refusal in the API's `refusal` field. */
  refusal?: string;
  /** Default `stop` (`tool_calls` with tool calls). */
  finishReason?: string;
  /** Characters per stream chunk (default: the text in three pieces). */
  chunkChars?: number;
  /** Drop the connection after this many chunks. */
  cutAfterChunks?: number;
  /** Answer with this error instead (an upstream failure, an overload). */
  error?: { status: number; body: unknown; headers?: Record<string, string> };
}

/** Usage as the emulator reports it. */
export interface WireUsage {
  prompt: number;
  completion: number;
  cached: number;
}

const encoder = new TextEncoder();

function pieces(text: string, size?: number): string[] {
  if (text === "") return [];
  const step = size ?? Math.max(1, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step));
  return out;
}

/** A body that sends `parts` in order, or breaks off after `cutAfter` of them. */
function body(parts: string[], cutAfter?: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (let i = 0; i < parts.length; i++) {
        if (i === cutAfter) {
          await sleep(10);
          controller.error(new Error("emulator: connection dropped mid-reply"));
          return;
        }
        controller.enqueue(encoder.encode(parts[i]));
      }
      controller.close();
    },
  });
}

function usageJson(u: WireUsage) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached },
  };
}

function finishOf(reply: EmuReply): string {
  return reply.finishReason ??
    (reply.toolCalls?.length ? "tool_calls" : "stop");
}

/**
 * A chat completion, whole or as SSE chunks.
 *
 * @example
 * ```ts ignore
 * return chatResponse({ text: "hi" }, "gpt-4o", { prompt: 10, completion: 1, cached: 0 }, true, true, "reasoning_content");
 * ```
 */
export function chatResponse(
  reply: EmuReply,
  model: string,
  usage: WireUsage,
  stream: boolean,
  includeUsage: boolean,
  reasoningField: string,
): Response {
  const id = `chatcmpl-emu-${crypto.randomUUID().slice(0, 8)}`;
  const text = reply.text ?? "";
  const calls = (reply.toolCalls ?? []).map((c, index) => ({
    index,
    id: `call_${index}`,
    type: "function",
    function: { name: c.name, arguments: c.arguments },
  }));
  if (!stream) {
    const message: Record<string, unknown> = {
      role: "assistant",
      content: calls.length ? null : text,
      refusal: reply.refusal ?? null,
    };
    if (reply.reasoning) message[reasoningField] = reply.reasoning;
    if (calls.length) message.tool_calls = calls;
    const json = JSON.stringify({
      id,
      object: "chat.completion",
      created: 1_720_000_000,
      model,
      choices: [{
        index: 0,
        message,
        logprobs: null,
        finish_reason: finishOf(reply),
      }],
      usage: usageJson(usage),
    });
    const half = Math.ceil(json.length / 2);
    return new Response(
      body([json.slice(0, half), json.slice(half)], reply.cutAfterChunks),
      {
        headers: { "content-type": "application/json" },
      },
    );
  }
  const base = {
    id,
    object: "chat.completion.chunk",
    created: 1_720_000_000,
    model,
  };
  const sse = (delta: unknown, finish: string | null = null, extra = {}) =>
    `data: ${
      JSON.stringify({
        ...base,
        choices: delta === null
          ? []
          : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...extra,
      })
    }\n\n`;
  const parts = [sse({ role: "assistant", content: "" })];
  for (const r of pieces(reply.reasoning ?? "", reply.chunkChars)) {
    parts.push(sse({ [reasoningField]: r }));
  }
  for (const c of pieces(text, reply.chunkChars)) {
    parts.push(sse({ content: c }));
  }
  if (reply.refusal) parts.push(sse({ refusal: reply.refusal }));
  for (const call of calls) parts.push(sse({ tool_calls: [call] }));
  parts.push(sse({}, finishOf(reply)));
  if (includeUsage) parts.push(sse(null, null, { usage: usageJson(usage) }));
  parts.push("data: [DONE]\n\n");
  return new Response(body(parts, reply.cutAfterChunks), {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
    },
  });
}

/**
 * A Responses API reply, whole or as typed SSE events.
 *
 * @example
 * ```ts ignore
 * return responsesResponse({ text: "hi" }, "gpt-5.2-codex", usage, true);
 * ```
 */
export function responsesResponse(
  reply: EmuReply,
  model: string,
  usage: WireUsage,
  stream: boolean,
): Response {
  const text = reply.text ?? "";
  const cut = reply.finishReason === "length";
  const response = {
    id: `resp_emu_${crypto.randomUUID().slice(0, 8)}`,
    object: "response",
    created_at: 1_720_000_000,
    status: cut ? "incomplete" : "completed",
    incomplete_details: cut ? { reason: "max_output_tokens" } : null,
    model,
    output: [{
      type: "message",
      id: "msg_emu",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text, annotations: [] }],
    }],
    usage: {
      input_tokens: usage.prompt,
      input_tokens_details: { cached_tokens: usage.cached },
      output_tokens: usage.completion,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.prompt + usage.completion,
    },
  };
  if (!stream) {
    return new Response(
      body([JSON.stringify(response)], reply.cutAfterChunks),
      {
        headers: { "content-type": "application/json" },
      },
    );
  }
  let seq = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${
      JSON.stringify({ type, sequence_number: seq++, ...data })
    }\n\n`;
  const parts = [
    event("response.created", {
      response: { ...response, status: "in_progress", output: [] },
    }),
  ];
  for (const delta of pieces(text, reply.chunkChars)) {
    parts.push(event("response.output_text.delta", {
      item_id: "msg_emu",
      output_index: 0,
      content_index: 0,
      delta,
    }));
  }
  parts.push(
    event(cut ? "response.incomplete" : "response.completed", { response }),
  );
  return new Response(body(parts, reply.cutAfterChunks), {
    headers: { "content-type": "text/event-stream" },
  });
}
