import { CHANGED_SEAT_COLUMNS, changesOf, NEW_VERSION, RELEASED_SEAT } from "../../bookings/sql/predicates.js";
import { Prisma } from "../../db/prisma.js";
import { seatsEventInsert } from "../../events/sql/outbox.js";

/** What a block or unblock statement returns: one row, whatever it decided. */
export interface BlockingRow {
  /** Whether the show exists. */
  show_found: boolean;
  /** Whether the show was cancelled (nothing of it changes then). */
  show_cancelled: boolean;
  /** Named seats the show does not have, in the order asked. */
  unknown: string[] | null;
  /** Named seats whose status forbids the change, in the order asked. */
  refused: string[] | null;
  /** The seat changes made (changesOf): none unless every check passed. */
  changes: unknown;
}

/**
 * One statement that takes the named seats of a show off sale or puts them back, all or nothing. It reads the show row
 * with a share lock first (as the box office's changes of bookings do: a cancellation, which updates that row, waits
 * for it, and it waits for a cancellation in flight and then sees it), then locks the named seats in id order (the project's lock order; no
 * booking is locked), decides on the rows as locked (a hold that committed while it waited is seen), and changes
 * them only if no seat is unknown or refused and the show is not cancelled.
 *
 * `allowed` is the statuses the change accepts; `change` the SET list of the seats it changes, applied only to seats
 * for which `changes` is true (re-blocking with the same reason changes nothing, so leaves no history entry);
 * `event` the outbox row for the seats changed (seatsEventInsert, over the CTE `changed`).
 */
function blockingStatement(
  name: string,
  showId: string,
  seatNumbers: readonly string[],
  allowed: readonly ("available" | "blocked")[],
  change: Prisma.Sql,
  changes: Prisma.Sql,
  event: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`/* ${Prisma.raw(name)} */
    WITH show AS MATERIALIZED (
      SELECT id, cancelled_at IS NOT NULL AS cancelled FROM shows WHERE id = ${showId}::uuid FOR SHARE
    ), asked AS MATERIALIZED (
      SELECT seat_number, i FROM unnest(${[...seatNumbers]}::text[]) WITH ORDINALITY AS asked(seat_number, i)
    ), locked AS MATERIALIZED (
      SELECT seats.id, seats.seat_number, seats.status FROM seats
      WHERE seats.show_id = (SELECT id FROM show) AND seats.seat_number = ANY(${[...seatNumbers]}::text[])
      ORDER BY seats.id FOR UPDATE
    ), verdict AS (
      SELECT EXISTS (SELECT 1 FROM show) AS show_found,
             coalesce((SELECT cancelled FROM show), false) AS show_cancelled,
             ARRAY(SELECT asked.seat_number FROM asked
                   WHERE NOT EXISTS (SELECT 1 FROM locked WHERE locked.seat_number = asked.seat_number)
                   ORDER BY asked.i) AS unknown,
             ARRAY(SELECT asked.seat_number FROM asked JOIN locked USING (seat_number)
                   WHERE locked.status::text <> ALL(${[...allowed]}::text[]) ORDER BY asked.i) AS refused
    ), changed AS (
      UPDATE seats SET ${change}, updated_at = now(), ${NEW_VERSION}
      FROM locked, verdict
      WHERE seats.id = locked.id
        AND verdict.show_found AND NOT verdict.show_cancelled
        AND cardinality(verdict.unknown) = 0 AND cardinality(verdict.refused) = 0
        AND seats.status::text = ANY(${[...allowed]}::text[]) AND ${changes}
      RETURNING ${CHANGED_SEAT_COLUMNS}
    ), event AS (
      ${event}
    )
    SELECT verdict.*, ${changesOf("changed")} AS changes FROM verdict`;
}

/**
 * BLOCKED with `reason`: every named seat must be available or already blocked (a re-block changes the reason). A
 * held seat is refused even if its hold lapsed: its booking is still PENDING until the expiry task releases it.
 */
export const blockSeatsStatement = (showId: string, seatNumbers: readonly string[], reason: string) =>
  blockingStatement(
    "block_seats",
    showId,
    seatNumbers,
    ["available", "blocked"],
    Prisma.sql`status = 'blocked', block_reason = ${reason}::text`,
    Prisma.sql`seats.block_reason IS DISTINCT FROM ${reason}::text`,
    seatsEventInsert("seats.blocked", showId, reason),
  );

/** AVAILABLE again: every named seat must be blocked. Releases every column a free seat must not carry. */
export const unblockSeatsStatement = (showId: string, seatNumbers: readonly string[]) =>
  blockingStatement(
    "unblock_seats",
    showId,
    seatNumbers,
    ["blocked"],
    Prisma.sql`${RELEASED_SEAT}, block_reason = NULL`,
    Prisma.sql`true`,
    seatsEventInsert("seats.unblocked", showId, null),
  );
