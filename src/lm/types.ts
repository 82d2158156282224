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
}
