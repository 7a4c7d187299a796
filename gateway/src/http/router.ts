import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sendJson, withoutRedaction, type Logger } from '@token-nexus/shared';
import type { RequestLog } from '../context.ts';
import { applyCors } from './cors.ts';
import { requestIdFrom, requestIdHeader } from './request-id.ts';
import { answerFailure } from './route-failure.ts';

/** One request as a route sees it: its id, its logger, and the fields of its log line. */
export interface RouteRequest {
  request: IncomingMessage;
  response: ServerResponse;
  /** The URL's path, without the query. */
  path: string;
  requestId: string;
  /** Logs with the request id; made on first use (most requests log nothing but their line). */
  readonly logger: Logger;
  log: RequestLog;
}

/** What the gateway serves at some paths. */
export interface Route {
  /** Whether this route answers; `request` lets a route share a path with another (by method or Accept). */
  matches(path: string, request: IncomingMessage): boolean;
  handle(request: RouteRequest): Promise<void> | void;
}

/**
 * The gateway's HTTP entry: stamps every response with its request id, answers CORS
 * preflights, hands the request to the first route that matches (404 otherwise), turns a
 * route's failure into a GraphQL-shaped error, and logs one line per response. Counts the
 * requests in flight, for the shutdown's report.
 */
export function createRequestListener(options: {
  routes: Route[];
  logger: Logger;
  corsOrigins: string[];
  production: boolean;
}): { listener: RequestListener; inFlight: () => number } {
  let inFlight = 0;
  const requestLines = withoutRedaction(options.logger);
  const listener: RequestListener = (request, response) => {
    const startedAt = performance.now();
    inFlight++;
    response.once('close', () => inFlight--);
    const requestId = requestIdFrom(request.headers[requestIdHeader]);
    response.setHeader(requestIdHeader, requestId);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    let logger: Logger | undefined;
    const routeRequest: RouteRequest = {
      request,
      response,
      path,
      requestId,
      get logger() {
        return (logger ??= options.logger.child({ requestId }));
      },
      log: {},
    };
    response.on('finish', () => logResponse(requestLines, routeRequest, startedAt));
    if (applyCors(request, response, options.corsOrigins)) return;
    const route = options.routes.find((candidate) => candidate.matches(path, request));
    const handled = route
      ? Promise.resolve().then(() => route.handle(routeRequest))
      : Promise.resolve(sendJson(response, 404, { error: 'not found', requestId }));
    handled.catch((error: unknown) => answerFailure(error, routeRequest, options.production));
  };
  return { listener, inFlight: () => inFlight };
}

/**
 * The request's line: a handful of small fields (see RequestLog, none a secret), written
 * without redaction; the request id first, where a child logger would put it.
 */
function logResponse(lines: Logger, { request, response, path, requestId, log }: RouteRequest, startedAt: number): void {
  if (path.startsWith('/health/')) return;
  // A request refused by a limit is a warning: a client's mistake, or someone probing.
  lines[log.limit ? 'warn' : 'info'](
    {
      requestId,
      method: request.method,
      path,
      status: response.statusCode,
      durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      ...log,
    },
    'request',
  );
}
