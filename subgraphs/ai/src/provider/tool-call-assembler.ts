import { randomUUID } from 'node:crypto';
import type { ToolCall } from './chat-provider.ts';
import { ProviderError } from './provider-error.ts';

/** One streamed piece of a tool call, as in `choices[0].delta.tool_calls`. */
export interface ToolCallFragment {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/**
 * Puts streamed tool calls back together. OpenAI sends, per call, a fragment with its
 * `index`, `id` and `function.name` (and empty arguments), then fragments with the same
 * `index` and pieces of `function.arguments`; calls follow one another by index. Other
 * servers send a whole call in one fragment (Ollama) or repeat the id on every fragment:
 * both fit, since fields are set when present and arguments appended.
 */
export class ToolCallAssembler {
  readonly #calls = new Map<number, { id?: string; name?: string; arguments: string }>();
  #lastIndex = -1;

  add(fragment: ToolCallFragment): void {
    // A server that leaves out `index` (it is required) is read as: a fragment with an id
    // opens a new call, one without continues the last.
    const index = fragment.index ?? (fragment.id !== undefined || this.#lastIndex < 0 ? this.#lastIndex + 1 : this.#lastIndex);
    this.#lastIndex = Math.max(this.#lastIndex, index);
    let call = this.#calls.get(index);
    if (!call) {
      call = { arguments: '' };
      this.#calls.set(index, call);
    }
    if (fragment.id) call.id = fragment.id;
    if (fragment.function?.name) call.name = fragment.function.name;
    if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
  }

  /** The calls in index order; a call without a name is an answer we cannot act on. */
  finish(): ToolCall[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        if (!call.name) throw new ProviderError(`the model's tool call #${index} has no function name`, 'server', true);
        // The id only has to match the tool message sent back to the same server, so a
        // server that gives none (some local ones) gets a random one, unique in the conversation.
        return { id: call.id ?? `call_${randomUUID()}`, name: call.name, arguments: call.arguments };
      });
  }
}
