import { Prisma } from "../../db/prisma.js";
import { checkOnly, heldBy } from "./keyed.js";
import { CHANGED_SEAT_COLUMNS, changesOf, holdLapsed, holdLive, NEW_VERSION, RELEASED_SEAT } from "./predicates.js";

/*
 * Selections for releaseStatement: a SELECT of PENDING booking ids that locks them.
 */

/** The user's own hold, while it stands. */
export const cancellable = (bookingId: string, userId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND user_id = ${userId} AND ${checkOnly(holdLive())}
             FOR UPDATE`;

/** This booking, if its hold has lapsed. */
export const lapsedHold = (bookingId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND ${checkOnly(holdLapsed())} FOR UPDATE`;

/**
 * The user's lapsed holds on the show: their seats keep the user's purchase-cap slots until released, so a claim
 * refused for the cap releases these first and tries again (see BookingService.claim).
 */
export const lapsedHoldsOf = (userId: string, showId: string) =>
  Prisma.sql`SELECT id FROM bookings
             WHERE user_id = ${userId} AND ${checkOnly(Prisma.sql`show_id = ${showId}::uuid`)} AND ${checkOnly(holdLapsed())}
             FOR UPDATE SKIP LOCKED`;

/** Up to `batch` lapsed holds, oldest first, skipping those another process is releasing. */
export const dueHolds = (batch: number) =>
  Prisma.sql`SELECT id FROM bookings WHERE ${holdLapsed()}
             ORDER BY expires_at LIMIT ${batch}::int FOR UPDATE SKIP LOCKED`;

/**
 * FAILED with `reason` for the PENDING bookings `selection` picks, and their held seats AVAILABLE again. One row:
 * the released bookings (a JSON list of their rows) and the seat changes of the whole statement.
 *
 * The selection runs first and alone (it locks bookings that are PENDING, and they stay so until this commits), and
 * the rest follows its ids through primary keys: had the update kept a `status = 'PENDING'` test, the planner could
 * read every PENDING booking through a partial index to find the one selected.
 */
export function releaseStatement(reason: "EXPIRED" | "CANCELLED", selection: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`/* release */
      WITH selected AS MATERIALIZED (${selection}), released AS (
        UPDATE bookings
        SET status = 'FAILED', failure_reason = ${reason}::failure_reason, updated_at = now(),
            expires_at = CASE WHEN ${reason}::text = 'EXPIRED' THEN bookings.expires_at END
        FROM selected WHERE bookings.id = selected.id
        RETURNING bookings.*
      ), freed AS (
        UPDATE seats SET ${RELEASED_SEAT}, updated_at = now(), ${NEW_VERSION}
        WHERE id IN (
          SELECT seats.id FROM released JOIN seats ON ${heldBy("seats", Prisma.sql`released.id`)}
          ORDER BY seats.id FOR UPDATE OF seats
        )
        RETURNING ${CHANGED_SEAT_COLUMNS}
      )
      SELECT (SELECT coalesce(json_agg(released), '[]') FROM released) AS bookings, ${changesOf("freed")} AS changes`;
}

/**
 * Deletes up to `batch` failed holds (SEATS_UNAVAILABLE) past retention: those without an idempotency key after
 * `retentionSeconds`, those with one after `replaySeconds` (until then a retry with the key replays the outcome).
 * Skips rows another process is purging. A failed hold holds no seat; the NOT EXISTS keeps that true whatever happens.
 */
export const purgeFailedHoldsStatement = (retentionSeconds: number, replaySeconds: number, batch: number) =>
  Prisma.sql`/* purge_failed_holds */
    DELETE FROM bookings WHERE id IN (
      SELECT id FROM bookings
      WHERE failure_reason = 'SEATS_UNAVAILABLE'
        AND created_at < now() - ${Math.min(retentionSeconds, replaySeconds)}::int * interval '1 second'
        AND created_at < now() - CASE WHEN idempotency_key IS NULL THEN ${retentionSeconds}::int
                                      ELSE ${replaySeconds}::int END * interval '1 second'
        AND NOT EXISTS (SELECT 1 FROM seats WHERE seats.booking_id = bookings.id)
      ORDER BY created_at LIMIT ${batch}::int FOR UPDATE SKIP LOCKED
    )`;
