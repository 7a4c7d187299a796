import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/**
 * A client that speaks plain HTTP to the gateway, as a dashboard would.
 *
 * The test graph trusts one proxy hop (TRUSTED_PROXY_HOPS=1), as a deployment behind a
 * load balancer does, and every request says which client address it comes from in
 * X-Forwarded-For: a new random address per request unless the client is pinned to one
 * with `from(ip)`. So per-IP rate limits apply to tests exactly as to the many clients of
 * a real deployment, and a test about them pins its address.
 */
export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
    private readonly ip?: string,
  ) {}

  /** The same client, sending `Authorization: Bearer <token>`. */
  as(token: string | undefined): GraphQLClient {
    return new GraphQLClient(this.url, token, this.ip);
  }

  /** The same client (token, address), talking to another gateway. */
  withUrl(url: string): GraphQLClient {
    return new GraphQLClient(url, this.token, this.ip);
  }

  /** The same client, always coming from `ip`. */
  from(ip: string): GraphQLClient {
    return new GraphQLClient(this.url, this.token, ip);
  }

  async request<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<TData>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': this.ip ?? randomIp(),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
    return { status: response.status, headers: response.headers as unknown as Headers, ...body };
  }

  /** Runs an operation that must succeed, and returns its data. */
  async data<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<TData> {
    const response = await this.request<TData>(query, variables);
    if (response.errors?.length || !response.data) {
      throw new Error(`operation failed: ${JSON.stringify(response.errors ?? response)}`);
    }
    return response.data;
  }
}

/** The `extensions.code` of each error of a response, in order. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}

/** An address in 10.0.0.0/8, different for (almost) every call. */
export function randomIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}
