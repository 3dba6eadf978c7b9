import { Prisma } from "../../db/prisma.js";
import { showTerms } from "./on-sale.js";
import { enoughOwnerSlots, freeOwnerSlots } from "./owner-slots.js";
import { CHANGED_SEAT_COLUMNS, changesOf, claimable, holdLive, NEW_VERSION, RELEASED_SEAT } from "./predicates.js";
import { type BookingRow } from "./rows.js";

export interface ChangeSeatsArgs {
  readonly bookingId: string;
  /** Seats of the booking to give back (normalised, no duplicates, disjoint from `take`). */
  readonly release: string[];
  /** Seats to take instead, in the order asked (normalised, no duplicates). */
  readonly take: string[];
  readonly idempotencyKey: string;
  /** Who asked (the admin's sub). */
  readonly changedBy: string;
  /** MAX_SEATS_PER_HOLD: the booking may not end with more seats. */
  readonly maxSeats: number;
}

/** What the seat change returns: one row, the booking's columns null unless it changed. */
export type ChangeSeatsRow = { [column in keyof BookingRow]: BookingRow[column] | null } & {
  found: boolean;
  /** CONFIRMED, or PENDING with its hold standing. */
  state_ok: boolean;
  show_open: boolean;
  show_cancelled: boolean;
  seat_cap: number | null;
  not_in_booking: string[] | null;
  unknown: string[] | null;
  unavailable: string[] | null;
  within_size: boolean;
  owner_slots_free: boolean;
  changes: unknown;
};

/**
 * Moves a booking from `release` to `take` in one statement, so the owner never holds neither set nor both: read the
 * show's terms (share lock, like a claim), lock the booking, then release ∪ take in id order; verify on the locked
 * rows (the booking CONFIRMED or its hold standing, the show open, release ⊆ its seats, every taken seat exists and
 * is claimable, at most `maxSeats` seats after, the purchase cap with the released seats' slots reusable), and only
 * then put the released seats back on sale, give the taken ones the booking's state (booked, or held until its
 * expiry), set the booking's seats and total (its new seats' prices), and record the change under its key.
 */
export function changeSeatsStatement(args: ChangeSeatsArgs): Prisma.Sql {
  const bookingId = Prisma.sql`${args.bookingId}::uuid`;
  const release = Prisma.sql`${args.release}::text[]`;
  const take = Prisma.sql`${args.take}::text[]`;
  const asked = (list: Prisma.Sql, condition: Prisma.Sql) =>
    Prisma.sql`ARRAY(SELECT n FROM unnest(${list}) WITH ORDINALITY AS a(n, i) WHERE ${condition} ORDER BY i)`;
  return Prisma.sql`/* change_seats */
    WITH show AS (
      ${showTerms(Prisma.sql`(SELECT show_id FROM bookings WHERE id = ${bookingId})`, { locked: true })}
    ), booking AS (
      SELECT * FROM bookings WHERE id = ${bookingId} FOR UPDATE
    ), locked AS (
      SELECT seats.id, seats.seat_number, seats.booking_id, ${claimable()} AS claimable FROM booking
      JOIN seats ON seats.show_id = booking.show_id AND seats.seat_number = ANY(${release} || ${take})
      ORDER BY seats.id FOR UPDATE OF seats
    ), decision AS (
      SELECT booking.id, booking.show_id, booking.user_id, booking.status, booking.expires_at,
             booking.status = 'CONFIRMED' OR ${holdLive("booking")} AS state_ok,
             coalesce((SELECT open FROM show), false) AS show_open,
             coalesce((SELECT cancelled FROM show), false) AS show_cancelled,
             (SELECT seat_cap FROM show) AS seat_cap,
             ${asked(
               release,
               Prisma.sql`NOT (n = ANY(booking.seat_numbers)
                               AND n IN (SELECT seat_number FROM locked WHERE locked.booking_id = booking.id))`,
             )} AS not_in_booking,
             ${asked(take, Prisma.sql`n NOT IN (SELECT seat_number FROM locked)`)} AS unknown,
             ${asked(take, Prisma.sql`n IN (SELECT seat_number FROM locked WHERE NOT claimable)`)} AS unavailable,
             ARRAY(SELECT kept FROM unnest(booking.seat_numbers) WITH ORDINALITY AS k(kept, i)
                   WHERE NOT kept = ANY(${release}) ORDER BY i) || ${take} AS new_seats
      FROM booking
    ), owner_slots AS (
      ${freeOwnerSlots({
        showId: Prisma.sql`(SELECT show_id FROM decision)`,
        ownerId: Prisma.sql`(SELECT user_id FROM decision)`,
        cap: Prisma.sql`(SELECT seat_cap FROM decision)`,
        wanted: Prisma.sql`cardinality(${take})`,
        reusable: release,
      })}
    ), verdict AS (
      SELECT *, cardinality(new_seats) <= ${args.maxSeats}::int AS within_size,
             ${enoughOwnerSlots("owner_slots", Prisma.sql`decision.seat_cap`, Prisma.sql`cardinality(${take})`)} AS owner_slots_free
      FROM decision
    ), final AS (
      SELECT *, state_ok AND show_open AND cardinality(not_in_booking) = 0 AND cardinality(unknown) = 0
                AND cardinality(unavailable) = 0 AND within_size AND owner_slots_free AS ok
      FROM verdict
    ), freed AS (
      UPDATE seats SET ${RELEASED_SEAT}, updated_at = now(), ${NEW_VERSION}
      FROM final WHERE final.ok AND seats.id IN (SELECT id FROM locked WHERE seat_number = ANY(${release}))
      RETURNING ${CHANGED_SEAT_COLUMNS}
    ), ranked AS (
      SELECT id, row_number() OVER (ORDER BY id) AS rank FROM locked WHERE seat_number = ANY(${take})
    ), taken AS (
      UPDATE seats
      SET status = CASE WHEN final.status = 'CONFIRMED' THEN 'booked' ELSE 'held' END::seat_status,
          booking_id = final.id,
          hold_expires_at = CASE WHEN final.status = 'CONFIRMED' THEN NULL ELSE final.expires_at END,
          hold_address = NULL, address_slot = NULL,
          owner_id = CASE WHEN owner_slots.n IS NOT NULL THEN final.user_id END, owner_slot = owner_slots.n,
          updated_at = now(), ${NEW_VERSION}
      FROM ranked LEFT JOIN owner_slots ON owner_slots.rank = ranked.rank, final
      -- The released seats first (the count runs before any row here is updated): a taken seat may reuse the
      -- purchase-cap slot of a released one, which the unique index checks row by row.
      WHERE seats.id = ranked.id AND final.ok AND (SELECT count(*) FROM freed) >= 0
      RETURNING ${CHANGED_SEAT_COLUMNS}
    ), changed AS (
      SELECT * FROM freed UNION ALL SELECT * FROM taken
    ), changed_booking AS (
      UPDATE bookings
      SET seat_numbers = final.new_seats, updated_at = now(),
          total = (SELECT sum(price) FROM seats WHERE show_id = final.show_id AND seat_number = ANY(final.new_seats))
      FROM final WHERE bookings.id = final.id AND final.ok
      RETURNING bookings.*
    ), recorded AS (
      INSERT INTO booking_seat_changes (booking_id, idempotency_key, released, taken, changed_by)
      SELECT id, ${args.idempotencyKey}::text, ${release}, ${take}, ${args.changedBy}::text FROM final WHERE ok
      RETURNING id
    )
    SELECT changed_booking.*, final.id IS NOT NULL AS found, coalesce(final.state_ok, false) AS state_ok,
           coalesce(final.show_open, false) AS show_open, coalesce(final.show_cancelled, false) AS show_cancelled,
           final.seat_cap, final.not_in_booking, final.unknown, final.unavailable,
           coalesce(final.within_size, false) AS within_size, coalesce(final.owner_slots_free, false) AS owner_slots_free,
           (SELECT count(*) FROM recorded) AS recorded, ${changesOf("changed")} AS changes
    FROM (SELECT 1) AS one LEFT JOIN final ON true LEFT JOIN changed_booking ON true`;
}
