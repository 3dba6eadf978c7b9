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
    const { status, body } = await this.requestBytes(query, variables);
    return { status, text: body.toString("utf8") };
  }

  /**
   * The response body exactly as it came over the wire (undici does not decompress): with `acceptEncoding` set the
   * API may answer compressed, and `body` is then the compressed bytes.
   */
  async requestBytes(
    query: string,
    variables: Record<string, unknown>,
    acceptEncoding?: string,
  ): Promise<{ status: number; contentEncoding: string | undefined; body: Buffer }> {
    const response = await this.pool.request({
      method: "POST",
      path: this.path,
      headers: { "content-type": "application/json", ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const encoding = response.headers["content-encoding"];
    return {
      status: response.statusCode,
      contentEncoding: Array.isArray(encoding) ? encoding.join(",") : encoding,
      body: Buffer.from(await response.body.arrayBuffer()),
    };
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
  confirm: `mutation ($input: ConfirmBookingInput!) { confirmBooking(input: $input) { booking { id status } userErrors { code } } }`,
  cancel: `mutation ($input: CancelBookingInput!) { cancelBooking(input: $input) { booking { id status } userErrors { code } } }`,
  available: `query ($id: ID!) { show(id: $id) { availableSeats heldSeats seats(status: AVAILABLE) { seatNumber } } }`,
  seatMap: `query ($id: ID!) { show(id: $id) { seats { seatNumber status version } } }`,
  /** The compact seat map's changing half: one status character per seat, with its version and counts. */
  availability: `query ($id: ID!) { show(id: $id) { availability { seatMapVersion statuses availableSeats } } }`,
  /** A page of shows with their counts (what a listing page shows). */
  showsPage: `query { shows(first: 20) { edges { node { id availableSeats heldSeats bookedSeats } } } }`,
  /** A hold that also asks whether the held seats are adjacent (best-available contention). */
  holdAdjacent: `mutation ($input: HoldSeatsInput!) { holdSeats(input: $input) { booking { id status seatNumbers } adjacent userErrors { code seatNumbers } } }`,
  subscribe: `subscription ($showId: ID!) { seatMapChanged(showId: $showId) { version seats { seatNumber status version } } }`,
} as const;

/** `HoldSeatsInput.seats`, a `@oneOf` input: exactly one of the exact seats and a quantity (best available). */
export type SeatSelection = { seatNumbers: string[]; quantity?: never } | { quantity: number; seatNumbers?: never };

export interface HoldPayload {
  holdSeats: {
    booking: { id: string; status: string; seatNumbers: string[] } | null;
    userErrors: { code: string; seatNumbers?: string[] | null }[];
  };
}
