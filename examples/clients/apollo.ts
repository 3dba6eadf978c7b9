import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition, relayStylePagination } from "@apollo/client/utilities";
import { type Client as WsClient, createClient } from "graphql-ws";
import {
  ConfirmBookingDocument,
  HoldSeatsDocument,
  type HoldSeatsInput,
  SeatMapChangedDocument,
  type SeatMapChangedSubscription,
  SeatsChangedSinceDocument,
  SeatStateFragmentDoc,
  ShowAvailabilityDocument,
  ShowLayoutDocument,
  ShowsDocument,
} from "./gql/graphql";
import { type SeatMapSource } from "./live-seat-map";

export interface ClientOptions {
  /** http(s)://host/graphql */
  readonly httpUrl: string;
  /** ws(s)://host/graphql (the same path) */
  readonly wsUrl: string;
  /** The signed-in user's JWT, read for every request and every WebSocket connection. */
  readonly getToken: () => string | undefined;
  /** The server refused the token (UNAUTHENTICATED): forget it, so public reads work again, and sign in anew. */
  readonly onUnauthenticated: () => void;
  /** RATE_LIMITED: the operation may be sent again after this many seconds (a hold with the same idempotencyKey). */
  readonly onRateLimited?: (retryAfterSeconds: number) => void;
  /** Automatic persisted queries, hash-only queries over GET (served by the server's seat-map cache). */
  readonly persistedQueries?: boolean;
  /** Browsers have WebSocket; Node before 22 passes `ws`. */
  readonly webSocketImpl?: unknown;
  readonly fetch?: typeof fetch;
}

const bearer = (token: string | undefined): Record<string, string> =>
  token ? { Authorization: `Bearer ${token}` } : {};

/** SHA-256 of a query text in hex, with Web Crypto (browsers and Node alike). */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The cache: shows and bookings normalise by id (`Show:<id>`, `Booking:<id>`); connections merge their pages by
 * cursor; a `show(id)` already in the cache is read from it. Whole-hall seat maps stay out of it (see LiveSeatMap).
 */
export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          shows: relayStylePagination(["search", "venueId", "from", "to"]),
          myBookings: relayStylePagination(["status"]),
          show: { read: (_, { args, toReference }) => toReference({ __typename: "Show", id: args?.id as string }) },
        },
      },
    },
  });
}

/** Apollo Client 4: HTTP with the token, graphql-ws for subscriptions on the same path, errors handled once. */
export function createApolloClient(options: ClientOptions): { client: ApolloClient; wsClient: WsClient } {
  const wsClient = createClient({
    url: options.wsUrl,
    // A function: read again on every (re)connection, so a new token is used after a reconnect.
    connectionParams: () => bearer(options.getToken()),
    webSocketImpl: options.webSocketImpl,
  });
  const auth = new SetContextLink(({ headers }) => ({
    headers: { ...headers, ...bearer(options.getToken()), "apollo-require-preflight": "true" },
  }));
  const errors = new ErrorLink(({ error }) => {
    if (!CombinedGraphQLErrors.is(error)) return; // network errors: the request may be retried as it is
    for (const { extensions } of error.errors) {
      if (extensions?.code === "UNAUTHENTICATED") options.onUnauthenticated();
      if (extensions?.code === "RATE_LIMITED") options.onRateLimited?.(Number(extensions.retryAfter));
    }
  });
  const http = new HttpLink({ uri: options.httpUrl, fetch: options.fetch });
  const toServer = options.persistedQueries
    ? ApolloLink.from([new PersistedQueryLink({ sha256, useGETForHashedQueries: true }), http])
    : http;
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === "OperationDefinition" && definition.operation === "subscription";
  };
  const link = ApolloLink.from([
    errors,
    ApolloLink.split(isSubscription, new GraphQLWsLink(wsClient), ApolloLink.from([auth, toServer])),
  ]);
  return { client: new ApolloClient({ link, cache: createCache() }), wsClient };
}

/** The live seat map's reads and subscription through Apollo, kept out of the normalised cache ("no-cache"). */
export function apolloSeatMapSource(client: ApolloClient, wsClient: WsClient): SeatMapSource {
  const showOf = async <T>(result: Promise<{ data?: { show?: T | null } }>) => {
    const show = (await result).data?.show;
    if (!show) throw new Error("No show with this id.");
    return show;
  };
  return {
    layout: async (id) =>
      (await showOf(client.query({ query: ShowLayoutDocument, variables: { id }, fetchPolicy: "no-cache" }))).layout,
    availability: async (id) =>
      (await showOf(client.query({ query: ShowAvailabilityDocument, variables: { id }, fetchPolicy: "no-cache" })))
        .availability,
    changesSince: async (id, version) =>
      (
        await showOf(
          client.query({ query: SeatsChangedSinceDocument, variables: { id, version }, fetchPolicy: "no-cache" }),
        )
      ).seatsChangedSince,
    subscribe(showId, onChange, onError) {
      const subscription = client
        .subscribe({ query: SeatMapChangedDocument, variables: { showId }, fetchPolicy: "no-cache" })
        .subscribe({
          next: ({ data, error }) => (error ? onError(error) : data && onChange(data.seatMapChanged)),
          error: onError,
        });
      return () => subscription.unsubscribe();
    },
    onConnected: (listener) => wsClient.on("connected", listener),
  };
}

/**
 * For a small hall read with SmallSeatMap (seats normalised as `Seat:<id>`): applies an event to the cached seats by
 * the version rule. Events carry each seat's id, so this is a write per seat, not a refetch.
 */
export function applySeatMapChange(client: ApolloClient, change: SeatMapChangedSubscription["seatMapChanged"]) {
  let applied = false;
  for (const seat of change.seats) {
    const id = client.cache.identify({ __typename: "Seat", id: seat.id });
    const cached = client.cache.readFragment({ id, fragment: SeatStateFragmentDoc });
    if (!cached || BigInt(seat.version) <= BigInt(cached.version)) continue; // not loaded, stale or duplicate
    const { status, version, holdExpiresAt } = seat;
    client.cache.writeFragment({
      id,
      fragment: SeatStateFragmentDoc,
      data: { ...cached, status, version, holdExpiresAt },
    });
    applied = true;
  }
  if (!applied) return; // a late event: its counts are older than the ones held
  client.cache.modify({
    id: client.cache.identify({ __typename: "Show", id: change.showId }),
    fields: {
      availableSeats: () => change.availableSeats,
      heldSeats: () => change.heldSeats,
      bookedSeats: () => change.bookedSeats,
    },
  });
}

/**
 * Every show, page by page: relayStylePagination merges the pages into the one cached `shows` list (a component would
 * call `fetchMore({ variables: { after: pageInfo.endCursor } })` instead of this loop).
 */
export async function loadAllShows(client: ApolloClient, pageSize: number, search?: string) {
  const page = async (after: string | null) => {
    const { data } = await client.query({
      query: ShowsDocument,
      variables: { first: pageSize, after, search },
      fetchPolicy: "network-only", // the merged list would otherwise answer every page from the cache
    });
    return data!.shows.pageInfo;
  };
  for (let pageInfo = await page(null); pageInfo.hasNextPage;) pageInfo = await page(pageInfo.endCursor!);
  return client.readQuery({ query: ShowsDocument, variables: { first: pageSize, search } })!.shows;
}

/**
 * Holds seats. The payload's booking and seats normalise by id on their own; the list of the buyer's bookings does
 * not (a new booking is a new edge), so the watched MyBookings query is refetched with the mutation.
 */
export async function holdSeats(client: ApolloClient, input: HoldSeatsInput) {
  const { data } = await client.mutate({
    mutation: HoldSeatsDocument,
    variables: { input },
    refetchQueries: ["MyBookings"],
    awaitRefetchQueries: true,
  });
  return data!.holdSeats;
}

export async function confirmBooking(client: ApolloClient, id: string) {
  const { data } = await client.mutate({ mutation: ConfirmBookingDocument, variables: { input: { bookingId: id } } });
  return data!.confirmBooking;
}
