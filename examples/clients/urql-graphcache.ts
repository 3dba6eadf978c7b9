import { type Cache, cacheExchange } from "@urql/exchange-graphcache";
import { relayPagination } from "@urql/exchange-graphcache/extras";
import { SeatStateFragmentDoc, type SeatMapChangedSubscription, ShowCountsFragmentDoc } from "./gql/graphql";

/** Types without an `id` of their own: kept inside the object that holds them, never normalised. */
const EMBEDDED = [
  "BookingConnection",
  "BookingEdge",
  "BookingPayload",
  "HoldSeatsPayload",
  "LayoutRow",
  "PageInfo",
  "SeatAvailability",
  "SeatChange",
  "SeatLayout",
  "SeatMapChange",
  "ShowConnection",
  "ShowEdge",
  "UserError",
];

/**
 * A seatMapChanged event into the normalised cache, by the version rule: a cached seat takes a change only when the
 * change's version is higher than the one it holds; the show's counts come with any event that changed a seat.
 */
export function applySeatMapChangeToGraphcache(cache: Cache, change: SeatMapChangedSubscription["seatMapChanged"]) {
  let applied = false;
  for (const seat of change.seats) {
    const cached = cache.readFragment(SeatStateFragmentDoc, { __typename: "Seat", id: seat.id });
    if (!cached || BigInt(seat.version) <= BigInt(cached.version)) continue; // not loaded, stale or duplicate
    const { status, version, holdExpiresAt } = seat;
    cache.writeFragment(SeatStateFragmentDoc, { ...cached, status, version, holdExpiresAt });
    applied = true;
  }
  if (!applied) return; // a late event: its counts are older than the ones held
  const { showId: id, availableSeats, heldSeats, bookedSeats } = change;
  cache.writeFragment(ShowCountsFragmentDoc, { id, availableSeats, heldSeats, bookedSeats });
}

/**
 * urql's normalised cache for small halls (`Seat:<id>`), with the lists paged by cursor. Whole halls stay out of it,
 * as with Apollo: read them with `requestPolicy: "network-only"` into a CompactSeatMap.
 */
export function seatBookingGraphcache() {
  return cacheExchange({
    keys: Object.fromEntries(EMBEDDED.map((type) => [type, () => null])),
    resolvers: { Query: { shows: relayPagination(), myBookings: relayPagination() } },
    updates: {
      Subscription: {
        seatMapChanged: (result, _args, cache) =>
          applySeatMapChangeToGraphcache(cache, (result as SeatMapChangedSubscription).seatMapChanged),
      },
      Mutation: {
        // A hold is a new booking: the cached lists of the buyer's bookings are refetched when next read.
        holdSeats: (_result, _args, cache) =>
          cache
            .inspectFields("Query")
            .filter((field) => field.fieldName === "myBookings")
            .forEach((field) => cache.invalidate("Query", field.fieldName, field.arguments)),
      },
    },
  });
}
