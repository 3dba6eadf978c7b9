// HTTP side of the API: the GraphQL documents the page sends, and graphql() / mutate() over fetch (POST /graphql),
// with the signed-in user's token on requests that need it.

import { sleep } from "./util.js";

export const GRAPHQL_PATH = "/graphql";

// ─── GraphQL documents ──────────────────────────────────────────────────────────────────────────────────────

const SHOWS = /* GraphQL */ `
  query Shows($after: String) {
    shows(first: 100, after: $after) {
      edges { node { id name startsAt startsAtLocal timeZone totalSeats availableSeats heldSeats bookedSeats blockedSeats } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

// The static layout: the same for the whole life of a show, so the page asks for it once per show. It is its own
// request because the API charges a layout and a seat list each a whole hall's rows, and allows one hall per request.
const SHOW_LAYOUT = /* GraphQL */ `
  query ShowLayout($id: ID!) {
    show(id: $id) {
      id
      sections { key label }
      layout { rows { section label seats { seatNumber x y category accessibility } } }
    }
  }`;

// What changes: statuses with their versions (the convergence rule needs a version per seat, which the compact
// `availability` string does not carry), the counts, and the categories with their prices.
const SEAT_MAP = /* GraphQL */ `
  query SeatMap($id: ID!) {
    show(id: $id) {
      id name startsAt startsAtLocal timeZone totalSeats availableSeats heldSeats bookedSeats blockedSeats
      seatMapVersion
      categories { key label color price { amount currency } }
      seats { seatNumber status version }
    }
  }`;

const SEATS_CHANGED_SINCE = /* GraphQL */ `
  query SeatsChangedSince($id: ID!, $version: String!) {
    show(id: $id) {
      availableSeats heldSeats bookedSeats blockedSeats
      seatsChangedSince(version: $version) { seatNumber status version }
    }
  }`;

const SEAT_MAP_CHANGED = /* GraphQL */ `
  subscription SeatMapChanged($showId: ID!) {
    seatMapChanged(showId: $showId) {
      showId version availableSeats heldSeats bookedSeats blockedSeats
      seats { seatNumber status version }
    }
  }`;

// What a booking costs: its total as the API formatted it, and each seat's price (shown on the seat's chip).
const PRICE_FIELDS = `total { formatted } lineItems { seatNumber price { formatted } }`;
const MY_BOOKING_FIELDS = `id status seatNumbers expiresAt failureReason show { id } ${PRICE_FIELDS}`;
// `seats` of a booking are the seats as they are now, with versions: the page merges them like any other change,
// so the holder sees the result of a mutation at once, without waiting for the event.
const BOOKING_FIELDS = `${MY_BOOKING_FIELDS} seats { seatNumber status version }`;
const PAYLOAD_FIELDS = `booking { ${BOOKING_FIELDS} } userErrors { code message seatNumbers }`;

const HOLD_SEATS = `mutation HoldSeats($input: HoldSeatsInput!) { holdSeats(input: $input) { ${PAYLOAD_FIELDS} } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmBooking(id: $id) { ${PAYLOAD_FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelBooking(id: $id) { ${PAYLOAD_FIELDS} } }`;
const EXTEND = `mutation Extend($id: ID!) { extendHold(id: $id) { ${PAYLOAD_FIELDS} } }`;
const MY_BOOKINGS = /* GraphQL */ `
  query MyBookings { myBookings(first: 50) { edges { node { ${MY_BOOKING_FIELDS} } } } }`;

// Exported in one list, so that each document above still fits on its line.
export {
  SHOWS,
  SHOW_LAYOUT,
  SEAT_MAP,
  SEATS_CHANGED_SINCE,
  SEAT_MAP_CHANGED,
  HOLD_SEATS,
  CONFIRM,
  CANCEL,
  EXTEND,
  MY_BOOKINGS,
};

// ─── HTTP GraphQL ───────────────────────────────────────────────────────────────────────────────────────────

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * `session.token` (if any) authenticates requests sent with `{ auth: true }`. `onUnauthenticated` is called when the
 * server refuses that token, before the error is thrown: the page signs the user out.
 */
export function createApi({ session, onUnauthenticated }) {
  /** POSTs an operation; returns `data` or throws ApiError with the first error's message. */
  async function graphql(query, variables = {}, { auth = false } = {}) {
    const headers = { "content-type": "application/json" };
    if (auth && session.token) headers.authorization = `Bearer ${session.token}`;
    let response;
    try {
      response = await fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    } catch {
      throw new ApiError("Cannot reach the server. Check your connection and try again.", "NETWORK");
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(`The server answered ${response.status} without a GraphQL result.`, "BAD_RESPONSE");
    }
    if (body.errors?.length) {
      const [first] = body.errors;
      const code = first.extensions?.code;
      if (code === "UNAUTHENTICATED" && auth) {
        onUnauthenticated();
        throw new ApiError(`${first.message} Please sign in again.`, code);
      }
      throw new ApiError(first.message, code);
    }
    return body.data;
  }

  /**
   * Mutations that may be retried: a network failure is retried once with the same variables — for holdSeats that
   * includes the same idempotencyKey, so the retry cannot hold seats twice.
   */
  async function mutate(query, variables) {
    try {
      return await graphql(query, variables, { auth: true });
    } catch (error) {
      if (error.code !== "NETWORK") throw error;
      await sleep(800);
      return graphql(query, variables, { auth: true });
    }
  }

  return { graphql, mutate };
}
