import { Prisma } from "../../db/prisma.js";
import { checkOnly } from "./keyed.js";
import { CHANGED_SEAT_COLUMNS, changesOf, NEW_VERSION, RELEASED_SEAT } from "./predicates.js";
import { type BookingRow } from "./rows.js";

export interface RefundArgs {
  readonly bookingId: string;
  /** The seats to refund (normalised, no duplicates); null: every seat of the booking. */
  readonly seatNumbers: string[] | null;
  /** Who asked (the viewer's sub). */
  readonly refundedBy: string;
  readonly reason: string | null;
  /** The owner refunding their own booking: allowed only by the show's policy (owner_refunds) while it is open. */
  readonly asOwner: boolean;
}

/** What the refund statement returns: one row, the booking's columns null unless it refunded. */
export type RefundRow = { [column in keyof BookingRow]: BookingRow[column] | null } & {
  found: boolean;
  /** The booking's status when it was locked. */
  locked_status: BookingRow["status"] | null;
  /** Whether the requester may refund it (always for an admin). */
  allowed: boolean;
  /** Named seats that are not the booking's. */
  not_in_booking: string[] | null;
  changes: unknown;
};

/**
 * A refund, all or nothing, in one statement: read the show's refund policy (share lock, so a cancellation or a policy
 * change waits for it), lock the booking, then the named seats it booked in id order; only if the booking is
 * CONFIRMED, the requester may refund it and every named seat is the booking's: the seats go back on sale, the booking
 * keeps the rest (its total less the refunded seats' prices) or, with none left, becomes REFUNDED with the seats and
 * total it had, and a booking_refunds row records the seats, their prices' sum, who and why.
 */
export function refundStatement(args: RefundArgs): Prisma.Sql {
  const bookingId = Prisma.sql`${args.bookingId}::uuid`;
  return Prisma.sql`/* refund */
    WITH show AS (
      SELECT owner_refunds AND starts_at > now() AND cancelled_at IS NULL AS owner_may_refund
      FROM shows WHERE id = (SELECT show_id FROM bookings WHERE id = ${bookingId}) FOR SHARE
    ), booking AS (
      SELECT id, show_id, status, seat_numbers, currency, coalesce(${args.seatNumbers}::text[], seat_numbers) AS asked
      FROM bookings WHERE id = ${bookingId} FOR UPDATE
    ), refunded AS (
      SELECT seats.id, seats.price FROM booking
      JOIN seats ON seats.booking_id = booking.id AND ${checkOnly(Prisma.sql`seats.status = 'booked'`)}
      WHERE seats.seat_number = ANY(booking.asked) AND booking.status = 'CONFIRMED'
      ORDER BY seats.id FOR UPDATE OF seats
    ), decision AS (
      SELECT booking.*,
             NOT ${args.asOwner}::boolean OR coalesce((SELECT owner_may_refund FROM show), false) AS allowed,
             ARRAY(SELECT asked FROM unnest(booking.asked) WITH ORDINALITY AS a(asked, i)
                   WHERE NOT asked = ANY(booking.seat_numbers) ORDER BY i) AS not_in_booking,
             ARRAY(SELECT kept FROM unnest(booking.seat_numbers) WITH ORDINALITY AS k(kept, i)
                   WHERE NOT kept = ANY(booking.asked) ORDER BY i) AS remaining,
             (SELECT sum(price) FROM refunded) AS amount,
             (SELECT count(*) FROM refunded) AS locked
      FROM booking
    ), verdict AS (
      SELECT *, status = 'CONFIRMED' AND allowed AND cardinality(not_in_booking) = 0
                AND locked = cardinality(asked) AND cardinality(asked) > 0 AS ok
      FROM decision
    ), freed AS (
      UPDATE seats SET ${RELEASED_SEAT}, updated_at = now(), ${NEW_VERSION}
      FROM verdict WHERE seats.id IN (SELECT id FROM refunded) AND verdict.ok
      RETURNING ${CHANGED_SEAT_COLUMNS}
    ), changed_booking AS (
      UPDATE bookings
      SET status = CASE WHEN cardinality(verdict.remaining) = 0 THEN 'REFUNDED' ELSE bookings.status END,
          -- a booking refunded in full keeps the seats and total it had: what its last refund gave back
          seat_numbers = CASE WHEN cardinality(verdict.remaining) = 0 THEN bookings.seat_numbers ELSE verdict.remaining END,
          total = CASE WHEN cardinality(verdict.remaining) = 0 THEN bookings.total ELSE bookings.total - verdict.amount END,
          updated_at = now()
      FROM verdict WHERE bookings.id = verdict.id AND verdict.ok
      RETURNING bookings.*
    ), recorded AS (
      INSERT INTO booking_refunds (booking_id, show_id, seat_numbers, amount, currency, refunded_by, reason)
      SELECT id, show_id, ARRAY(SELECT s FROM unnest(seat_numbers) WITH ORDINALITY AS r(s, i) WHERE s = ANY(asked) ORDER BY i),
             amount, currency, ${args.refundedBy}::text, ${args.reason}::text
      FROM verdict WHERE ok
      RETURNING id
    )
    SELECT changed_booking.*, verdict.id IS NOT NULL AS found, verdict.status AS locked_status,
           coalesce(verdict.allowed, false) AS allowed, verdict.not_in_booking,
           (SELECT count(*) FROM recorded) AS recorded, ${changesOf("freed")} AS changes
    FROM (SELECT 1) AS one LEFT JOIN verdict ON true LEFT JOIN changed_booking ON true`;
}
