import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The target's URL with the proxy's host and port, e.g. redis://127.0.0.1:41234. */
  url: string;
  /** Drops every connection through it and refuses new ones: a network cut to one client. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  /**
   * How many bytes clients have sent through it to the target so far: whether, and how
   * much, a client uses this path. Bytes rather than connections, since HTTP clients send
   * many requests over one kept-alive connection (and share it between their callers).
   */
  bytesForwarded(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetUrl` (e.g. the run's Redis), for cutting
 * one client's connections while every other client keeps its own.
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  let isCut = false;
  let forwarded = 0;
  const server = createServer((client) => {
    if (isCut) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => (forwarded += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString().replace(/\/$/, ''),
    cut: () => {
      isCut = true;
      for (const socket of open) socket.destroy();
    },
    restore: () => {
      isCut = false;
    },
    bytesForwarded: () => forwarded,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
