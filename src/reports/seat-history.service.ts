import { Prisma, type PrismaClient } from "../db/prisma.js";
import { BadCursorError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";
import { type Page } from "../domain/page.js";
import { type SeatStatus } from "../domain/seat-change.js";

/** One change of a seat, as the seats_history trigger recorded it. */
export interface SeatHistoryRecord {
  /** The seat's version after the change (as Seat.version). */
  readonly version: string;
  readonly status: SeatStatus;
  /** The booking that held or booked the seat, or that released it; null for changes no booking made. */
  readonly bookingId: string | null;
  /** That booking's user, while the booking still exists. */
  readonly userId: string | null;
  readonly blockReason: string | null;
  readonly changedAt: Date;
}

interface HistoryRow {
  version: bigint;
  status: SeatStatus;
  booking_id: string | null;
  user_id: string | null;
  block_reason: string | null;
  changed_at: Date;
}

const CURSOR_PREFIX = "seat-history:";
/** Versions are PostgreSQL bigints. */
const MAX_VERSION = 2n ** 63n - 1n;

/** A cursor is the entry's version: entries of one seat are ordered by it, and a version is never reused. */
export const encodeVersionCursor = (version: string) => Buffer.from(CURSOR_PREFIX + version).toString("base64url");

export function decodeVersionCursor(cursor: string, argument = "after"): bigint {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const version = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : "";
  if (!/^[0-9]{1,19}$/.test(version) || BigInt(version) > MAX_VERSION) throw new BadCursorError(argument);
  return BigInt(version);
}

/** The seat's id (its history is kept by id: seat_history's primary key); null for an unknown seat. */
const seatIdOf = (showId: string, seatNumber: string) =>
  Prisma.sql`(SELECT id FROM seats WHERE show_id = ${showId}::uuid AND seat_number = ${seatNumber})`;

/** Reads seats' change histories (seat_history), oldest change first, from the primary. */
export class SeatHistoryService {
  constructor(private readonly prisma: PrismaClient) {}

  /** A page of the seat's history; an unknown show or seat has none. BadCursorError for a cursor not from here. */
  async history(
    showId: string,
    seatNumber: string,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<SeatHistoryRecord>> {
    const from = after ? decodeVersionCursor(after) : 0n;
    if (!isUuid(showId)) return { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false, totalCount: 0 };
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<HistoryRow[]>(Prisma.sql`/* seat_history_page */
        SELECT h.version, h.status::text AS status, h.booking_id::text AS booking_id, b.user_id, h.block_reason,
               h.changed_at
        FROM seat_history h LEFT JOIN bookings b ON b.id = h.booking_id
        WHERE h.seat_id = ${seatIdOf(showId, seatNumber)} AND h.version > ${from}::bigint
        ORDER BY h.version LIMIT ${first + 1}::int`),
      this.prisma.$queryRaw<{ total: number }[]>(Prisma.sql`/* seat_history_count */
        SELECT count(*)::int AS total FROM seat_history WHERE seat_id = ${seatIdOf(showId, seatNumber)}`),
    ]);
    const items = rows.slice(0, first).map((row): SeatHistoryRecord => ({
      version: row.version.toString(),
      status: row.status,
      bookingId: row.booking_id,
      userId: row.user_id,
      blockReason: row.block_reason,
      changedAt: row.changed_at,
    }));
    return {
      items,
      cursors: items.map((item) => encodeVersionCursor(item.version)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      totalCount: count?.total ?? 0,
    };
  }
}
