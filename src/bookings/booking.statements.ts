import { Prisma } from "../db/prisma.js";
import { type Booking as BookingRecord } from "../generated/prisma/client.js";
import type { CommittedSeatChange } from "../seats/index.js";

/*
 * The SQL of every booking state change, one statement each. Kept apart from BookingService (and free of GraphQL
 * imports) so the benchmark can send the very same statements straight to PostgreSQL.
 */

// A seat is claimable when it is free or its hold has lapsed (even if the expiry task has not released it yet).
export const CLAIMABLE = Prisma.sql`(seats.status = 'available' OR (seats.status = 'held' AND seats.hold_expires_at < now()))`;
// Every seat change is numbered in the same UPDATE (live seat maps order changes by it).
export const NEW_VERSION = Prisma.sql`version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()`;
/** JSON list of the changed seats a CTE returned (show_id, seat_number, status, version), for publishing. */
const changesOf = (cte: string) =>
  Prisma.sql`(SELECT coalesce(json_agg(json_build_object('showId', show_id, 'seatNumber', seat_number, 'status', status,
                                                         'version', version::text)), '[]') FROM ${Prisma.raw(cte)})`;

export type WithChanges<T> = T & { changes: CommittedSeatChange[] | string };

export const changeList = (value: CommittedSeatChange[] | string | null | undefined): CommittedSeatChange[] =>
  typeof value === "string" ? (JSON.parse(value) as CommittedSeatChange[]) : (value ?? []);

export interface BookingRow {
  id: string;
  show_id: string;
  user_id: string;
  status: BookingRecord["status"];
  failure_reason: BookingRecord["failureReason"];
  seat_numbers: string[] | null;
  expires_at: Date | null;
  extension_count: number;
  idempotency_key: string | null;
  hold_slot: number | null;
  created_at: Date;
  updated_at: Date;
}

export const toRecord = (row: BookingRow): BookingRecord => ({
  id: row.id,
  showId: row.show_id,
  userId: row.user_id,
  status: row.status,
  failureReason: row.failure_reason,
  seatNumbers: row.seat_numbers ?? [],
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  extensionCount: row.extension_count,
  idempotencyKey: row.idempotency_key,
  holdSlot: row.hold_slot,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export type ClaimRow = WithChanges<
  BookingRow & { claimable: string[] | null; claimed: bigint; slot_free: boolean; /** seats taken over from lapsed holds */ reclaimed: bigint }
>;

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
  readonly recordFailure: boolean;
  readonly holdTtlSeconds: number;
  /** MAX_ACTIVE_HOLDS_PER_USER: the claim fails (changing nothing, slot_free false) when they are all in use. */
  readonly maxActiveHolds: number;
}

/** How many "best available" blocks to consider, and how many of them to try before any free seats will do. */
export const BLOCK_CANDIDATES = 21;
export const BLOCK_ATTEMPTS = 8;
/** Rows (with free seats, from the front) searched for a block before searching the whole hall. */
export const ROWS_SEARCHED_FIRST = 3;

/** Target: these exact seats, locked in id order (waiting for rows another claim holds), or skipping locked ones. */
export const exactSeats = (seatNumbers: string[], skipLocked: boolean) =>
  skipLocked
    ? Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${CLAIMABLE} ORDER BY id FOR UPDATE SKIP LOCKED`
    : Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${CLAIMABLE} ORDER BY id FOR UPDATE`;

/** Target: the `quantity` claimable seats nearest the front-centre, skipping locked ones. */
export const nearestFrontCentre = (show: { id: string; seatsPerRow: number }, quantity: number) =>
  Prisma.sql`${CLAIMABLE} AND row_index = ANY(ARRAY(${frontRowsWithFreeSeats(show.id, quantity)}))
    ORDER BY row_index, abs(2 * seat_in_row - ${show.seatsPerRow + 1}::int), seat_in_row
    LIMIT ${quantity}::int FOR UPDATE SKIP LOCKED`;

/**
 * The first `rows` rows (from the front) that have a claimable seat. An ordered walk of seats_unsold_idx that stops
 * early, so its cost does not grow with the size of the hall or with how much of it is sold.
 */
const frontRowsWithFreeSeats = (showId: string, rows: number) =>
  Prisma.sql`SELECT DISTINCT free.row_index FROM seats AS free
             WHERE free.show_id = ${showId}::uuid
               AND (free.status = 'available' OR (free.status = 'held' AND free.hold_expires_at < now()))
             ORDER BY free.row_index LIMIT ${rows}::int`;

/**
 * The claim: one statement that locks the target seats that are claimable, and only if it got all `expected` of
 * them inserts a PENDING booking and marks the seats HELD by it. Otherwise it changes no seat and, with
 * `recordFailure`, records a FAILED (SEATS_UNAVAILABLE) booking so an idempotent retry can replay the outcome.
 */
export function claimStatement(args: ClaimArgs): Prisma.Sql {
  return Prisma.sql`
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
      WHERE seats.id = target.id AND booking.status = 'PENDING' AND ${CLAIMABLE}
      RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
    )
    SELECT booking.*, (SELECT claimable FROM decision) AS claimable, (SELECT count(*) FROM claimed) AS claimed,
           (SELECT slot_free FROM decision) AS slot_free,
           (SELECT count(*) FROM claimed) - (SELECT count(*) FROM target WHERE status = 'available') AS reclaimed,
           ${changesOf("claimed")} AS changes
    FROM (SELECT 1) AS one LEFT JOIN booking ON true`;
}

/**
 * Up to `limit` blocks of `quantity` adjacent claimable seats, frontmost row first, then nearest the centre.
 * Several blocks per run of free seats (centred, then shifted a block left and right), so that concurrent pickers
 * have neighbouring alternatives. With `rows`, only the first `rows` rows that have free seats are searched.
 */
export function bestBlocksStatement(
  show: { id: string; seatsPerRow: number },
  quantity: number,
  limit: number,
  rows: number | null,
): Prisma.Sql {
  const ideal = Math.floor((show.seatsPerRow - quantity + 2) / 2);
  // ANY(ARRAY(…)) makes the row search an init plan, run once; IN (…) may be planned as a subplan run per seat.
  const inRows = rows === null ? Prisma.empty : Prisma.sql`AND row_index = ANY(ARRAY(${frontRowsWithFreeSeats(show.id, rows)}))`;
  return Prisma.sql`
    WITH free AS (
      SELECT row_index, seat_in_row,
             seat_in_row - row_number() OVER (PARTITION BY row_index ORDER BY seat_in_row) AS run
      FROM seats
      WHERE show_id = ${show.id}::uuid AND ${CLAIMABLE} ${inRows}
    ), runs AS (
      SELECT row_index, min(seat_in_row) AS first_seat, max(seat_in_row) AS last_seat
      FROM free GROUP BY row_index, run HAVING count(*) >= ${quantity}::int
    ), blocks AS (
      SELECT DISTINCT row_index,
             greatest(first_seat, least(last_seat - ${quantity}::int + 1, ${ideal}::int + shift * ${quantity}::int)) AS start
      FROM runs, unnest(ARRAY[0, -1, 1, -2, 2, -3, 3]) AS shift
    )
    SELECT row_index AS "rowIndex", start::int AS start FROM blocks
    ORDER BY row_index, abs(2 * start + ${quantity}::int - 1 - ${show.seatsPerRow + 1}::int), start
    LIMIT ${limit}::int`;
}

export interface HeldChange {
  readonly seats: Prisma.Sql;
  readonly booking: Prisma.Sql;
  readonly onlyIf?: Prisma.Sql;
}

export const confirmChange: HeldChange = {
  seats: Prisma.sql`status = 'booked', hold_expires_at = NULL`,
  booking: Prisma.sql`status = 'CONFIRMED', expires_at = NULL`,
};

export function extendChange(holdTtlSeconds: number, maxExtensions: number): HeldChange {
  const newExpiry = Prisma.sql`decision.expires_at + ${holdTtlSeconds}::int * interval '1 second'`;
  return {
    seats: Prisma.sql`hold_expires_at = ${newExpiry}`,
    booking: Prisma.sql`expires_at = ${newExpiry}, extension_count = bookings.extension_count + 1`,
    onlyIf: Prisma.sql`AND extension_count < ${maxExtensions}::int`,
  };
}

/**
 * A change to a PENDING booking of the user whose seats are all still held by it and unexpired: lock the booking,
 * lock its held seats in id order, and change both only if every seat is there.
 */
export function changeHeldStatement(bookingId: string, userId: string, change: HeldChange): Prisma.Sql {
  return Prisma.sql`
      WITH booking AS (
        SELECT id, seat_numbers, expires_at FROM bookings
        WHERE id = ${bookingId}::uuid AND user_id = ${userId} AND status = 'PENDING' ${change.onlyIf ?? Prisma.empty}
        FOR UPDATE
      ), held AS (
        SELECT seats.id FROM seats, booking
        WHERE seats.booking_id = booking.id AND seats.status = 'held' AND seats.hold_expires_at > now()
        ORDER BY seats.id FOR UPDATE OF seats
      ), decision AS (
        SELECT booking.id, booking.expires_at,
               (SELECT count(*) FROM held) = cardinality(booking.seat_numbers) AS ok
        FROM booking
      ), changed_seats AS (
        UPDATE seats SET ${change.seats}, updated_at = now(), ${NEW_VERSION}
        FROM decision
        WHERE seats.id IN (SELECT id FROM held) AND decision.ok
        RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
      ), changed_booking AS (
        UPDATE bookings SET ${change.booking}, updated_at = now()
        FROM decision
        WHERE bookings.id = decision.id AND decision.ok
        RETURNING bookings.*
      )
      SELECT changed_booking.*, ${changesOf("changed_seats")} AS changes FROM changed_booking`;
}

/** Selections for releaseStatement: a SELECT of booking ids that locks them. */
export const cancellable = (bookingId: string, userId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND user_id = ${userId} AND status = 'PENDING'
             AND expires_at > now() FOR UPDATE`;
export const lapsed = (bookingId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND status = 'PENDING' AND expires_at <= now() FOR UPDATE`;
export const due = (batch: number) =>
  Prisma.sql`SELECT id FROM bookings WHERE status = 'PENDING' AND expires_at <= now()
             ORDER BY expires_at LIMIT ${batch}::int FOR UPDATE SKIP LOCKED`;

/** FAILED with `reason` for the PENDING bookings `selection` picks, and their held seats AVAILABLE again. */
export function releaseStatement(reason: "EXPIRED" | "CANCELLED", selection: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      WITH released AS (
        UPDATE bookings
        SET status = 'FAILED', failure_reason = ${reason}::failure_reason, updated_at = now(),
            expires_at = CASE WHEN ${reason}::text = 'EXPIRED' THEN expires_at END
        WHERE id IN (${selection}) AND status = 'PENDING'
        RETURNING bookings.*
      ), freed AS (
        UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL, updated_at = now(), ${NEW_VERSION}
        WHERE id IN (
          SELECT seats.id FROM seats
          WHERE seats.booking_id IN (SELECT id FROM released) AND seats.status = 'held'
          ORDER BY seats.id FOR UPDATE
        )
        RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
      )
      SELECT released.*, ${changesOf("freed")} AS changes FROM released`;
}
