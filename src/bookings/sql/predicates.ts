import { Prisma } from "../../db/prisma.js";

/*
 * The booking rules that SQL decides, each written once. Every statement, gauge and invariant that needs one of
 * them takes it from here (the invariant checker uses the text), so "claimable" or "lapsed" can never mean two things.
 */

/** A seat is claimable when it is free or its hold has lapsed (even if the expiry task has not released it yet). */
export const claimable = (seat = "seats") =>
  Prisma.raw(`(${seat}.status = 'available' OR (${seat}.status = 'held' AND ${seat}.hold_expires_at < now()))`);

/** A PENDING booking whose hold has lapsed: its seats are claimable, and it is due for the expiry task. */
export const holdLapsed = (booking = "bookings") =>
  Prisma.raw(`(${booking}.status = 'PENDING' AND ${booking}.expires_at <= now())`);

/** A PENDING booking whose hold still stands. */
export const holdLive = (booking = "bookings") =>
  Prisma.raw(`(${booking}.status = 'PENDING' AND ${booking}.expires_at > now())`);

/**
 * A seat back on sale: no booking, hold, address slot or owner (the purchase-cap slot it took is free again). Every
 * statement that releases seats (cancel, expiry, refund, seat change) sets exactly this.
 */
export const RELEASED_SEAT = Prisma.sql`status = 'available', booking_id = NULL, hold_expires_at = NULL, hold_address = NULL,
  address_slot = NULL, owner_id = NULL, owner_slot = NULL`;

/** Every seat change is numbered in the same UPDATE (live seat maps order changes by it). */
export const NEW_VERSION = Prisma.sql`version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()`;

/** The seat columns a statement that changes seats returns, for `changesOf`. */
export const CHANGED_SEAT_COLUMNS = Prisma.raw(
  "seats.id, seats.show_id, seats.seat_number, seats.status, seats.version, seats.hold_expires_at",
);

/** JSON list of the changed seats a CTE returned (CHANGED_SEAT_COLUMNS), for publishing. */
export const changesOf = (cte: string) =>
  Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', id::text, 'showId', show_id, 'seatNumber', seat_number,
                'status', status, 'version', version::text, 'holdExpiresAt', ${isoTime(Prisma.raw("hold_expires_at"))})), '[]')
              FROM ${Prisma.raw(cte)})`;

/** A timestamptz as an RFC 3339 UTC string with milliseconds (as GraphQL's DateTime prints one); null stays null. */
export const isoTime = (column: Prisma.Sql) =>
  Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A seat changed since the seat-map version (`version`, `snapshot`): a later version, or a change by a transaction the
 * snapshot did not see (one that drew its version before the snapshot but committed after). Transactions the
 * snapshot did not see all have ids from its xmin on, so with the (show_id, changed_xid) index this is a range probe,
 * not a scan of the show's seats.
 */
export const seatChangedSince = (seat: string, version: bigint, snapshot: string) =>
  Prisma.sql`(${Prisma.raw(seat)}.version > ${version}::bigint
              OR (${Prisma.raw(seat)}.changed_xid >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
                  AND NOT pg_visible_in_snapshot(${Prisma.raw(seat)}.changed_xid, ${snapshot}::pg_snapshot)))`;

/**
 * Whether any seat of a show changed since the seat-map version (`version`, `snapshot`): seatChangedSince for a whole
 * show, for arguments that are columns (a list of shows checked in one statement). The same rule, asked of the show's
 * highest version and highest changed_xid, each one step down an index whatever the planner's estimates (an EXISTS
 * over a range with unknown bounds is often planned as a scan of the table): a later version; a change by a
 * transaction that began after the snapshot (changed_xid ≥ its xmax); a change by one the snapshot saw in progress
 * (changed_xid in its xip list: one index step per such transaction, and only when the show's highest changed_xid
 * is not below the snapshot's xmin). For committed changes the last two are exactly "changed_xid ≥ xmin and not
 * visible in the snapshot"; unlike a range from xmin, they never read the changes the snapshot saw (all of a show's
 * seats, when a long transaction holds xmin back).
 */
export const showChangedSince = (showId: Prisma.Sql, version: Prisma.Sql, snapshot: Prisma.Sql) => {
  const latestXid = Prisma.sql`(SELECT max(changed.changed_xid) FROM seats changed WHERE changed.show_id = ${showId})`;
  return Prisma.sql`((SELECT max(changed.version) FROM seats changed WHERE changed.show_id = ${showId}) > ${version}
    OR ${latestXid} >= pg_snapshot_xmax(${snapshot}::pg_snapshot)
    OR (${latestXid} >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
        AND EXISTS (SELECT 1 FROM pg_snapshot_xip(${snapshot}::pg_snapshot) AS running(xid)
                    WHERE running.xid = (SELECT max(changed.changed_xid) FROM seats changed
                                         WHERE changed.show_id = ${showId} AND changed.changed_xid <= running.xid))))`;
};
