import { STATUS_CODES } from 'node:http';
import { request, type Agent } from 'undici';

/**
 * A subgraph's answer, read whole, with the parts of a fetch `Response` that the gateway
 * reads (status, headers, body as text or JSON); its body can be read more than once.
 */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    headers: Record<string, string | string[] | undefined>,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
}

/**
 * POSTs `body` to a subgraph through undici's pooled `request` (node streams, no WHATWG
 * fetch machinery per call) and reads the whole answer. `signal` bounds the whole
 * exchange, the body included, and its reason is what a timeout rejects with, as with
 * fetch.
 */
export async function postToSubgraph(
  url: string,
  options: { headers: Record<string, string>; body: string; agent: Agent; signal: AbortSignal },
): Promise<SubgraphResponse> {
  const response = await request(url, {
    method: 'POST',
    headers: options.headers,
    body: options.body,
    dispatcher: options.agent,
    signal: options.signal,
  });
  return new SubgraphResponse(url, response.statusCode, response.headers, await response.body.text());
}
