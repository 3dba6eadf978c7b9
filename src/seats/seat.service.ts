import { type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../domain/ids.js";
import { type SeatChange, type SeatStatus } from "../domain/seat-change.js";
import { formatSeatMapVersion, parseSeatMapVersion } from "./seat-map-version.js";

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

/** A seat as the service hands it out (the GraphQL `Seat` fields, plus its show). */
export interface SeatRecord {
  readonly id: string;
  readonly showId: string;
  readonly seatNumber: string;
  readonly row: string;
  readonly number: number;
  readonly status: SeatStatus;
  readonly holdExpiresAt: Date | null;
  readonly version: string;
}

/** A seat as Prisma reads it (SEAT_SELECT). */
interface StoredSeat {
  id: bigint;
  showId: string;
  seatNumber: string;
  rowLabel: string;
  seatInRow: number;
  status: string;
  holdExpiresAt: Date | null;
  version: bigint;
}

const toRecord = (seat: StoredSeat): SeatRecord => ({
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

const NO_SEATS: SeatCounts = { available: 0, held: 0, booked: 0 };

/** Responsible for reading seat maps; seats change only through the booking store's statements. */
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
  async seatsOfShows(showIds: readonly string[], status: SeatStatus | null): Promise<SeatRecord[][]> {
    const seats = await this.reader.seat.findMany({
      where: { showId: { in: showIds.filter(isUuid) }, ...(status ? { status } : {}) },
      orderBy: [{ showId: "asc" }, { rowIndex: "asc" }, { seatInRow: "asc" }],
      select: SEAT_SELECT,
    });
    return groupBy(showIds, seats.map(toRecord), (seat) => seat.showId);
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
      const counts = byShow.get(group.showId) ?? { ...NO_SEATS };
      counts[group.status] = group._count._all;
      byShow.set(group.showId, counts);
    }
    return showIds.map((id) => byShow.get(id) ?? NO_SEATS);
  }

  /** Seats of all shows by status (operations totals; one grouped scan of every seat). */
  async totalsByStatus(): Promise<SeatCounts> {
    const rows = await this.reader.seat.groupBy({ by: ["status"], _count: { _all: true } });
    const totals = { ...NO_SEATS };
    for (const row of rows) totals[row.status] = row._count._all;
    return totals;
  }

  /** The PostgreSQL snapshot as text; read it before a seat map to make that map's version gap-free. */
  async snapshot(): Promise<string> {
    const [row] = await this.reader.$queryRaw<{ snapshot: string }[]>`
      /* seat_map_snapshot */ SELECT pg_current_snapshot()::text AS snapshot`;
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
  async changedSince(showId: string, since: string): Promise<SeatChange[] | null> {
    const parsed = parseSeatMapVersion(since);
    if (!parsed || !isUuid(showId)) return null;
    type Row = { seat_number: string; status: SeatStatus; version: bigint };
    const rows = parsed.snapshot
      ? await this.prisma.$queryRaw<Row[]>`
          /* seats_changed_since_snapshot */ SELECT seat_number, status, version FROM seats
          WHERE show_id = ${showId}::uuid
            AND (version > ${parsed.version}::bigint OR NOT pg_visible_in_snapshot(changed_xid, ${parsed.snapshot}::pg_snapshot))
          ORDER BY version`
      : await this.prisma.$queryRaw<Row[]>`
          /* seats_changed_since_version */ SELECT seat_number, status, version FROM seats
          WHERE show_id = ${showId}::uuid AND version > ${parsed.version}::bigint
          ORDER BY version`;
    return rows.map((row) => ({ seatNumber: row.seat_number, status: row.status, version: row.version.toString() }));
  }

  /** The seats named by several bookings, each list in the booking's seat order. */
  async seatsOfBookings(bookings: readonly { showId: string; seatNumbers: string[] }[]): Promise<SeatRecord[][]> {
    const wanted = bookings.filter((b) => b.seatNumbers.length > 0);
    if (wanted.length === 0) return bookings.map(() => []);
    const seats = await this.prisma.seat.findMany({
      where: { OR: wanted.map((b) => ({ showId: b.showId, seatNumber: { in: b.seatNumbers } })) },
      select: SEAT_SELECT,
    });
    const index = new Map(seats.map((seat) => [`${seat.showId}/${seat.seatNumber}`, toRecord(seat)]));
    return bookings.map((b) =>
      b.seatNumbers.map((n) => index.get(`${b.showId}/${n}`)).filter((seat): seat is SeatRecord => seat !== undefined),
    );
  }
}

function groupBy<T>(keys: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return keys.map((key) => groups.get(key)!);
}
