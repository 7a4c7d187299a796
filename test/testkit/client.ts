import { fetch } from 'undici';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** A client that speaks plain HTTP to the gateway, as a dashboard would. */
export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  /** The same client, sending `Authorization: Bearer <token>`. */
  as(token: string | undefined): GraphQLClient {
    return new GraphQLClient(this.url, token);
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
