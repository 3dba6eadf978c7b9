import { Prisma, type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../domain/ids.js";
import { type BookingEventRow, type EventEnvelope, EVENT_COLUMNS, toEnvelope } from "./event-envelope.js";

export interface EventFilter {
  readonly types?: readonly string[] | null;
  readonly showId?: string | null;
  readonly bookingId?: string | null;
}

/** Reads of the sequenced log (booking_events), in sequence order. */
export class BookingEventsStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Up to `limit` events after `after` (a sequence) that match the filter, oldest first. */
  async after(after: bigint, limit: number, filter: EventFilter = {}): Promise<EventEnvelope[]> {
    // An id that is no UUID names no show or booking: nothing matches (the column would refuse the comparison).
    if ((filter.showId && !isUuid(filter.showId)) || (filter.bookingId && !isUuid(filter.bookingId))) return [];
    const rows = await this.prisma.$queryRaw<BookingEventRow[]>(Prisma.sql`/* booking_events_page */
      SELECT ${Prisma.raw(EVENT_COLUMNS)} FROM booking_events AS e
      WHERE e.sequence > ${after}::bigint
        AND (${filter.types ?? null}::text[] IS NULL OR e.type = ANY(${filter.types ?? null}::text[]))
        AND (${filter.showId ?? null}::uuid IS NULL OR e.show_id = ${filter.showId ?? null}::uuid)
        AND (${filter.bookingId ?? null}::uuid IS NULL OR e.booking_id = ${filter.bookingId ?? null}::uuid)
      ORDER BY e.sequence LIMIT ${limit}::int`);
    return rows.map(toEnvelope);
  }
}
