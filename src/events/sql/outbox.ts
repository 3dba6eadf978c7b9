import { Prisma } from "../../db/prisma.js";

/*
 * Outbox rows for show and seat changes, written by the statement or transaction that makes the change. Booking
 * changes need none of these: triggers on `bookings` write theirs (migration 20261125000000_booking_events), so no
 * statement that changes a booking can forget to.
 */

export type ShowEventType = "show.created" | "show.updated" | "show.cancelled";

/** A show event with the show as it is now (show_event_data): run last in the transaction that changed it. */
export const showEventStatement = (type: ShowEventType, showId: string) => Prisma.sql`/* show_event */
  INSERT INTO booking_outbox (type, show_id, data)
  SELECT ${type}::text, s.id, show_event_data(s) FROM shows AS s WHERE s.id = ${showId}::uuid`;

/**
 * A CTE body writing one seats.blocked / seats.unblocked event for the seats the CTE `changed` (CHANGED_SEAT_COLUMNS)
 * lists, when it lists any: the seats, the reason and their new versions.
 */
export const seatsEventInsert = (type: "seats.blocked" | "seats.unblocked", showId: string, reason: string | null) =>
  Prisma.sql`INSERT INTO booking_outbox (type, show_id, seat_versions, data)
    SELECT ${type}::text, ${showId}::uuid, array_agg(changed.version ORDER BY changed.version),
           jsonb_build_object('showId', ${showId}::uuid, 'seatNumbers', jsonb_agg(changed.seat_number ORDER BY changed.id),
                              'reason', ${reason}::text)
    FROM changed HAVING count(*) > 0`;
