import { Prisma } from "../../db/prisma.js";
import { changesOf, holdLapsed, holdLive, NEW_VERSION } from "./predicates.js";

/*
 * Selections for releaseStatement: a SELECT of PENDING booking ids that locks them.
 */

/** The user's own hold, while it stands. */
export const cancellable = (bookingId: string, userId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND user_id = ${userId} AND ${holdLive()} FOR UPDATE`;

/** This booking, if its hold has lapsed. */
export const lapsedHold = (bookingId: string) =>
  Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND ${holdLapsed()} FOR UPDATE`;

/** Up to `batch` lapsed holds, oldest first, skipping those another process is releasing. */
export const dueHolds = (batch: number) =>
  Prisma.sql`SELECT id FROM bookings WHERE ${holdLapsed()}
             ORDER BY expires_at LIMIT ${batch}::int FOR UPDATE SKIP LOCKED`;

/**
 * FAILED with `reason` for the PENDING bookings `selection` picks, and their held seats AVAILABLE again. One row:
 * the released bookings (a JSON list of their rows) and the seat changes of the whole statement.
 */
export function releaseStatement(reason: "EXPIRED" | "CANCELLED", selection: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`/* release */
      WITH released AS (
        UPDATE bookings
        SET status = 'FAILED', failure_reason = ${reason}::failure_reason, updated_at = now(),
            expires_at = CASE WHEN ${reason}::text = 'EXPIRED' THEN expires_at END
        WHERE id IN (${selection}) AND status = 'PENDING'
        RETURNING bookings.*
      ), freed AS (
        UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL, hold_address = NULL, address_slot = NULL,
                         updated_at = now(), ${NEW_VERSION}
        WHERE id IN (
          SELECT seats.id FROM seats
          WHERE seats.booking_id IN (SELECT id FROM released) AND seats.status = 'held'
          ORDER BY seats.id FOR UPDATE
        )
        RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
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
