/**
 * Types shared by everything that talks to a language model.
 *
 * @module
 */

/** Who wrote a chat message. */
export type Role = "system" | "user" | "assistant";

/** One message of a chat prompt. */
export interface ChatMessage {
  /** Who wrote it. */
  role: Role;
  /** The message text. */
  content: string;
}

/** Token counts (and cost, when the server reports one) of one call. */
export interface Usage {
  /** Tokens in the prompt (cached ones included), as the server reports them. */
  promptTokens: number;
  /** Tokens generated in the reply. */
  completionTokens: number;
  /** Prompt tokens served from the provider's prefix cache. */
  cachedTokens: number;
  /** Cost in USD, when the server reports it (OpenRouter does). */
  cost?: number;
}

/** A chat completion request. */
export interface CompletionRequest {
  /** The chat so far, oldest message first. */
  messages: ChatMessage[];
  /** Aborting cancels the request (and any retry wait) at once. */
  signal?: AbortSignal;
  /**
   * Receives text as it is generated. When set, the request is streamed;
   * the returned completion still carries the whole text.
   */
  onDelta?: (text: string) => void;
  /**
   * Called once the server has accepted the request (its response has
   * begun), so callers can start other work without delaying the request.
   */
  onStart?: () => void;
  /** Overrides the client's `maxTokens` for this request. */
  maxTokens?: number;
  /**
   * Called before each retry of this request (instead of the client's own
   * `onRetry`). When `discarded` is set, text already given to `onDelta`
   * belongs to a reply that was dropped mid-way and will be sent again.
   */
  onRetry?: (info: RetryNotice) => void;
  /** Called with one-line notices (a limit lowered, a fallback taken), once each. */
  onNotice?: (notice: LmNotice) => void;
}

/** What a client says before it retries a request. */
export interface RetryNotice {
  /** Which retry this is: 1 for the first. */
  attempt: number;
  /** How long the client waits before it. */
  delayMs: number;
  /** Why, e.g. `HTTP 429 (rate limited)` or `connection refused`. */
  reason: string;
  /** Set when the server asked to slow down (HTTP 429). */
  rateLimited?: boolean;
  /** The wait the server asked for (`Retry-After`), when it gave one. */
  retryAfterMs?: number;
  /** Set when a reply was cut off mid-way: its streamed text is void. */
  discarded?: boolean;
}

/** A one-line notice about how the client adapted to its server. */
export interface LmNotice {
  /** What happened, e.g. `max_tokens_lowered`, `stream_off`, `prompt_truncated`. */
  code: string;
  /** One line for the user, e.g. `max_tokens lowered to 16384 (the limit openai/gpt-4o allows)`. */
  message: string;
}

/** A function call a model made through the API's tool calling. */
export interface ToolCallReply {
  /** The function name. */
  name: string;
  /** Its arguments as the model wrote them (usually JSON). */
  arguments: string;
}

/** What a client knows about its model's limits. */
export interface ContextBudget {
  /** The context window in tokens, when known (from `/models` or an error). */
  window?: number;
  /** The most output tokens one reply may ask for now. */
  maxOutput?: number;
  /** Characters per token measured on this server's replies (default 3). */
  charsPerToken: number;
}

/** A finished chat completion. */
export interface Completion {
  /** The whole reply text. */
  text: string;
  /** Token counts (and cost) of this call. */
  usage: Usage;
  /** The model name the server reported (or the one requested). */
  model: string;
  /** Why generation stopped (`stop`, `length`, ...), when reported. */
  finishReason: string | null;
  /** Function calls the model made through tool calling (instead of text). */
  toolCalls?: ToolCallReply[];
  /** The model's refusal, when the API reports one apart from the text. */
  refusal?: string;
  /** Reasoning the server returned apart from the text (`reasoning_content`). */
  reasoning?: string;
}

/**
 * Anything that completes chat prompts. {@linkcode OpenAiLm} is the real
 * implementation; tests and embedders may pass their own.
 */
export interface LanguageModel {
  /** The model name in `provider/model` form. */
  readonly model: string;
  /** Sends the chat and resolves with the model's reply. */
  complete(request: CompletionRequest): Promise<Completion>;
  /** What the client knows of the model's context window and output limit. */
  budget?(): ContextBudget;
  /**
   * Does ahead of time the set-up the first request would do (building the
   * HTTP client), so that request goes out sooner; sends nothing.
   */
  prepare?(): void;
}
