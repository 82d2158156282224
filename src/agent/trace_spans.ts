/**
 * `track_trace` as OpenTelemetry spans, through Deno's built-in
 * OpenTelemetry export (`OTEL_DENO=true`; without it the spans cost next
 * to nothing and go nowhere). One span per turn, with a span per step
 * under it, and under each step the model call, the tool calls and the
 * sub-model queries.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { EventSink, UsageTotals } from "../rlm/events.ts";
import { VERSION } from "../version.ts";

/** The parts of a span this module uses (Deno's and OpenTelemetry's API agree). */
interface Span {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

interface Context {
  setValue(key: symbol, value: unknown): Context;
}

interface Tracer {
  startSpan(
    name: string,
    options?: { attributes?: Record<string, string | number | boolean> },
    context?: Context,
  ): Span;
}

/** The key under which OpenTelemetry contexts hold their span. */
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");
/** Characters of a text attribute (a file read, a long answer) kept. */
const MAX_ATTRIBUTE_CHARS = 8000;
const STATUS_ERROR = 2;

function clip(text: string): string {
  return text.length > MAX_ATTRIBUTE_CHARS
    ? `${text.slice(0, MAX_ATTRIBUTE_CHARS)}… [${
      text.length - MAX_ATTRIBUTE_CHARS
    } more characters]`
    : text;
}

/**
 * Whether Deno exports telemetry: `OTEL_DENO=true` (the only value Deno
 * takes for on; without export, Deno refuses to start spans). Without permission to read
 * the environment, a first span is tried once instead.
 */
function exportOn(): boolean {
  try {
    return Deno.env.get("OTEL_DENO") === "true";
  } catch {
    probed ??= probe();
    return probed;
  }
}

let probed: boolean | undefined;

function probe(): boolean {
  try {
    const telemetry = (Deno as unknown as {
      telemetry: { tracerProvider: { getTracer(name: string): Tracer } };
    }).telemetry;
    telemetry.tracerProvider.getTracer("nanocode").startSpan("nanocode.start")
      .end();
    return true;
  } catch {
    return false;
  }
}

/** Deno's tracer and a way to make a span a parent, or `null` when export is off. */
function denoTracing(): { tracer: Tracer; under(span: Span): Context } | null {
  const telemetry = (Deno as unknown as {
    telemetry?: {
      tracerProvider: { getTracer(name: string, version?: string): Tracer };
      contextManager: { active(): Context };
    };
  }).telemetry;
  if (!telemetry) return null;
  if (!exportOn()) return null;
  let tracer: Tracer;
  try {
    tracer = telemetry.tracerProvider.getTracer("nanocode", VERSION);
  } catch {
    return null;
  }
  return {
    tracer,
    under: (span) => telemetry.contextManager.active().setValue(SPAN_KEY, span),
  };
}

/** A turn being traced: feed it the turn's events, then end it once. */
export interface TurnTrace {
  /** Receives the turn's events. */
  sink: EventSink;
  /** Ends the turn's span with its answer and usage. */
  answered(answer: string, usage: UsageTotals): void;
  /** Ends the turn's span as failed (or interrupted). */
  failed(error: unknown): void;
}

/**
 * Starts tracing one turn as OpenTelemetry spans: `nanocode.turn` (the
 * task, the models, then the answer and token counts), `nanocode.step`
 * (reasoning, code, observation), `chat <model>` (the model call, with
 * `gen_ai.*` token counts), `execute_tool <name>` (arguments, result) and
 * `nanocode.llm_query` (prompts and answers). Long texts are kept to
 * 8,000 characters per attribute.
 *
 * @example
 * ```ts ignore
 * const trace = traceTurn("fix the test", config);
 * const result = await rlm.run(inputs, { onEvent: trace.sink });
 * trace.answered(String(result.outputs.answer), result.usage);
 * ```
 */
export function traceTurn(task: string, config: Config): TurnTrace {
  const tracing = denoTracing();
  if (!tracing) {
    return { sink: () => {}, answered: () => {}, failed: () => {} };
  }
  const { tracer, under } = tracing;
  const turn = tracer.startSpan("nanocode.turn", {
    attributes: {
      "nanocode.task": clip(task),
      "gen_ai.request.model": config.lm,
      "nanocode.sub_lm": config.sub_lm,
    },
  });
  let step: Span | null = null;
  let model: Span | null = null;
  const open = new Map<number, Span>();
  const endStep = () => {
    model?.end();
    model = null;
    for (const span of open.values()) span.end();
    open.clear();
    step?.end();
    step = null;
  };
  const sink: EventSink = (event) => {
    switch (event.type) {
      case "step_start":
        endStep();
        step = tracer.startSpan("nanocode.step", {
          attributes: { "nanocode.step": event.step },
        }, under(turn));
        model = tracer.startSpan(`chat ${config.lm}`, {
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": config.lm,
          },
        }, under(step));
        break;
      case "usage":
        if (model) {
          model.setAttribute("gen_ai.response.model", event.model);
          model.setAttribute(
            "gen_ai.usage.input_tokens",
            event.usage.promptTokens,
          );
          model.setAttribute(
            "gen_ai.usage.output_tokens",
            event.usage.completionTokens,
          );
        }
        break;
      case "model_reply":
        model?.end();
        model = null;
        step?.setAttribute("nanocode.reasoning", clip(event.reasoning));
        break;
      case "code":
        step?.setAttribute("nanocode.code", clip(event.code));
        break;
      case "tool_call":
        open.set(
          event.id,
          tracer.startSpan(`execute_tool ${event.name}`, {
            attributes: {
              "gen_ai.tool.name": event.name,
              "nanocode.tool.args": clip(JSON.stringify(event.args) ?? ""),
            },
          }, step ? under(step) : under(turn)),
        );
        break;
      case "tool_result": {
        const span = open.get(event.id);
        open.delete(event.id);
        if (!span) break;
        span.setAttribute("nanocode.tool.output", clip(event.output));
        if (!event.ok) {
          span.setStatus({ code: STATUS_ERROR, message: clip(event.output) });
        }
        span.end();
        break;
      }
      case "sub_lm_call":
        open.set(
          event.id,
          tracer.startSpan("nanocode.llm_query", {
            attributes: {
              "gen_ai.request.model": config.sub_lm,
              "nanocode.prompts": event.prompts.length,
              "nanocode.prompt": clip(event.prompts.join("\n---\n")),
            },
          }, step ? under(step) : under(turn)),
        );
        break;
      case "sub_lm_result": {
        const span = open.get(event.id);
        open.delete(event.id);
        span?.setAttribute(
          "nanocode.answer",
          clip(event.answers.join("\n---\n")),
        );
        span?.end();
        break;
      }
      case "observation":
        step?.setAttribute("nanocode.observation", clip(event.text));
        break;
    }
  };
  return {
    sink,
    answered(answer, usage) {
      endStep();
      turn.setAttribute("nanocode.answer", clip(answer));
      turn.setAttribute("gen_ai.usage.input_tokens", usage.promptTokens);
      turn.setAttribute("gen_ai.usage.output_tokens", usage.completionTokens);
      turn.setAttribute("nanocode.lm_calls", usage.lmCalls);
      turn.setAttribute("nanocode.sub_lm_calls", usage.subLmCalls);
      turn.end();
    },
    failed(error) {
      endStep();
      turn.setStatus({
        code: STATUS_ERROR,
        message: (error as Error)?.message ?? String(error),
      });
      turn.end();
    },
  };
}
