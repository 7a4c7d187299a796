import type { AIConversation, AISettings, PrismaClient } from '@token-nexus/prisma';
import type { Claims, EventBus, KeyVault, Logger, TopicSubscription } from '@token-nexus/shared';
import {
  ProviderError,
  createOpenAiCompatibleProvider,
  type ChatMessage,
  type ToolCall,
} from '../provider/index.ts';
import { providerFor } from '../providers/settings.ts';
import { recordUsage } from '../providers/usage.ts';
import { runTool, toolDefinitions, type ToolEnvironment } from '../tools/tools.ts';
import { abandonedReplyReason, renewReplyLease, startAbandonedReplySweeper } from './reply-leases.ts';
import { cancelTopic, catchUpTopic, publishStreamEvent, type CatchUpRequest } from './stream-topics.ts';

/** Rounds of tool calls one reply may take before it must answer. */
const maxToolRounds = 4;

export interface ReplyRunnerOptions {
  prisma: PrismaClient;
  events: EventBus;
  keys: KeyVault;
  logger: Logger;
  platform: {
    baseUrl: string | null;
    apiKey: string | null;
    timeoutMs: number;
    idleTimeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
  };
  prices: { promptPer1k: number; completionPer1k: number };
  toolSources: ToolEnvironment['sources'];
  signingSecret: string;
  /**
   * How long a reply stays the writer's without a renewal (renewed three times as often,
   * with the text so far), and how often every instance looks for replies whose writer
   * vanished. A killed writer's reply ends FAILED within their sum.
   */
  leases: { leaseMs: number; sweepIntervalMs: number };
}

/** A reply this instance is writing. */
interface RunningReply {
  conversationId: string;
  controller: AbortController;
  done: Promise<void>;
  /** The text streamed so far. */
  content: string;
}

type Reply = { conversation: AIConversation; messageId: string; settings: AISettings; claims: Claims };

/**
 * Writes assistant replies in the background of the replica that took the message:
 * streams the provider's deltas to `aiMessageStream` as they come, runs the tools the
 * model asks for (with the user's own claims), and stores the final message, its exact
 * usage and the organization's usage. A cancellation (from any replica, through the bus)
 * stops it with what was written so far; a provider failure ends the message FAILED with
 * a readable reason, and the conversation stays usable. A late subscriber's request for
 * a reply's beginning is answered with its text so far. While it writes, it holds the
 * reply's lease; every instance ends the replies of writers that vanished.
 */
export class ReplyRunner {
  private readonly running = new Map<string, RunningReply>();
  private readonly cancellations: TopicSubscription<{ messageId: string }>;
  private readonly catchUps: TopicSubscription<CatchUpRequest>;
  private readonly sweeper: { stop(): Promise<void> };

  constructor(private readonly options: ReplyRunnerOptions) {
    this.cancellations = this.listen<{ messageId: string }>(cancelTopic, ({ messageId }) =>
      this.running.get(messageId)?.controller.abort('cancelled'),
    );
    this.catchUps = this.listen<CatchUpRequest>(catchUpTopic, ({ messageId }) => this.sendTextSoFar(messageId));
    this.sweeper = startAbandonedReplySweeper({
      prisma: options.prisma,
      events: options.events,
      intervalMs: options.leases.sweepIntervalMs,
      logger: options.logger,
    });
  }

  /** The platform's own provider, for organizations that set none. */
  get platform(): ReplyRunnerOptions['platform'] {
    return this.options.platform;
  }

  /** Until when a new reply is its writer's, before the writer's first renewal. */
  leaseUntil(): Date {
    return new Date(Date.now() + this.options.leases.leaseMs);
  }

  start(reply: Reply): void {
    const controller = new AbortController();
    const running: RunningReply = { conversationId: reply.conversation.id, controller, done: Promise.resolve(), content: '' };
    running.done = this.write(reply, running)
      .catch((error: unknown) => this.options.logger.error({ err: error, messageId: reply.messageId }, 'reply failed unexpectedly'))
      .finally(() => this.running.delete(reply.messageId));
    this.running.set(reply.messageId, running);
  }

  async close(): Promise<void> {
    await this.sweeper.stop();
    for (const { controller } of this.running.values()) controller.abort('shutdown');
    await Promise.all([...this.running.values()].map(({ done }) => done));
    await Promise.all([this.cancellations.return?.(), this.catchUps.return?.()]);
  }

  /** Runs `handle` for each event of a topic every replica hears. */
  private listen<T>(topic: string, handle: (event: T) => unknown): TopicSubscription<T> {
    const subscription = this.options.events.subscribe<T>(topic);
    void (async () => {
      for await (const event of subscription) await handle(event);
    })().catch((error: unknown) => this.options.logger.warn({ err: error, topic }, 'listener ended'));
    return subscription;
  }

  /** Answers a late subscriber: the reply's text so far, as one piece at offset 0. */
  private async sendTextSoFar(messageId: string): Promise<void> {
    const running = this.running.get(messageId);
    if (!running) return;
    await publishStreamEvent(this.options.events, running.conversationId, { messageId, offset: 0, delta: running.content, final: false });
  }

  /** Renews the reply's lease (with its text so far) while it is written; stops the writer if another instance ended it. */
  private holdLease(messageId: string, running: RunningReply): () => void {
    const { prisma, leases, logger } = this.options;
    const renew = () =>
      renewReplyLease(prisma, messageId, leases.leaseMs, running.content)
        .then((held) => {
          if (!held) running.controller.abort('superseded');
        })
        .catch((error: unknown) => logger.warn({ err: error, messageId }, 'renewing a reply lease failed'));
    void renew();
    const timer = setInterval(renew, Math.max(1, Math.floor(leases.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  private async write(reply: Reply, running: RunningReply): Promise<void> {
    const { prisma, events } = this.options;
    const { conversation, messageId, settings } = reply;
    const signal = running.controller.signal;
    const started = Date.now();
    const usage = { promptTokens: 0, completionTokens: 0, reported: false };
    const releaseLease = this.holdLease(messageId, running);
    try {
      const { baseUrl, apiKey } = providerFor(settings, this.options.platform, this.options.keys);
      const provider = createOpenAiCompatibleProvider({
        baseUrl,
        ...(apiKey ? { apiKey } : {}),
        timeoutMs: this.options.platform.timeoutMs,
        idleTimeoutMs: this.options.platform.idleTimeoutMs,
        maxAttempts: this.options.platform.maxAttempts,
        retryBaseMs: this.options.platform.retryBaseMs,
      });
      const messages = await this.history(conversation.id, messageId, settings.systemPrompt);
      const tools = toolDefinitions(settings.allowedTools);
      const environment: ToolEnvironment = {
        sources: this.options.toolSources,
        signingSecret: this.options.signingSecret,
        claims: reply.claims,
        organizationId: conversation.organizationId,
      };
      for (let round = 0; ; round++) {
        let calls: ToolCall[] | null = null;
        for await (const event of provider.stream({
          model: conversation.model,
          messages,
          ...(tools.length > 0 && round < maxToolRounds ? { tools } : {}),
          temperature: settings.temperature,
          signal,
        })) {
          if (event.type === 'delta') {
            const offset = running.content.length;
            running.content += event.content;
            await publishStreamEvent(events, conversation.id, { messageId, offset, delta: event.content, final: false });
          } else if (event.type === 'tool_calls') {
            calls = event.calls;
          } else if (event.usage) {
            usage.promptTokens += event.usage.promptTokens;
            usage.completionTokens += event.usage.completionTokens;
            usage.reported = true;
          }
        }
        if (!calls?.length) break;
        // The model's calls and their results join the conversation (as messages), then it goes on.
        await prisma.aIMessage.create({
          data: { conversationId: conversation.id, role: 'ASSISTANT', content: '', toolCalls: calls as never },
        });
        messages.push({ role: 'assistant', content: null, toolCalls: calls });
        for (const call of calls) {
          const result = await runTool(environment, call, settings.allowedTools);
          await prisma.aIMessage.create({
            data: {
              conversationId: conversation.id,
              role: 'TOOL',
              content: result,
              toolCallId: call.id,
              toolCalls: [{ id: call.id, name: call.name }] as never,
            },
          });
          messages.push({ role: 'tool', content: result, toolCallId: call.id });
        }
      }
      await this.finish(reply, { status: 'COMPLETE', content: running.content, usage, latencyMs: Date.now() - started });
    } catch (error) {
      const cancelled = signal.aborted && signal.reason === 'cancelled';
      await this.finish(reply, {
        status: cancelled ? 'CANCELLED' : 'FAILED',
        content: running.content,
        usage,
        latencyMs: Date.now() - started,
        failureReason: cancelled ? null : reasonOf(error, signal),
      });
    } finally {
      releaseLease();
    }
  }

  /** The conversation so far, as the provider reads it: system prompt, then user and assistant turns. */
  private async history(conversationId: string, replyId: string, systemPrompt: string): Promise<ChatMessage[]> {
    const rows = await this.options.prisma.aIMessage.findMany({
      where: { conversationId, id: { not: replyId }, role: { in: ['USER', 'ASSISTANT'] }, status: { in: ['COMPLETE', 'CANCELLED'] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const turns: ChatMessage[] = rows
      .filter((row) => row.content !== '')
      .map((row) => ({ role: row.role === 'USER' ? 'user' : 'assistant', content: row.content }));
    return systemPrompt ? [{ role: 'system', content: systemPrompt }, ...turns] : turns;
  }

  private async finish(
    reply: { conversation: AIConversation; messageId: string },
    outcome: {
      status: 'COMPLETE' | 'FAILED' | 'CANCELLED';
      content: string;
      usage: { promptTokens: number; completionTokens: number; reported: boolean };
      latencyMs: number;
      failureReason?: string | null;
    },
  ): Promise<void> {
    const { prisma } = this.options;
    // Only while still being written: an instance that took this reply for abandoned
    // (this one having stalled past its lease) has ended it and told its subscribers.
    const ended = await prisma.aIMessage.updateMany({
      where: { id: reply.messageId, status: 'STREAMING' },
      data: {
        status: outcome.status,
        content: outcome.content,
        promptTokens: outcome.usage.reported ? outcome.usage.promptTokens : null,
        completionTokens: outcome.usage.reported ? outcome.usage.completionTokens : null,
        latencyMs: outcome.latencyMs,
        failureReason: outcome.failureReason ?? null,
        leaseExpiresAt: null,
      },
    });
    await prisma.aIConversation.update({ where: { id: reply.conversation.id }, data: { updatedAt: new Date() } });
    if (outcome.usage.reported) {
      await recordUsage(
        prisma,
        {
          organizationId: reply.conversation.organizationId,
          model: reply.conversation.model,
          promptTokens: outcome.usage.promptTokens,
          completionTokens: outcome.usage.completionTokens,
        },
        this.options.prices,
      );
    }
    if (ended.count === 0) return;
    await publishStreamEvent(this.options.events, reply.conversation.id, {
      messageId: reply.messageId,
      offset: outcome.content.length,
      delta: '',
      final: true,
    });
  }
}

/** A failure, said for people (never the provider key: the provider's errors do not carry it). */
function reasonOf(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason === 'shutdown') return 'The service restarted while the reply was being written; send the message again.';
  if (signal.aborted && signal.reason === 'superseded') return abandonedReplyReason;
  if (error instanceof ProviderError) {
    switch (error.kind) {
      case 'rate_limited':
        return `The AI provider is rate limiting requests: ${error.message}`;
      case 'timeout':
        return `The AI provider did not answer in time: ${error.message}`;
      case 'broken_stream':
        return `The AI provider's stream broke off: ${error.message}`;
      case 'unreachable':
        return `The AI provider could not be reached: ${error.message}`;
      case 'server':
        return `The AI provider failed: ${error.message}`;
      default:
        return `The AI provider refused the request: ${error.message}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
