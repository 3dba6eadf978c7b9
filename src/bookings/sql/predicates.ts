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

/** Every seat change is numbered in the same UPDATE (live seat maps order changes by it). */
export const NEW_VERSION = Prisma.sql`version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()`;

/** JSON list of the changed seats a CTE returned (show_id, seat_number, status, version), for publishing. */
export const changesOf = (cte: string) =>
  Prisma.sql`(SELECT coalesce(json_agg(json_build_object('showId', show_id, 'seatNumber', seat_number,
                                                         'status', status, 'version', version::text)), '[]')
              FROM ${Prisma.raw(cte)})`;
