import { Args, Authorized, Query, Resolver } from "type-graphql";
import { type BookingEventsStore } from "./booking-events.store.js";
import { BookingEvent, BookingEventConnection, BookingEventsArgs, MAX_EVENTS_PER_PAGE } from "./booking-event.type.js";
import { withDatabaseIds } from "../graphql/global-id.js";

@Resolver(() => BookingEvent)
export class BookingEventsResolver {
  constructor(private readonly store: BookingEventsStore) {}

  @Authorized("admin")
  @Query(() => BookingEventConnection, {
    description:
      "The booking event log, oldest first, for consumers that poll: pass the last `sequence` you processed as `after`. Events appear here once sequenced (a fraction of a second after commit) and are kept BOOKING_EVENT_RETENTION_DAYS; the same ids and numbers as webhooks and the broker. Admins only.",
  })
  async bookingEvents(@Args(() => BookingEventsArgs) args: BookingEventsArgs): Promise<BookingEventConnection> {
    const { after, first, ...filter } = withDatabaseIds(args, { showId: "Show", bookingId: "Booking" }, []);
    const limit = Math.min(first ?? 100, MAX_EVENTS_PER_PAGE);
    const rows = await this.store.after(BigInt(after ?? "0"), limit + 1, filter);
    const events = rows.slice(0, limit);
    const edges = events.map((event) => ({
      cursor: event.sequence,
      node: { ...event, timestamp: new Date(event.timestamp) },
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > limit,
        hasPreviousPage: after !== null && after !== undefined && after !== "0",
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
