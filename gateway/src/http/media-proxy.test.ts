import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { mediaFilesRoute } from './media-proxy.ts';
import { createRequestListener } from './router.ts';

// The gateway's media route between a real client and a real node:http server standing in
// for the media subgraph's folder route: what passes, what is held back, what is refused.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the stand-in media route saw of each request, and how many body bytes it has read so far. */
interface UpstreamRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  received: number;
}

/** The stand-in media subgraph, and the gateway's request listener in front of it with only the media route. */
async function proxyTo(handler: (request: IncomingMessage, response: ServerResponse, seen: UpstreamRequest) => void) {
  const seen: UpstreamRequest[] = [];
  const upstream = await listen((request, response) => {
    const entry: UpstreamRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, received: 0 };
    seen.push(entry);
    request.on('data', (chunk: Buffer) => (entry.received += chunk.length));
    handler(request, response, entry);
  });
  const { listener } = createRequestListener({
    // The media subgraph's URL is its GraphQL endpoint; the route keeps only its origin.
    routes: [mediaFilesRoute(`${upstream}/graphql`)],
    logger: pino({ level: 'silent' }),
    corsOrigins: [],
    production: true,
  });
  const gateway = await listen(listener);
  return { gateway, seen };
}

const key = 'orgs/7f1b0c52-9c51-4c8e-9d7e-4a3b5b0f2a11/uploads/' + 'ab'.repeat(32);
const mib = 1024 * 1024;

/** One 64 KiB chunk written again and again: the client itself holds no more than that. */
const chunk = Buffer.alloc(64 * 1024, 7);

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() - started > timeoutMs) throw new Error(`never happened: ${what}`);
  }
}

/** Resolves when a writable may take more, or will never again. */
function drainedOrClosed(stream: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('close', done);
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A PUT written chunk by chunk as the socket takes it. `beforeChunk` runs before each
 * chunk and may wait, or answer `stop` to send no more (the request is then destroyed);
 * the answer resolves once it has been read whole.
 */
function put(
  url: string,
  options: {
    totalBytes: number;
    headers?: Record<string, string | number>;
    beforeChunk?: (sentBytes: number) => Promise<void | 'stop'> | void | 'stop';
  },
): { answer: Promise<Answer>; sent: () => number; finished: Promise<void> } {
  let sent = 0;
  const request = httpRequest(url, { method: 'PUT', headers: options.headers });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (data: Buffer) => chunks.push(data));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
  const finished = (async () => {
    while (sent < options.totalBytes) {
      if ((await options.beforeChunk?.(sent)) === 'stop') {
        request.destroy();
        return;
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, options.totalBytes - sent));
      sent += piece.length;
      if (!request.write(piece)) await new Promise((resolve) => request.once('drain', resolve));
    }
    request.end();
  })();
  return { answer, sent: () => sent, finished };
}

describe('an upload through the gateway', () => {
  test('reaches the media route while the client is still sending it: 20 MB, byte for byte', async () => {
    const totalBytes = 20 * mib;
    const hash = createHash('sha256');
    const { gateway, seen } = await proxyTo((request, response) => {
      request.on('data', (data: Buffer) => hash.update(data));
      request.on('end', () => response.writeHead(200, { 'content-length': 0 }).end());
    });
    const expected = createHash('sha256');
    const upload = put(`${gateway}/media/files/${key}?op=put&size=${totalBytes}&sig=x`, {
      totalBytes,
      headers: { 'content-length': totalBytes, 'content-type': 'application/pdf' },
      beforeChunk: async (sentBytes) => {
        expected.update(chunk.subarray(0, Math.min(chunk.length, totalBytes - sentBytes)));
        // After 2 MB the client waits until the media route has some of them: a gateway
        // that read the whole body before passing it on would never let it go further.
        if (sentBytes === 2 * mib) await until(() => (seen[0]?.received ?? 0) >= mib, 'the media route received a byte before the client sent the rest');
      },
    });
    await upload.finished;
    const answer = await upload.answer;
    expect(answer.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.received).toBe(totalBytes);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });

  test('is held back, not buffered, while the media route reads nothing: of 64 MB the client gets under 16 MB out', async () => {
    const totalBytes = 64 * mib;
    let paused: IncomingMessage | undefined;
    const { gateway, seen } = await proxyTo((request, response) => {
      paused = request.pause();
      request.on('end', () => response.writeHead(200, { 'content-length': 0 }).end());
    });
    const upload = put(`${gateway}/media/files/${key}?op=put&size=${totalBytes}&sig=x`, {
      totalBytes,
      headers: { 'content-length': totalBytes, 'content-type': 'application/pdf' },
    });
    await until(() => paused !== undefined, 'the request reached the media route');
    // Sending stops once the sockets' buffers and the streams' high-water marks are full:
    // wait until nothing more went out for 300 ms.
    let last = -1;
    let stalledSince = Date.now();
    await until(() => {
      if (upload.sent() !== last) [last, stalledSince] = [upload.sent(), Date.now()];
      return Date.now() - stalledSince >= 300;
    }, 'the client stopped being able to send');
    expect(upload.sent()).toBeLessThan(16 * mib);
    expect(seen[0]!.received).toBe(0);
    paused!.resume();
    await upload.finished;
    expect((await upload.answer).status).toBe(200);
    expect(seen[0]!.received).toBe(totalBytes);
  });

  test('without a Content-Length is refused with 411 before anything reaches the media route', async () => {
    const { gateway, seen } = await proxyTo((_request, response) => response.writeHead(200).end());
    // No Content-Length: Node sends the body chunked.
    const upload = put(`${gateway}/media/files/${key}?op=put&size=100&sig=x`, { totalBytes: 100, headers: { 'content-type': 'application/pdf' } });
    const answer = await upload.answer;
    expect(answer.status).toBe(411);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body.toString())).toEqual({ error: 'Send the body with a Content-Length.', requestId: expect.any(String) });
    expect(seen).toEqual([]);
  });

  test('larger than the size its URL was signed for is refused with 413 before anything reaches the media route', async () => {
    const { gateway, seen } = await proxyTo((_request, response) => response.writeHead(200).end());
    const upload = put(`${gateway}/media/files/${key}?op=put&size=1000&sig=x`, {
      totalBytes: 1001,
      headers: { 'content-length': 1001, 'content-type': 'application/pdf' },
    });
    const answer = await upload.answer;
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body.toString()).error).toBe('The body must be 1000 bytes, as signed.');
    expect(seen).toEqual([]);
  });

  test("refused by the media route before its end gets the route's answer, and its connection is closed rather than drained", async () => {
    const { gateway, seen } = await proxyTo((_request, response) => {
      // As the folder route answers an expired URL: at once, without reading the body.
      const body = JSON.stringify({ error: 'This URL has expired. Ask for a new one.', reason: 'expired' });
      response.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    const totalBytes = 20 * mib;
    let answered = false;
    const upload = put(`${gateway}/media/files/${key}?op=put&size=${totalBytes}&sig=x`, {
      totalBytes,
      headers: { 'content-length': totalBytes, 'content-type': 'application/pdf' },
      // The client sends 1 MB of 20, then reads the answer before sending more.
      beforeChunk: async (sentBytes) => {
        if (sentBytes < mib) return;
        await until(() => answered, 'the refusal reached the client');
        return 'stop';
      },
    });
    const answer = await upload.answer;
    answered = true;
    await upload.finished;
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body.toString())).toEqual({ error: 'This URL has expired. Ask for a new one.', reason: 'expired' });
    // The gateway does not read the 19 MB the client still means to send.
    expect(answer.headers.connection).toBe('close');
    expect(seen).toHaveLength(1);
  });
  test('whose connection the media route cuts without an answer is refused with 400, not a server error', async () => {
    // As the folder route does with a body larger than it would ever keep: it closes the
    // connection, and its answer can be lost to the broken pipe.
    const { gateway } = await proxyTo((request) => request.socket.destroy());
    // Small enough for the sockets' buffers: the client is never left waiting to write.
    const totalBytes = 64 * 1024;
    const upload = put(`${gateway}/media/files/${key}?op=put&size=${totalBytes}&sig=x`, {
      totalBytes,
      headers: { 'content-length': totalBytes, 'content-type': 'application/pdf' },
    });
    const answer = await upload.answer;
    await upload.finished.catch(() => undefined);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString()).error).toMatch(/^The upload was refused before its end/);
  });
});

describe('a download through the gateway', () => {
  test('reaches the client while the media route is still sending it: 20 MB, byte for byte', async () => {
    const totalBytes = 20 * mib;
    let clientReceived = 0;
    const { gateway } = await proxyTo(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': totalBytes });
      for (let written = 0; written < totalBytes; written += chunk.length) {
        // After 2 MB the route waits until the client has some of them: a gateway that
        // held the whole answer before passing it on would never let it go further.
        if (written === 2 * mib) await until(() => clientReceived >= mib, 'the client received a byte before the media route sent the rest');
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
    });
    const response = await fetch(`${gateway}/media/files/${key}?op=get&sig=x`);
    expect(response.status).toBe(200);
    const hash = createHash('sha256');
    for await (const data of response.body!) {
      clientReceived += data.length;
      hash.update(data);
    }
    expect(clientReceived).toBe(totalBytes);
    const expected = createHash('sha256');
    for (let written = 0; written < totalBytes; written += chunk.length) expected.update(chunk);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });

  test('stops being read from the media route when the client goes away', async () => {
    let routeClosed = false;
    let routeWritten = 0;
    const { gateway } = await proxyTo(async (_request, response) => {
      response.on('close', () => (routeClosed = true));
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 200 * mib });
      while (!response.destroyed && routeWritten < 200 * mib) {
        routeWritten += chunk.length;
        if (!response.write(chunk)) await drainedOrClosed(response);
      }
    });
    const aborter = new AbortController();
    const response = await fetch(`${gateway}/media/files/${key}?op=get&sig=x`, { signal: aborter.signal });
    const reader = response.body!.getReader();
    let received = 0;
    while (received < mib) received += (await reader.read()).value!.length;
    aborter.abort();
    await until(() => routeClosed, "the media route's answer was closed");
    expect(routeWritten).toBeLessThan(100 * mib);
  });

  test("passes the media route's description of the body and nothing else, and sends it only what it reads", async () => {
    const { gateway, seen } = await proxyTo((_request, response) => {
      response.writeHead(206, {
        'content-type': 'image/svg+xml',
        'content-length': 5,
        'content-range': 'bytes 0-4/10',
        'content-disposition': `attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`,
        'accept-ranges': 'bytes',
        'cache-control': 'private, max-age=60',
        etag: '"abc"',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        'x-content-type-options': 'nosniff',
        // None of these are the client's business.
        'set-cookie': 'session=media-subgraph',
        'x-powered-by': 'media',
        'access-control-allow-origin': '*',
        'x-internal-note': 'storage folder /var/media',
      });
      response.end('<svg>');
    });
    const response = await fetch(`${gateway}/media/files/${key}?op=get&expires=1&filename=logo.svg&sig=abc`, {
      headers: {
        range: 'bytes=0-4',
        'if-none-match': '"old"',
        cookie: 'session=user',
        authorization: 'Bearer user-token',
        'x-request-id': 'media-1',
        'x-forwarded-for': '10.1.2.3',
      },
    });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('<svg>');
    // Besides the gateway's own: date, connection, keep-alive and vary (CORS).
    const gatewaysOwn = ['date', 'connection', 'keep-alive', 'vary'];
    expect(Object.fromEntries([...response.headers].filter(([name]) => !gatewaysOwn.includes(name)))).toEqual({
      'content-type': 'image/svg+xml',
      'content-length': '5',
      'content-range': 'bytes 0-4/10',
      'content-disposition': `attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=60',
      etag: '"abc"',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      'x-request-id': 'media-1',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    // The path and the signed query as the client sent them: the signature covers them.
    expect(seen[0]!.url).toBe(`/media/files/${key}?op=get&expires=1&filename=logo.svg&sig=abc`);
    const { host: _host, connection: _connection, ...forwarded } = seen[0]!.headers;
    expect(forwarded).toEqual({ range: 'bytes=0-4', 'if-none-match': '"old"', 'x-request-id': 'media-1' });
  });

  test('a HEAD is answered with the headers and no body; a 304 passes as it is', async () => {
    const { gateway, seen } = await proxyTo((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') return response.writeHead(304, { etag: '"v1"', 'cache-control': 'public, max-age=31536000, immutable' }).end();
      response.writeHead(200, { 'content-type': 'image/webp', 'content-length': 1234, etag: '"v1"' }).end();
    });
    const head = await fetch(`${gateway}/media/public/orgs/7f1b0c52-9c51-4c8e-9d7e-4a3b5b0f2a11/variants/${'cd'.repeat(32)}.webp`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1234');
    expect(head.headers.get('content-type')).toBe('image/webp');
    expect(await head.text()).toBe('');
    const cached = await fetch(`${gateway}/media/public/orgs/7f1b0c52-9c51-4c8e-9d7e-4a3b5b0f2a11/variants/${'cd'.repeat(32)}.webp`, {
      headers: { 'if-none-match': '"v1"' },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe('"v1"');
    expect(seen.map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });
});

describe('requests the gateway refuses itself', () => {
  test('a path that is not a storage key (empty segments, other characters, too long, climbing out) is 404, and another method 405, without reaching the media route', async () => {
    const { gateway, seen } = await proxyTo((_request, response) => response.writeHead(200).end());
    const refused = [
      '/media/files/',
      '/media/files/orgs//uploads/x',
      '/media/files/orgs/uploads/x%00',
      '/media/files/orgs/uploads/x;y',
      `/media/files/${'a'.repeat(301)}`,
      // Dot segments are resolved before any route sees the path: these leave /media.
      '/media/files/../graphql',
      '/media/public/orgs/%2e%2e/%2e%2e/%2e%2e/graphql',
    ];
    for (const path of refused) {
      // A raw request: fetch would resolve the dot segments before sending.
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest(`${gateway}${path}`, { method: 'GET' }, (response) => {
          response.resume();
          resolve(response.statusCode!);
        })
          .on('error', reject)
          .end();
      });
      expect(status, path).toBe(404);
    }
    const deleted = await fetch(`${gateway}/media/files/${key}?op=get&sig=x`, { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET, HEAD, PUT');
    await deleted.arrayBuffer();
    expect(seen).toEqual([]);
  });
});
