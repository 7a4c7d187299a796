/** Who wrote a message of a conversation, as chat-completion APIs name them. */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/**
 * One message of the conversation sent to the model. An assistant message that asked for
 * tools carries its `toolCalls` (content often null); each answer to one of them is a
 * `tool` message whose `toolCallId` is that call's `id`.
 */
export interface ChatMessage {
  role: ChatRole;
  content: string | null;
  toolCalls?: ToolCall[];
  /** Required on `tool` messages. */
  toolCallId?: string;
}

/** A tool the model asked to run. */
export interface ToolCall {
  id: string;
  name: string;
  /** JSON text as the model wrote it: not parsed, and not always valid JSON. */
  arguments: string;
}

/** A tool the model may ask for. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/**
 * What a stream yields, in this order: any number of `delta`s (text to append), at most
 * one `tool_calls` (every call of the answer, assembled from the fragments the server
 * streamed), and one `done`, last.
 */
export type ChatStreamEvent =
  | { type: 'delta'; content: string }
  | { type: 'tool_calls'; calls: ToolCall[] }
  /**
   * `usage` is null when the server did not report one. `finishReason` is the server's:
   * `'stop'`, `'length'` (cut at the token limit), `'tool_calls'`, `'content_filter'`…
   */
  | { type: 'done'; usage: Usage | null; finishReason: string | null };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  temperature?: number;
  /** Aborting ends the stream promptly: see `ChatProvider.stream`. */
  signal?: AbortSignal;
}

/** A model server the assistant can talk to. */
export interface ChatProvider {
  /** Identifies the implementation in logs and records. */
  name: string;
  /**
   * Streams the model's answer. Failures are `ProviderError`s; a stream that already
   * yielded an event never retries (its text would be duplicated) and fails with kind
   * `'broken_stream'`.
   *
   * When `request.signal` aborts, the iteration rejects with `signal.reason` (by default a
   * `DOMException` named `'AbortError'`) — not a `ProviderError`, not a silent end — so a
   * caller can always tell a cancelled answer from a complete one (which ends with `done`).
   * Leaving the loop early (`break`) also ends the HTTP request.
   */
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}
