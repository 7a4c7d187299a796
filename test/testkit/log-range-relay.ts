import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One eth_getLogs the relay was asked, as it read the filter. */
export interface RelayedLogRequest {
  /** The filter's address, lower-case; null when it names none (or several). */
  address: string | null;
  fromBlock: number;
  toBlock: number;
  /** toBlock − fromBlock + 1. */
  blocks: number;
  /** Answered with the "block range is too large" error instead of being passed on. */
  refused: boolean;
  /** How many logs the node answered with; null when refused (or the node failed). */
  logs: number | null;
}

/** How the relay refuses a range: the JSON-RPC error, and the HTTP status it comes with. */
export interface LogRangeRefusal {
  /** 200 unless given, as most providers answer JSON-RPC errors. */
  httpStatus?: number;
  error: { code: number; message: string; data?: unknown };
}

/** What most nodes and providers answer (EIP-1474's "limit exceeded" code). */
export const blockRangeTooLarge: LogRangeRefusal = { error: { code: -32005, message: 'block range is too large' } };

/**
 * An RPC endpoint in front of a real node that serves at most `maxRange` blocks per
 * eth_getLogs, as most hosted providers do (each with its own limit and wording).
 */
export interface LogRangeRelay {
  /** `http://127.0.0.1:<port>`: register it as a chain's RPC URL. */
  url: string;
  /** Every eth_getLogs, in the order they arrived. */
  logRequests: RelayedLogRequest[];
  /** Serves at most `maxRange` blocks per eth_getLogs from now on, refusing more with `refusal` (default `blockRangeTooLarge`). */
  limit(maxRange: number, refusal?: LogRangeRefusal): void;
  /** Every JSON-RPC call, whatever its method (a batch counts each of its calls). */
  calls(): number;
  close(): Promise<void>;
}

interface JsonRpcCall {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

/**
 * Starts a JSON-RPC relay on a free port of 127.0.0.1 that passes every call on to
 * `upstream` unchanged, except an eth_getLogs covering more than `maxRange` blocks: that
 * one is answered with `refusal` (by default, with HTTP 200, the JSON-RPC error
 * `{ code: -32005, message: "block range is too large" }`). Block tags in a filter
 * (`latest`…) are resolved against the upstream's head to measure the range.
 */
export async function startLogRangeRelay(
  upstream: string,
  options: { maxRange: number; refusal?: LogRangeRefusal },
): Promise<LogRangeRelay> {
  let maxRange = options.maxRange;
  let refusal = options.refusal ?? blockRangeTooLarge;
  const logRequests: RelayedLogRequest[] = [];
  let calls = 0;

  const forward = async (call: JsonRpcCall): Promise<unknown> => {
    const response = await fetch(upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(call),
    });
    return response.json();
  };

  const blockOf = async (tag: unknown): Promise<number> => {
    if (typeof tag === 'string' && /^0x[0-9a-f]+$/i.test(tag)) return Number(tag);
    if (tag === 'earliest') return 0;
    const head = (await forward({ jsonrpc: '2.0', id: 0, method: 'eth_blockNumber', params: [] })) as { result: string };
    return Number(head.result);
  };

  /** The answer to one call, and the HTTP status it asks for. */
  const answer = async (call: JsonRpcCall): Promise<{ status: number; body: unknown }> => {
    calls += 1;
    const filter = call.method === 'eth_getLogs' ? (call.params?.[0] as Record<string, unknown> | undefined) : undefined;
    // A filter by block hash covers one block: nothing to limit.
    if (!filter || filter.blockHash !== undefined) return { status: 200, body: await forward(call) };
    const fromBlock = await blockOf(filter.fromBlock ?? 'latest');
    const toBlock = await blockOf(filter.toBlock ?? 'latest');
    const blocks = toBlock - fromBlock + 1;
    const refused = blocks > maxRange;
    const address = typeof filter.address === 'string' ? filter.address.toLowerCase() : null;
    const logged: RelayedLogRequest = { address, fromBlock, toBlock, blocks, refused, logs: null };
    logRequests.push(logged);
    if (!refused) {
      const body = (await forward(call)) as { result?: unknown };
      if (Array.isArray(body.result)) logged.logs = body.result.length;
      return { status: 200, body };
    }
    return { status: refusal.httpStatus ?? 200, body: { jsonrpc: '2.0', id: call.id ?? null, error: refusal.error } };
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonRpcCall | JsonRpcCall[];
          // A batch is answered 200 as a whole, whatever its calls' answers.
          const { status, result } = Array.isArray(body)
            ? { status: 200, result: (await Promise.all(body.map(answer))).map((answered) => answered.body) }
            : await answer(body).then((answered) => ({ status: answered.status, result: answered.body }));
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        } catch (error) {
          // The upstream is down or the body was no JSON: what a broken provider answers.
          response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logRequests,
    limit(range, nextRefusal = blockRangeTooLarge) {
      maxRange = range;
      refusal = nextRefusal;
    },
    calls: () => calls,
    close: async () => {
      // The graph's clients keep their connections alive: close() alone would wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
