import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ChatMessage, ChatRequest } from './chat-provider.ts';

/** The chat-completions request body for `request`, streaming with usage in the last chunk. */
export function completionParams(request: ChatRequest): ChatCompletionCreateParamsStreaming {
  return {
    model: request.model,
    messages: request.messages.map(completionMessage),
    stream: true,
    // Without it OpenAI reports no usage on streams; with it, a last chunk has `choices: []`
    // and the usage.
    stream_options: { include_usage: true },
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function' as const,
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
          })),
        }
      : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

function completionMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content ?? '' };
    case 'user':
      return { role: 'user', content: message.content ?? '' };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls && message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      // A programming error, not the server's: every server would refuse it.
      if (!message.toolCallId) throw new TypeError('a tool message needs the toolCallId of the call it answers');
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content ?? '' };
    default:
      return assertUnreachable(message.role);
  }
}

function assertUnreachable(role: never): never {
  throw new TypeError(`unknown chat role ${String(role)}`);
}
