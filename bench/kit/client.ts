import { randomInt } from 'node:crypto';

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The JSON body of a GraphQL request, exactly as it goes over the wire (and is signed). */
export function graphQLBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** POSTs a GraphQL body to `url` and parses the response. */
export async function postGraphQL<TData>(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const parsed = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...parsed };
}

/** A client that speaks plain HTTP to the gateway, as a dashboard would. */
export class GraphQLClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  /** The same client, sending `Authorization: Bearer <token>`. */
  as(token: string): GraphQLClient {
    return new GraphQLClient(this.url, token);
  }

  /**
   * The headers this client sends with every request. The bench graph trusts one proxy
   * hop, and seeding says it comes from a new address each time, as many real clients
   * would: per-IP rate limits (ten sign-ups an hour) apply to seeding as to anyone.
   */
  headers(): Record<string, string> {
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}`;
    return {
      'x-forwarded-for': address,
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  /** Runs an operation that must succeed, and returns its data. */
  async data<TData>(query: string, variables?: Record<string, unknown>): Promise<TData> {
    const response = await postGraphQL<TData>(this.url, graphQLBody(query, variables), this.headers());
    if (response.errors?.length || !response.data) {
      throw new Error(`operation failed: ${JSON.stringify(response.errors ?? response)}`);
    }
    return response.data;
  }
}

/**
 * The `index`th address of 10.0.0.0/8, in order: a client address no other index shares
 * (for up to 16,777,216 indexes), for loads where each request must come from its own
 * client. Random addresses would repeat now and then, and a per-IP limit could refuse one.
 */
export function addressAt(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 24) {
    throw new RangeError(`no address ${index} in 10.0.0.0/8`);
  }
  return `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}`;
}
