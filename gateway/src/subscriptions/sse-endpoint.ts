import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveSse, type Actor, type Logger } from '@token-nexus/shared';
import { getOperationAST, parse, validate, type ValidationRule } from 'graphql';
import { createHandler } from 'graphql-sse';
import type { GatewayContext } from '../context.ts';
import { operationContext } from './operation-context.ts';
import type { SubscriptionEngine } from './subscribe.ts';
import type { SubscriptionCounter } from './subscription-limits.ts';
import type { SubscriptionPlanner } from './subscription-planner.ts';
import { asBadUserInput } from './websocket-server.ts';

type SseContext = GatewayContext & Record<PropertyKey, unknown>;

/**
 * Subscriptions over Server-Sent Events (graphql-sse, one stream per POST) for clients
 * that cannot open WebSockets: the same engine, limits and error handling. The caller has
 * authenticated the request (same bearer token as any HTTP request) and read its body.
 */
export function createSseEndpoint(options: {
  planner: () => SubscriptionPlanner;
  engine: SubscriptionEngine;
  counter: SubscriptionCounter;
  validationRules: ValidationRule[];
  logger: Logger;
}) {
  const handler = createHandler<IncomingMessage, { res: ServerResponse; context: SseContext }, SseContext>({
    schema: () => options.planner().apiSchema,
    validate: (schema, document) => validate(schema, document, options.validationRules).map(asBadUserInput),
    context: (request) => request.context.context,
    onSubscribe: (_request, params) => {
      const operation = getOperationAST(parse(params.query as string), params.operationName ?? undefined);
      if (operation?.operation !== 'subscription') {
        const body = JSON.stringify({
          errors: [{ message: 'Send queries and mutations to /graphql; this stream is for subscriptions.', extensions: { code: 'BAD_USER_INPUT' } }],
        });
        return [body, { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json' } }] as const;
      }
      return undefined;
    },
    subscribe: (args) => {
      const context = args.contextValue as GatewayContext;
      return options.engine({
        document: args.document,
        operationName: args.operationName,
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        context,
      }) as unknown as AsyncGenerator<never>;
    },
  });

  return async function serve(
    request: IncomingMessage,
    response: ServerResponse,
    body: string,
    identity: { actor: Actor; clientIp: string | null; userAgent: string | null },
  ): Promise<void> {
    const context = operationContext(identity, options.logger) as SseContext;
    const refusal = options.counter.acquire(identity.actor, 0, 'sse');
    if (refusal) {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: refusal.extensions }] }));
      return;
    }
    try {
      await serveSse(handler, request, response, body, context);
    } finally {
      options.counter.release(identity.actor, 'sse');
    }
  };
}
