import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import { UnauthenticatedError, type Actor, type Logger, type PlatformMetrics } from '@token-nexus/shared';
import { GraphQLError, getOperationAST, parse, print, validate, type DocumentNode, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GatewayContext } from '../context.ts';
import { operationContext, type ConnectionIdentity } from './operation-context.ts';
import type { SubscriptionEngine } from './subscribe.ts';
import type { SubscriptionCounter } from './subscription-limits.ts';
import type { SubscriptionPlanner } from './subscription-planner.ts';

/** Above this many bytes waiting on a socket, the gateway stops sending to it and waits. */
const socketHighWaterMark = 1024 * 1024;

interface ConnectionState {
  identity: ConnectionIdentity;
  open: Set<string>;
}

export interface WebSocketEndpointOptions {
  path: string;
  /** The planner of the schema served now (it changes when the supergraph is reloaded). */
  planner: () => SubscriptionPlanner;
  engine: SubscriptionEngine;
  counter: SubscriptionCounter;
  apollo: ApolloServer<GatewayContext>;
  validationRules: ValidationRule[];
  /** Who the client is, from `connection_init`'s `authorization` (bearer token). */
  authenticate(authorization: string | undefined): Promise<Actor>;
  clientAddress(request: IncomingMessage): string | null;
  logger: Logger;
  /** Counts the open connections. */
  connectionsGauge?: PlatformMetrics['websocketConnections'];
}

/**
 * The graphql-ws protocol on the gateway's endpoint, beside HTTP: subscriptions (run by
 * the subscription engine across subgraphs), and queries and mutations too (run by Apollo
 * like any HTTP request). Authentication happens in `connection_init`; a bad token closes
 * the socket with 4403, as the protocol says.
 */
export function attachWebSocketEndpoint(server: Server, options: WebSocketEndpointOptions) {
  const sockets = new WebSocketServer({ noServer: true });
  const connections = new WeakMap<object, ConnectionState>();
  // Which socket an operation's context belongs to, for back-pressure.
  const socketOf = new WeakMap<GatewayContext, WebSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      options.connectionsGauge?.inc();
      ws.once('close', () => options.connectionsGauge?.dec());
      sockets.emit('connection', ws, request);
    });
  };
  server.on('upgrade', onUpgrade);

  const disposable = useServer<Record<string, unknown> | undefined, { state?: ConnectionState }>(
    {
      schema: () => options.planner().apiSchema,
      onConnect: async (ctx) => {
        const authorization = readAuthorization(ctx.connectionParams);
        try {
          const actor = await options.authenticate(authorization);
          const userAgent = ctx.extra.request.headers['user-agent'];
          connections.set(ctx, {
            identity: {
              actor,
              clientIp: options.clientAddress(ctx.extra.request),
              userAgent: userAgent ? userAgent.slice(0, 512) : null,
            },
            open: new Set(),
          });
          return true;
        } catch (error) {
          if (error instanceof UnauthenticatedError) return false;
          throw error;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const state = connections.get(ctx)!;
        const parsed = parseOperation(options, payload.query);
        if (!('document' in parsed)) return parsed.errors;
        const operation = getOperationAST(parsed.document, payload.operationName);
        if (operation?.operation === 'subscription') {
          const refusal = options.counter.acquire(state.identity.actor, state.open.size, 'websocket');
          if (refusal) return [refusal];
          state.open.add(id);
        }
        return undefined;
      },
      context: (ctx) => {
        const context = operationContext(connections.get(ctx)!.identity, options.logger);
        socketOf.set(context, ctx.extra.socket);
        return context as unknown as Record<PropertyKey, unknown>;
      },
      subscribe: (args) => {
        const context = args.contextValue as unknown as GatewayContext;
        return options.engine({
          document: args.document,
          operationName: args.operationName,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          context,
          capacity: () => waitForSocket(socketOf.get(context)),
        }) as unknown as AsyncGenerator<never>;
      },
      execute: async (args) => {
        const response = await options.apollo.executeOperation(
          {
            query: print(args.document),
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            ...(args.operationName ? { operationName: args.operationName } : {}),
          },
          { contextValue: args.contextValue as unknown as GatewayContext },
        );
        return response.body.kind === 'single' ? (response.body.singleResult as never) : ({ errors: [] } as never);
      },
      onNext: (_ctx, _id, _payload, args, result) =>
        stampRequestId(result, args.contextValue as unknown as GatewayContext),
      onComplete: (ctx, id) => release(connections.get(ctx), id, options.counter),
      onClose: (ctx) => {
        const state = connections.get(ctx);
        for (const id of state?.open ?? []) release(state, id, options.counter);
      },
    },
    sockets,
    12_000,
  );

  return {
    /** Closes every socket (their subscriptions end); answers how many were open. */
    close: async (): Promise<number> => {
      server.off('upgrade', onUpgrade);
      await disposable.dispose();
      const open = sockets.clients.size;
      // 1001 Going Away: clients reconnect (to another instance) and catch up; graphql-ws
      // clients treat 4500 as fatal and would give up.
      for (const client of sockets.clients) client.close(1001, 'The gateway is shutting down');
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      return open;
    },
  };
}

function readAuthorization(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** Parses and validates an operation (the graph's rules and the gateway's operation limits). */
function parseOperation(
  options: WebSocketEndpointOptions,
  query: string,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const parseError = error instanceof GraphQLError ? error : new GraphQLError('The operation could not be parsed.');
    return { errors: [asBadUserInput(parseError)] };
  }
  const errors = validate(options.planner().apiSchema, document, options.validationRules);
  return errors.length ? { errors: errors.map(asBadUserInput) } : { document };
}

/** Validation problems are the client's to fix, with the same code as over HTTP. */
export function asBadUserInput(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

function release(state: ConnectionState | undefined, id: string, counter: SubscriptionCounter): void {
  if (!state?.open.delete(id)) return;
  counter.release(state.identity.actor, 'websocket');
}

/** Waits while the client has not read what was already sent. */
async function waitForSocket(socket: WebSocket | undefined): Promise<void> {
  while (socket && socket.readyState === socket.OPEN && socket.bufferedAmount > socketHighWaterMark) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function stampRequestId<T extends { errors?: readonly unknown[] }>(result: T, context: GatewayContext | undefined): T {
  if (!result.errors?.length || !context) return result;
  return {
    ...result,
    errors: result.errors.map((error) => ({
      ...(error as Record<string, unknown>),
      extensions: { ...((error as { extensions?: object }).extensions ?? {}), requestId: context.requestId },
    })),
  };
}
