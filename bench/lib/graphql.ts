import { Pool } from "undici";

export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A keep-alive HTTP client for the API, one connection per virtual user at most. */
export class GraphQLClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(url: string, connections: number) {
    const { origin, pathname } = new URL(url);
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.path = pathname;
  }

  async request<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
    const response = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 500)
      return { errors: [{ message: text, extensions: { code: `HTTP_${response.statusCode}` } }] };
    return JSON.parse(text) as GraphQLResult<T>;
  }

  /** The raw response body, for large reads where parsing would measure the load generator, not the API. */
  async requestText(query: string, variables: Record<string, unknown>): Promise<{ status: number; text: string }> {
    const response = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The outcome code of a mutation result: OK, the first userError code, or the top-level error code. */
export function outcomeOf(result: GraphQLResult<Record<string, { userErrors?: { code: string }[] }>>): string {
  if (result.errors?.length) return result.errors[0]!.extensions?.code ?? "ERROR";
  const payload = Object.values(result.data ?? {})[0];
  return payload?.userErrors?.[0]?.code ?? "OK";
}

export const OPERATIONS = {
  createShow: `mutation ($input: CreateShowInput!) { createShow(input: $input) { show { id } userErrors { code message } } }`,
  hold: `mutation ($input: HoldSeatsInput!) { holdSeats(input: $input) { booking { id status seatNumbers } userErrors { code seatNumbers } } }`,
  confirm: `mutation ($id: ID!) { confirmBooking(id: $id) { booking { id status } userErrors { code } } }`,
  cancel: `mutation ($id: ID!) { cancelBooking(id: $id) { booking { id status } userErrors { code } } }`,
  available: `query ($id: ID!) { show(id: $id) { availableSeats heldSeats seats(status: AVAILABLE) { seatNumber } } }`,
  seatMap: `query ($id: ID!) { show(id: $id) { seats { seatNumber status version } } }`,
  subscribe: `subscription ($showId: ID!) { seatMapChanged(showId: $showId) { version seats { seatNumber status version } } }`,
} as const;

export interface HoldPayload {
  holdSeats: {
    booking: { id: string; status: string; seatNumbers: string[] } | null;
    userErrors: { code: string; seatNumbers?: string[] | null }[];
  };
}
