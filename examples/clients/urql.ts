import { cacheExchange, Client, type Exchange, fetchExchange, mapExchange, subscriptionExchange } from "@urql/core";
import { type Client as WsClient, createClient } from "graphql-ws";
import {
  ConfirmBookingDocument,
  HoldSeatsDocument,
  type HoldSeatsInput,
  MyBookingsDocument,
  SeatMapChangedDocument,
  SeatsChangedSinceDocument,
  ShowAvailabilityDocument,
  ShowLayoutDocument,
  ShowsDocument,
} from "./gql/graphql";
import { type ClientOptions } from "./apollo";
import { type SeatMapSource } from "./live-seat-map";

const bearer = (token: string | undefined): Record<string, string> =>
  token ? { Authorization: `Bearer ${token}` } : {};

/**
 * urql: HTTP with the token (queries go as GET when short enough, which the server's seat-map cache answers),
 * graphql-ws for subscriptions, errors handled once. `cache` is the document cache unless Graphcache is given
 * (seatBookingGraphcache in urql-graphcache.ts).
 */
export function createUrqlClient(
  options: Omit<ClientOptions, "persistedQueries">,
  cache: Exchange = cacheExchange,
): { client: Client; wsClient: WsClient } {
  const wsClient = createClient({
    url: options.wsUrl,
    connectionParams: () => bearer(options.getToken()),
    webSocketImpl: options.webSocketImpl,
  });
  const client = new Client({
    url: options.httpUrl,
    fetch: options.fetch,
    // `apollo-require-preflight` lets GET queries through the server's CSRF prevention.
    fetchOptions: () => ({ headers: { ...bearer(options.getToken()), "apollo-require-preflight": "true" } }),
    exchanges: [
      mapExchange({
        onError(error) {
          for (const { extensions } of error.graphQLErrors) {
            if (extensions?.code === "UNAUTHENTICATED") options.onUnauthenticated();
            if (extensions?.code === "RATE_LIMITED") options.onRateLimited?.(Number(extensions.retryAfter));
          }
        },
      }),
      cache,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: wsClient.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
  return { client, wsClient };
}

/** The live seat map's reads and subscription through urql; every read goes to the network. */
export function urqlSeatMapSource(client: Client, wsClient: WsClient): SeatMapSource {
  const showOf = async <T>(result: PromiseLike<{ data?: { show?: T | null }; error?: Error }>) => {
    const { data, error } = await result;
    if (error) throw error;
    if (!data?.show) throw new Error("No show with this id.");
    return data.show;
  };
  const network = { requestPolicy: "network-only" } as const;
  return {
    layout: async (id) => (await showOf(client.query(ShowLayoutDocument, { id }, network))).layout,
    availability: async (id) => (await showOf(client.query(ShowAvailabilityDocument, { id }, network))).availability,
    changesSince: async (id, version) =>
      (await showOf(client.query(SeatsChangedSinceDocument, { id, version }, network))).seatsChangedSince,
    subscribe(showId, onChange, onError) {
      const { unsubscribe } = client
        .subscription(SeatMapChangedDocument, { showId })
        .subscribe(({ data, error }) => (error ? onError(error) : data && onChange(data.seatMapChanged)));
      return unsubscribe;
    },
    onConnected: (listener) => wsClient.on("connected", listener),
  };
}

/** Every show, page by page (with Graphcache, `relayPagination()` would merge the pages in the cache instead). */
export async function loadAllShows(client: Client, pageSize: number, search?: string) {
  const page = async (after: string | null) => {
    const { data, error } = await client.query(ShowsDocument, { first: pageSize, after, search });
    if (error) throw error;
    return data!.shows;
  };
  const shows = [];
  for (let after: string | null = null; ;) {
    const { edges, pageInfo } = await page(after);
    shows.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return shows;
    after = pageInfo.endCursor!;
  }
}

/**
 * The buyer's bookings. The document cache refetches a result when a mutation returns a type it contains; an empty
 * list contains no Booking, so the query names the type it depends on.
 */
export async function myBookings(client: Client, first = 20) {
  const { data, error } = await client.query(MyBookingsDocument, { first }, { additionalTypenames: ["Booking"] });
  if (error) throw error;
  return data!.myBookings;
}

export async function holdSeats(client: Client, input: HoldSeatsInput) {
  const { data, error } = await client.mutation(HoldSeatsDocument, { input });
  if (error) throw error;
  return data!.holdSeats;
}

export async function confirmBooking(client: Client, id: string) {
  const { data, error } = await client.mutation(ConfirmBookingDocument, { input: { bookingId: id } });
  if (error) throw error;
  return data!.confirmBooking;
}
