export type {
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatRole,
  ChatStreamEvent,
  ToolCall,
  ToolDefinition,
  Usage,
} from './chat-provider.ts';
export { createOpenAiCompatibleProvider, type OpenAiCompatibleOptions } from './openai-compatible-provider.ts';
export { ProviderError, type ProviderErrorKind } from './provider-error.ts';
