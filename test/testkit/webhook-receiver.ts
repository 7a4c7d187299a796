import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the receiver got it: the raw body, byte for byte, is what signatures cover. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; one that never calls `response.end` leaves the sender waiting. */
export type ReceiverHandler = (request: ReceivedRequest, response: ServerResponse) => void;

/** A real HTTP server standing in for a customer's webhook endpoint. */
export interface WebhookReceiver {
  /** `http://host:port` (IPv6 in brackets), no trailing slash. */
  url: string;
  /** The address it listens on, as given (no brackets). */
  host: string;
  port: number;
  /** Every request that reached the server, in order. */
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port of `host` (127.0.0.1 unless told; any 127/8 address
 * works on Linux). By default it answers 204 to everything.
 */
export async function startWebhookReceiver(
  handler: ReceiverHandler = (_, response) => response.writeHead(204).end(),
  host = '127.0.0.1',
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, response);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    requests,
    async close() {
      // Receivers that never answer hold their connections open; close must not wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
