export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

/** A small HTTP GraphQL client acting as one user (or anonymously) against a running server. */
export class GraphQLClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string | undefined): GraphQLClient {
    return new GraphQLClient(this.baseUrl, token);
  }

  async request<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: { data?: T; errors?: GraphQLResponse['errors'] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`Non-JSON response ${res.status}: ${text.slice(0, 300)}`);
    }
    return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
  }

  /** Like request, but fails the test with the server's errors when there are any. */
  async ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
    return res.data as T;
  }
}
