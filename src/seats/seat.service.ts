import { type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../shared/ids.js";
import { type Seat, type SeatStatus } from "./seat.type.js";

const SEAT_SELECT = {
  id: true,
  showId: true,
  seatNumber: true,
  rowLabel: true,
  seatInRow: true,
  status: true,
  holdExpiresAt: true,
  version: true,
} as const;

export interface SeatRow extends Seat {
  readonly showId: string;
}

interface SeatRecord {
  id: bigint;
  showId: string;
  seatNumber: string;
  rowLabel: string;
  seatInRow: number;
  status: string;
  holdExpiresAt: Date | null;
  version: bigint;
}

const toSeat = (seat: SeatRecord): SeatRow => ({
  id: seat.id.toString(),
  showId: seat.showId,
  seatNumber: seat.seatNumber,
  row: seat.rowLabel,
  number: seat.seatInRow,
  status: seat.status as SeatStatus,
  holdExpiresAt: seat.holdExpiresAt,
  version: seat.version.toString(),
});

export interface SeatCounts {
  readonly available: number;
  readonly held: number;
  readonly booked: number;
}

/** A seat's current state, as sent to live seat maps. */
export interface SeatChangeRow {
  readonly seatNumber: string;
  readonly status: SeatStatus;
  readonly version: string;
}

/**
 * A seat map version: the highest seat version the client has seen, plus the PostgreSQL snapshot its seat map was
 * read after ("1234@5001:5007:5003"). The snapshot lets seatsChangedSince return every change the map missed,
 * including one that took its version before the map was read but committed after.
 */
export interface SeatMapVersion {
  readonly version: bigint;
  readonly snapshot: string | null;
}

const SNAPSHOT = /^\d+:\d+:(\d+(,\d+)*)?$/;

export function parseSeatMapVersion(text: string): SeatMapVersion | null {
  const match = /^(\d{1,19})(?:@(.+))?$/.exec(text.trim());
  if (!match) return null;
  const snapshot = match[2] ?? null;
  if (snapshot !== null && (snapshot.length > 10_000 || !SNAPSHOT.test(snapshot))) return null;
  return { version: BigInt(match[1]!), snapshot };
}

export const formatSeatMapVersion = (version: bigint, snapshot: string): string => `${version}@${snapshot}`;

/** Responsible for reading seat maps; seats change only through BookingService's claim statements. */
export class SeatService {
  /**
   * `reader` serves seat maps, counts and their versions (a read replica when DATABASE_REPLICA_URL is set: it may lag
   * a little, which the versions and subscriptions repair); bookings' seats and change lists come from the primary.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reader: PrismaClient = prisma,
  ) {}

  /** The seats of several shows (optionally of one status), front row first, left to right. */
  async seatsOfShows(showIds: readonly string[], status: SeatStatus | null): Promise<SeatRow[][]> {
    const seats = await this.reader.seat.findMany({
      where: { showId: { in: showIds.filter(isUuid) }, ...(status ? { status } : {}) },
      orderBy: [{ showId: "asc" }, { rowIndex: "asc" }, { seatInRow: "asc" }],
      select: SEAT_SELECT,
    });
    return groupBy(showIds, seats.map(toSeat), (seat) => seat.showId);
  }

  /** Seat counts by status for many shows in one grouped query. */
  async countSeats(showIds: readonly string[]): Promise<SeatCounts[]> {
    const groups = await this.reader.seat.groupBy({
      by: ["showId", "status"],
      where: { showId: { in: showIds.filter(isUuid) } },
      _count: { _all: true },
    });
    const byShow = new Map<string, { available: number; held: number; booked: number }>();
    for (const group of groups) {
      const counts = byShow.get(group.showId) ?? { available: 0, held: 0, booked: 0 };
      counts[group.status] = group._count._all;
      byShow.set(group.showId, counts);
    }
    return showIds.map((id) => byShow.get(id) ?? { available: 0, held: 0, booked: 0 });
  }

  /** The PostgreSQL snapshot as text; read it before a seat map to make that map's version gap-free. */
  async snapshot(): Promise<string> {
    const [row] = await this.reader.$queryRaw<{ snapshot: string }[]>`SELECT pg_current_snapshot()::text AS snapshot`;
    return row!.snapshot;
  }

  /** The shows' highest seat versions (one indexed lookup each), as one string that changes with any seat change. */
  async fingerprint(showIds: readonly string[]): Promise<string> {
    const latest = await Promise.all(
      showIds.map((showId) =>
        isUuid(showId)
          ? this.reader.seat.findFirst({ where: { showId }, orderBy: { version: "desc" }, select: { version: true } })
          : null,
      ),
    );
    return latest.map((seat) => seat?.version.toString() ?? "-").join(",");
  }

  /** Each show's seat map version: its highest seat version, read after `snapshot` was taken. */
  async seatMapVersions(showIds: readonly string[], snapshot: string): Promise<string[]> {
    const rows = await this.reader.seat.groupBy({
      by: ["showId"],
      where: { showId: { in: showIds.filter(isUuid) } },
      _max: { version: true },
    });
    const max = new Map(rows.map((row) => [row.showId, row._max.version ?? 0n]));
    return showIds.map((id) => formatSeatMapVersion(max.get(id) ?? 0n, snapshot));
  }

  /**
   * The current state of every seat of the show that changed since `since` (a seatMapVersion, or a plain seat
   * version number as carried by events), in version order. Null when `since` is not a version.
   */
  async changedSince(showId: string, since: string): Promise<SeatChangeRow[] | null> {
    const parsed = parseSeatMapVersion(since);
    if (!parsed || !isUuid(showId)) return null;
    const rows = parsed.snapshot
      ? await this.prisma.$queryRaw<{ seat_number: string; status: SeatStatus; version: bigint }[]>`
          SELECT seat_number, status, version FROM seats
          WHERE show_id = ${showId}::uuid
            AND (version > ${parsed.version}::bigint OR NOT pg_visible_in_snapshot(changed_xid, ${parsed.snapshot}::pg_snapshot))
          ORDER BY version`
      : await this.prisma.$queryRaw<{ seat_number: string; status: SeatStatus; version: bigint }[]>`
          SELECT seat_number, status, version FROM seats
          WHERE show_id = ${showId}::uuid AND version > ${parsed.version}::bigint
          ORDER BY version`;
    return rows.map((row) => ({ seatNumber: row.seat_number, status: row.status, version: row.version.toString() }));
  }

  /** The seats named by several bookings, each list in the booking's seat order. */
  async seatsOfBookings(bookings: readonly { showId: string; seatNumbers: string[] }[]): Promise<SeatRow[][]> {
    const wanted = bookings.filter((b) => b.seatNumbers.length > 0);
    if (wanted.length === 0) return bookings.map(() => []);
    const seats = await this.prisma.seat.findMany({
      where: { OR: wanted.map((b) => ({ showId: b.showId, seatNumber: { in: b.seatNumbers } })) },
      select: SEAT_SELECT,
    });
    const index = new Map(seats.map((seat) => [`${seat.showId}/${seat.seatNumber}`, toSeat(seat)]));
    return bookings.map((b) =>
      b.seatNumbers.map((n) => index.get(`${b.showId}/${n}`)).filter((seat): seat is SeatRow => seat !== undefined),
    );
  }
}

function groupBy<T>(keys: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return keys.map((key) => groups.get(key)!);
}
