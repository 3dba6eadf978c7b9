import { Prisma } from "../../db/prisma.js";
import { changesOf, claimable, NEW_VERSION } from "./predicates.js";
import { type BookingRow } from "./rows.js";

export interface ClaimArgs {
  readonly bookingId: string;
  readonly userId: string;
  readonly showId: string;
  readonly key: string | null;
  /** The seats the booking is for; null = the seats the target selects. */
  readonly seatNumbers: string[] | null;
  /** WHERE tail (after show_id) + ORDER BY + LIMIT + FOR UPDATE of the seats to claim. */
  readonly target: Prisma.Sql;
  readonly expected: number;
  /** Record a FAILED (SEATS_UNAVAILABLE) booking when the seats cannot all be had, so a retry can replay it. */
  readonly recordFailure: boolean;
  readonly holdTtlSeconds: number;
  /** MAX_ACTIVE_HOLDS_PER_USER: the claim fails (changing nothing, slot_free false) when they are all in use. */
  readonly maxActiveHolds: number;
}

/** Target: these exact seats, locked in id order, waiting for rows another claim holds. */
export const exactSeats = (seatNumbers: string[]) =>
  Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${claimable()} ORDER BY id FOR UPDATE`;

/** Target: these exact seats, locked in id order, skipping rows another claim holds (the claim then falls short). */
export const exactSeatsUnlessLocked = (seatNumbers: string[]) =>
  Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${claimable()} ORDER BY id FOR UPDATE SKIP LOCKED`;

/** Target: the `quantity` claimable seats nearest the front-centre, skipping locked ones. */
export const nearestFrontCentre = (show: { id: string; seatsPerRow: number }, quantity: number) =>
  Prisma.sql`${claimable()} AND row_index = ANY(ARRAY(${frontRowsWithFreeSeats(show.id, quantity)}))
    ORDER BY row_index, abs(2 * seat_in_row - ${show.seatsPerRow + 1}::int), seat_in_row
    LIMIT ${quantity}::int FOR UPDATE SKIP LOCKED`;

/**
 * The first `rows` rows (from the front) that have a claimable seat. An ordered walk of seats_unsold_idx that stops
 * early, so its cost does not grow with the size of the hall or with how much of it is sold.
 */
export const frontRowsWithFreeSeats = (showId: string, rows: number) =>
  Prisma.sql`SELECT DISTINCT free.row_index FROM seats AS free
             WHERE free.show_id = ${showId}::uuid AND ${claimable("free")}
             ORDER BY free.row_index LIMIT ${rows}::int`;

/** What the claim statement returns: one row, with the booking's columns null when nothing was recorded. */
export type ClaimRow = { [column in keyof BookingRow]: BookingRow[column] | null } & {
  claimable: string[] | null;
  claimed: bigint | string;
  slot_free: boolean;
  /** Seats taken over from lapsed holds. */
  reclaimed: bigint | string;
  changes: unknown;
};

/**
 * The claim: one statement that locks the target seats that are claimable, and only if it got all `expected` of
 * them inserts a PENDING booking and marks the seats HELD by it. Otherwise it changes no seat and, with
 * `recordFailure`, records a FAILED (SEATS_UNAVAILABLE) booking so an idempotent retry can replay the outcome.
 */
export function claimStatement(args: ClaimArgs): Prisma.Sql {
  return Prisma.sql`/* claim */
    WITH target AS (
      SELECT id, seat_number, row_index, seat_in_row, status FROM seats
      WHERE show_id = ${args.showId}::uuid AND ${args.target}
    ), slot AS (
      SELECT min(n) AS free FROM generate_series(1, ${args.maxActiveHolds}::int) AS n
      WHERE NOT EXISTS (SELECT 1 FROM bookings WHERE user_id = ${args.userId} AND status = 'PENDING' AND hold_slot = n)
    ), decision AS (
      SELECT count(*) = ${args.expected}::int AND (SELECT free FROM slot) IS NOT NULL AS ok,
             (SELECT free FROM slot) IS NOT NULL AS slot_free,
             array_agg(seat_number ORDER BY row_index, seat_in_row) AS claimable
      FROM target
    ), booking AS (
      INSERT INTO bookings (id, show_id, user_id, status, failure_reason, seat_numbers, expires_at, idempotency_key, hold_slot)
      SELECT ${args.bookingId}::uuid, ${args.showId}::uuid, ${args.userId},
             CASE WHEN ok THEN 'PENDING' ELSE 'FAILED' END::booking_status,
             CASE WHEN ok THEN NULL ELSE 'SEATS_UNAVAILABLE' END::failure_reason,
             COALESCE(${args.seatNumbers}::text[], CASE WHEN ok THEN claimable END, '{}'),
             CASE WHEN ok THEN now() + ${args.holdTtlSeconds}::int * interval '1 second' END,
             ${args.key}::text,
             CASE WHEN ok THEN (SELECT free FROM slot) END
      FROM decision
      WHERE slot_free AND (ok OR ${args.recordFailure}::boolean)
      RETURNING *
    ), claimed AS (
      UPDATE seats
      SET status = 'held', booking_id = booking.id, hold_expires_at = booking.expires_at, updated_at = now(), ${NEW_VERSION}
      FROM target, booking
      WHERE seats.id = target.id AND booking.status = 'PENDING' AND ${claimable()}
      RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
    )
    SELECT booking.*, (SELECT claimable FROM decision) AS claimable, (SELECT count(*) FROM claimed) AS claimed,
           (SELECT slot_free FROM decision) AS slot_free,
           (SELECT count(*) FROM claimed) - (SELECT count(*) FROM target WHERE status = 'available') AS reclaimed,
           ${changesOf("claimed")} AS changes
    FROM (SELECT 1) AS one LEFT JOIN booking ON true`;
}
