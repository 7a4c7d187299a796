import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from 'graphql-sse';

/**
 * Answers one request with a graphql-sse handler, whose body the caller has already read
 * (to verify its signature, or to bound its size). Events are written one at a time, each
 * after the previous one left the socket: a slow reader slows the stream down instead of
 * piling events up in memory. The stream's source is closed when the client goes away.
 */
export async function serveSse<TContext>(
  handler: Handler<IncomingMessage, { res: ServerResponse; context: TContext }>,
  request: IncomingMessage,
  response: ServerResponse,
  rawBody: string,
  context: TContext,
): Promise<void> {
  const [body, init] = await handler({
    method: request.method ?? 'POST',
    url: request.url ?? '/',
    headers: {
      get(key) {
        const header = request.headers[key];
        return Array.isArray(header) ? header.join('\n') : header;
      },
    },
    body: rawBody,
    raw: request,
    context: { res: response, context },
  });
  response.writeHead(init.status, init.statusText, init.headers);
  if (!body || typeof body === 'string') {
    response.end(body ?? undefined);
    return;
  }
  const stop = () => void body.return(undefined);
  response.once('close', stop);
  try {
    for await (const chunk of body) {
      if (!response.writable) break;
      const written = await new Promise<boolean>((resolve) => {
        response.write(chunk, (error) => resolve(!error));
      });
      if (!written) break;
    }
  } finally {
    response.off('close', stop);
    await body.return(undefined);
    response.end();
  }
}
