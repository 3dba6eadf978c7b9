import { Prisma } from "../../db/prisma.js";
import { checkOnly, heldBy } from "./keyed.js";
import { holdSecondsUsed, type OnSaleLimits, showOpen } from "./on-sale.js";
import { CHANGED_SEAT_COLUMNS, changesOf, NEW_VERSION } from "./predicates.js";

/** A change to a PENDING booking whose seats are all still held by it: what it sets on the seats and the booking. */
export interface HeldChange {
  readonly name: "confirm" | "extend";
  readonly seats: Prisma.Sql;
  readonly booking: Prisma.Sql;
  /** A further condition on the booking row (e.g. extensions left). */
  readonly onlyIf?: Prisma.Sql;
}

export const confirmChange: HeldChange = {
  name: "confirm",
  seats: Prisma.sql`status = 'booked', hold_expires_at = NULL, hold_address = NULL, address_slot = NULL`,
  booking: Prisma.sql`status = 'CONFIRMED', expires_at = NULL, confirmed_at = now()`,
};

/** Extends by the TTL while extensions are left and the user's hold time on the show allows another TTL. */
export function extendChange(
  holdTtlSeconds: number,
  maxExtensions: number,
  holdTime: Pick<OnSaleLimits, "holdTimePerShowSeconds" | "holdTimeWindowSeconds">,
): HeldChange {
  const newExpiry = Prisma.sql`decision.expires_at + ${holdTtlSeconds}::int * interval '1 second'`;
  const used = holdSecondsUsed(
    Prisma.sql`bookings.user_id`,
    Prisma.sql`bookings.show_id`,
    holdTime.holdTimeWindowSeconds,
  );
  return {
    name: "extend",
    seats: Prisma.sql`hold_expires_at = ${newExpiry}`,
    booking: Prisma.sql`expires_at = ${newExpiry}, extension_count = bookings.extension_count + 1`,
    onlyIf: Prisma.sql`AND extension_count < ${maxExtensions}::int
                       AND ${used} + ${holdTtlSeconds}::int <= ${holdTime.holdTimePerShowSeconds}::int`,
  };
}

/**
 * A change to a PENDING booking of the user whose seats are all still held by it and unexpired, before its show
 * starts (by the database clock): lock the booking,
 * lock its held seats in id order, and change both only if every seat is there. Returns the changed booking's row
 * (none when nothing changed) with the seat changes.
 */
export function changeHeldStatement(bookingId: string, userId: string, change: HeldChange): Prisma.Sql {
  return Prisma.sql`/* ${Prisma.raw(change.name)} */
      WITH booking AS (
        SELECT id, seat_numbers, expires_at FROM bookings
        WHERE id = ${bookingId}::uuid AND user_id = ${userId} AND ${checkOnly(Prisma.sql`status = 'PENDING'`)}
          AND ${showOpen(Prisma.sql`bookings.show_id`)} ${change.onlyIf ?? Prisma.empty}
        FOR UPDATE
      ), held AS (
        SELECT seats.id FROM booking JOIN seats ON ${heldBy("seats", Prisma.sql`booking.id`)}
        WHERE seats.hold_expires_at > now()
        ORDER BY seats.id FOR UPDATE OF seats
      ), decision AS (
        SELECT booking.id, booking.expires_at,
               (SELECT count(*) FROM held) = cardinality(booking.seat_numbers) AS ok
        FROM booking
      ), changed_seats AS (
        UPDATE seats SET ${change.seats}, updated_at = now(), ${NEW_VERSION}
        FROM decision
        WHERE seats.id IN (SELECT id FROM held) AND decision.ok
        RETURNING ${CHANGED_SEAT_COLUMNS}
      ), changed_booking AS (
        UPDATE bookings SET ${change.booking}, updated_at = now()
        FROM decision
        WHERE bookings.id = decision.id AND decision.ok
        RETURNING bookings.*
      )
      SELECT changed_booking.*, ${changesOf("changed_seats")} AS changes FROM changed_booking`;
}
