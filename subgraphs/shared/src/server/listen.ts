import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from './startup-error.ts';

/**
 * Starts listening and answers with the port actually bound (useful with port 0). A port
 * that is taken (or not allowed) is a StartupError naming `portVariable`, the variable
 * to change.
 */
export function listen(server: Server, port: number, host: string, portVariable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new StartupError(`Port ${port} on ${host} is already in use (by another process, or another copy of this one): set ${portVariable} to a free port, or 0 for any.`));
      } else if (error.code === 'EACCES') {
        reject(new StartupError(`Port ${port} on ${host} is not allowed for this user: set ${portVariable} to a port above 1023.`));
      } else {
        reject(error);
      }
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive ones; waits for in-flight requests. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

/** Formats a host for a URL (IPv6 literals need brackets; the wildcard means loopback). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
