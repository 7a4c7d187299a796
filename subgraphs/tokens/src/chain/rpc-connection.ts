import { FetchRequest, JsonRpcProvider, Network, type FetchGetUrlFunc } from 'ethers';
import { ChainUnavailableError } from './chain-errors.ts';

/** A JSON-RPC provider whose every request ends within a deadline, and its shutdown. */
export interface RpcConnection {
  provider: JsonRpcProvider;
  /** Aborts the requests in flight and stops the provider. */
  close(): void;
}

/**
 * ethers' own transport only has an *idle* socket timeout, does not tear the request down
 * when it fires, and retries 429s for up to five minutes. Requests here go through `fetch`
 * instead, each aborted (connection closed) after `timeoutMs` whatever the server does, and
 * every transport failure becomes a `ChainUnavailableError`.
 */
export function openRpcConnection(rpcUrl: string, chainId: number, timeoutMs: number): RpcConnection {
  const url = new URL(rpcUrl);
  // The host only in messages: RPC URLs often carry an API key in their path or query.
  const node = url.host;
  // `fetch` refuses URLs with credentials (https://user:secret@host); send them as Basic auth.
  const { username, password } = url;
  url.username = '';
  url.password = '';
  const inFlight = new Set<AbortController>();

  const getUrl: FetchGetUrlFunc = async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new ChainUnavailableError(`node ${node} did not answer within ${timeoutMs} ms`)), timeoutMs);
    inFlight.add(controller);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: controller.signal,
      });
      // Reading the body is part of the request: a server may send headers and then stall.
      const body = new Uint8Array(await response.arrayBuffer());
      // JSON-RPC errors come with 200, or, from some providers, with another 4xx (Alchemy
      // sends a log range refusal with 400, QuickNode with 413): those are answers about
      // the call, passed on as such. Anything else is the endpoint failing (5xx), throttling
      // (429) or refusing us (401/403: a wrong API key): not a decision about the call.
      // ethers would also put the full URL, API key included, into its error message.
      const answered = (response.status >= 200 && response.status <= 299) || isJsonRpcRefusal(response.status, body);
      if (!answered) throw new ChainUnavailableError(`node ${node} answered HTTP ${response.status}`);
      return {
        statusCode: response.status >= 200 && response.status <= 299 ? response.status : 200,
        statusMessage: response.statusText,
        headers: Object.fromEntries(response.headers),
        body,
      };
    } catch (error) {
      if (error instanceof ChainUnavailableError) throw error;
      if (controller.signal.aborted && controller.signal.reason instanceof ChainUnavailableError) {
        throw controller.signal.reason;
      }
      const cause = (error as Error & { cause?: { code?: string } }).cause;
      throw new ChainUnavailableError(`node ${node} unreachable: ${cause?.code ?? (error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  const connection = new FetchRequest(url.toString());
  if (username || password) connection.setCredentials(decodeURIComponent(username), decodeURIComponent(password));
  connection.getUrlFunc = getUrl;
  connection.timeout = timeoutMs;

  const provider = new JsonRpcProvider(
    connection,
    // A bare network: `Network.from(137)` would bring plugins that fetch gas prices from
    // third-party sites, outside this transport and its deadline.
    new Network(`chain-${chainId}`, chainId),
    {
      // The chain id is checked once, by the client, instead of ethers' start-up probe that
      // retries forever when the node is down.
      staticNetwork: true,
      // ethers caches identical requests for 250 ms by default: a head number or receipt
      // read right after a block would be stale.
      cacheTimeout: -1,
      // One request per call, so one slow call cannot hold up (or time out) others.
      batchMaxCount: 1,
    },
  );

  return {
    provider,
    close() {
      for (const controller of inFlight) controller.abort(new ChainUnavailableError('chain client closed'));
      provider.destroy();
    },
  };
}

/** A 4xx (other than 401, 403 and 429) whose body is a JSON-RPC error: the node's answer to the call. */
function isJsonRpcRefusal(status: number, body: Uint8Array): boolean {
  if (status < 400 || status > 499 || status === 401 || status === 403 || status === 429) return false;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as unknown;
    const error = (parsed as { jsonrpc?: unknown; error?: { code?: unknown; message?: unknown } } | null);
    return error?.jsonrpc === '2.0' && typeof error.error?.code === 'number' && typeof error.error.message === 'string';
  } catch {
    return false;
  }
}
