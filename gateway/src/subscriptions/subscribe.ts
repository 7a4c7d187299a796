import type { ServiceMap } from '@apollo/gateway';
import { formatErrorForClient, maskedMessage, type PlatformMetrics, type SubgraphName } from '@token-nexus/shared';
import type { DocumentNode, ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { BoundedQueue, QueueOverflowError } from './bounded-queue.ts';
import { completeEvent } from './complete-event.ts';
import { SharedCompletions } from './shared-completions.ts';
import { SharedUpstreams } from './shared-upstreams.ts';
import { subgraphStream } from './subgraph-stream.ts';
import type { SubscriptionPlanner } from './subscription-planner.ts';

export interface SubscriptionRequest {
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown>;
  context: GatewayContext;
  /** Resolves when the client can take more (a transport's back-pressure), if it knows. */
  capacity?: () => Promise<void>;
}

export interface SubscriptionEngineOptions {
  /** The planner of the schema served now (it changes when the supergraph is reloaded). */
  planner: () => SubscriptionPlanner;
  subgraphUrls: Record<SubgraphName, string>;
  signingSecret: string;
  /** The gateway's data sources, for the fetches that complete each event. */
  serviceMap: ServiceMap;
  /** Events that may wait for a slow client before it loses the subscription. */
  queueCapacity: number;
  /** Where subscribers of one audience share each event's completion (one per engine by default). */
  completions?: SharedCompletions;
  /** Where subscribers of one audience share a stream to the subgraph (one per engine by default). */
  upstreams?: SharedUpstreams;
  /** Counts events delivered and subscribers ended for overflowing. */
  metrics?: PlatformMetrics;
}

/**
 * Runs one subscription for one client, across subgraphs: opens the primary fetch on the
 * owning subgraph, completes every event with the other subgraphs' fields, and hands the
 * shaped results to the transport (graphql-ws or graphql-sse). Errors reach the client
 * formatted like any response (masked when unexpected); the subgraph stream is closed
 * whenever the client goes away or the subscription ends. Plans are the planner's cached
 * ones; subscribers of one audience who arrive together share one subgraph stream, and
 * all of an audience share each event's completion.
 */
export function createSubscriptionEngine(options: SubscriptionEngineOptions) {
  /** Every open subscription's queue, to end them all when the schema changes. */
  const open = new Set<BoundedQueue<ExecutionResult>>();
  const completions = options.completions ?? new SharedCompletions();
  const upstreams = options.upstreams ?? new SharedUpstreams();
  /** Each planner's number: audiences of a replaced graph never meet the new one's. */
  const plannerSerials = new WeakMap<SubscriptionPlanner, number>();
  let planners = 0;
  const subscribe = function subscribe(request: SubscriptionRequest): AsyncIterableIterator<FormattedExecutionResult> {
    const { context } = request;
    // A subscription keeps the schema it started with; a reload ends it (endAll).
    const planner = options.planner();
    const plan = planner.plan(request.document, request.operationName);
    const audience = SharedCompletions.audience({
      query: plan.query,
      operationName: request.operationName,
      variables: request.variables,
      actor: context.claims.actor,
    });
    const requestContext = {
      request: { query: plan.query, variables: request.variables, operationName: request.operationName ?? undefined },
      context,
      logger: context.logger,
      metrics: {},
    } as unknown as Parameters<typeof completeEvent>[0]['requestContext'];
    const openStream = () =>
      subgraphStream({
        url: options.subgraphUrls[plan.primary.serviceName as SubgraphName],
        signingSecret: options.signingSecret,
        claims: context.claims,
        query: plan.primary.operation,
        variables: Object.fromEntries(
          (plan.primary.variableUsages ?? [])
            .filter((name) => name in request.variables)
            .map((name) => [name, request.variables[name]]),
        ),
      });
    if (!plannerSerials.has(planner)) plannerSerials.set(planner, (planners += 1));
    const queue = new BoundedQueue<ExecutionResult>(options.queueCapacity);
    open.add(queue);
    const leave = upstreams.join(`${plannerSerials.get(planner)}:${audience}`, openStream, queue);
    const shared = { completions, audience };
    let left: Promise<void> | undefined;
    const leaveOnce = () => (left ??= leave());
    const results = shapeResults(request, queue, { plan, planner, requestContext, options, shared }, async () => {
      open.delete(queue);
      await leaveOnce();
    });
    // The client went away (or the server is stopping): leave the subgraph stream (closed
    // with its last member) and close the queue now, which also wakes the generator if it
    // is waiting for an event.
    return endsAtOnce(results, () => {
      queue.close();
      void leaveOnce();
    });
  };
  return Object.assign(subscribe, {
    /**
     * Ends every open subscription with SCHEMA_RELOADED (the graph they were planned on
     * has changed); clients subscribe again, on the new one.
     */
    endAll(): number {
      const ended = open.size;
      for (const queue of open) queue.fail(new SchemaReloadedError());
      return ended;
    },
  });
}

class SchemaReloadedError extends Error {}

/** The client's view of one subscription: the queue's events, completed and shaped. */
async function* shapeResults(
  request: SubscriptionRequest,
  queue: BoundedQueue<ExecutionResult>,
  running: {
    plan: ReturnType<SubscriptionPlanner['plan']>;
    planner: SubscriptionPlanner;
    requestContext: Parameters<typeof completeEvent>[0]['requestContext'];
    options: SubscriptionEngineOptions;
    shared: { completions: SharedCompletions; audience: string };
  },
  cleanUp: () => Promise<void>,
): AsyncGenerator<FormattedExecutionResult> {
  const { context } = request;
  const { plan, planner, requestContext, options, shared } = running;
  const complete = async (event: ExecutionResult & { data: Record<string, unknown> }): Promise<FormattedExecutionResult> => {
    const completed = await completeEvent({
      plan,
      event: event.data,
      planner,
      serviceMap: options.serviceMap,
      requestContext,
      operationContext: plan.operationContext,
    });
    const errors = [...(event.errors ?? []), ...(completed.errors ?? [])];
    return {
      data: completed.data ?? null,
      ...(errors.length ? { errors: errors.map((error) => formatErrorForClient('toJSON' in error ? error.toJSON() : error)) } : {}),
    };
  };
  try {
    for await (const event of queue.drain()) {
      await request.capacity?.();
      if (!event.data) {
        // A refusal or failure from the subgraph (it ends the stream after it).
        yield { errors: (event.errors ?? []).map((error) => formatErrorForClient(error)) };
        continue;
      }
      const withData = event as ExecutionResult & { data: Record<string, unknown> };
      yield await shared.completions.complete(shared.audience, event, () => complete(withData));
      options.metrics?.eventsDelivered.inc();
    }
  } catch (error) {
    if (error instanceof SchemaReloadedError) {
      yield {
        errors: [
          {
            message: "The graph's schema has changed; subscribe again (and catch up from your last event).",
            extensions: { code: 'SCHEMA_RELOADED', requestId: context.requestId },
          },
        ],
      };
      return;
    }
    if (error instanceof QueueOverflowError) {
      options.metrics?.queueOverflows.inc();
      context.logger.warn({ err: error }, 'subscriber too slow; subscription ended');
      yield {
        errors: [
          {
            message: 'You were receiving events too slowly; subscribe again and catch up.',
            extensions: { code: 'RATE_LIMITED', requestId: context.requestId },
          },
        ],
      };
      return;
    }
    context.logger.error({ err: error }, 'subscription failed');
    yield { errors: [{ message: maskedMessage, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: context.requestId } }] };
  } finally {
    await cleanUp();
  }
}

/**
 * An async generator waiting inside `await` defers `return()` until it wakes, so a client
 * leaving a quiet subscription would hold it open until the next event. This calls
 * `stop()` first (which must wake the generator), then returns the generator.
 */
function endsAtOnce<T>(generator: AsyncGenerator<T>, stop: () => void): AsyncIterableIterator<T> {
  return {
    next: () => generator.next(),
    return: async () => {
      stop();
      return generator.return(undefined);
    },
    throw: async (error: unknown) => {
      stop();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export type SubscriptionEngine = ReturnType<typeof createSubscriptionEngine>;
