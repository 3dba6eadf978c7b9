import { CHANGED_SEAT_COLUMNS, isoTime, seatChangedSince } from "../bookings/sql/predicates.js";
import { Prisma, type PrismaClient } from "../db/prisma.js";
import { isUuid, parseInt8 } from "../domain/ids.js";
import { type SeatChange, type SeatStatus } from "../domain/seat-change.js";
import { formatSeatMapVersion, parseSeatMapVersion } from "./seat-map-version.js";
import { type LiveSeatCounts, SeatCountCache, type SeatCounts } from "./seat-counts.js";
import { SeatCountStore } from "./seat-counts.store.js";

export type { SeatCounts } from "./seat-counts.js";

const SEAT_SELECT = {
  id: true,
  showId: true,
  seatNumber: true,
  rowLabel: true,
  seatInRow: true,
  status: true,
  holdExpiresAt: true,
  version: true,
  sectionKey: true,
  categoryKey: true,
  accessibility: true,
  x: true,
  y: true,
  price: true,
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
  readonly sectionKey: string;
  readonly categoryKey: string;
  /** Flags: 1 wheelchair space, 2 companion seat. */
  readonly accessibility: number;
  readonly x: number;
  readonly y: number;
  /** Minor units of the show's currency; null without prices. */
  readonly price: number | null;
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
  sectionKey: string;
  categoryKey: string;
  accessibility: number;
  x: number;
  y: number;
  price: number | null;
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
  sectionKey: seat.sectionKey,
  categoryKey: seat.categoryKey,
  accessibility: seat.accessibility,
  x: seat.x,
  y: seat.y,
  price: seat.price,
});

/** A seat as CHANGED_SEAT_COLUMNS reads it, with its hold expiry as text. */
interface SeatChangeRow {
  id: bigint;
  seat_number: string;
  status: SeatStatus;
  version: bigint;
  hold_expires_at_text: string | null;
}

const toSeatChange = (row: SeatChangeRow): SeatChange => ({
  id: row.id.toString(),
  seatNumber: row.seat_number,
  status: row.status,
  version: row.version.toString(),
  holdExpiresAt: row.hold_expires_at_text,
});

/** Responsible for reading seat maps; seats change only through the booking store's statements. */
export class SeatService {
  private readonly counts: SeatCountCache;

  /**
   * `reader` serves seat maps, counts and their versions (a read replica when DATABASE_REPLICA_URL is set: it may lag
   * a little, which the versions and subscriptions repair); bookings' seats and change lists come from the primary.
   * `live`: the live seat maps of this process, whose counts answer for the shows they hold (see SeatCountCache).
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reader: PrismaClient = prisma,
    options: { readonly live?: LiveSeatCounts } = {},
  ) {
    this.counts = new SeatCountCache(new SeatCountStore(reader), options.live);
  }

  /** The seats of several shows (optionally of one status), front row first, left to right. */
  async seatsOfShows(showIds: readonly string[], status: SeatStatus | null): Promise<SeatRecord[][]> {
    const seats = await this.reader.seat.findMany({
      where: { showId: { in: showIds.filter(isUuid) }, ...(status ? { status } : {}) },
      orderBy: [{ showId: "asc" }, { ordinal: "asc" }],
      select: SEAT_SELECT,
    });
    return groupBy(showIds, seats.map(toRecord), (seat) => seat.showId);
  }

  /** Seats by id (database ids: digits), in the order asked, null where none. */
  async seatsByIds(ids: readonly string[]): Promise<(SeatRecord | null)[]> {
    const valid = ids.filter((id) => parseInt8(id) !== null).map(BigInt);
    const seats = await this.reader.seat.findMany({ where: { id: { in: valid } }, select: SEAT_SELECT });
    const byId = new Map(seats.map((seat) => [String(seat.id), toRecord(seat)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Seat counts by status of many shows, exact as of this call (read-your-writes; see SeatCountCache): from live seat
   * maps, or cached counts checked with index probes, counting again only the shows that changed.
   */
  countSeats(showIds: readonly string[]): Promise<SeatCounts[]> {
    return this.counts.countsOf(showIds);
  }

  /** Seats of all shows by status (operations totals): the same counts over every show, never a scan of every seat. */
  totalsByStatus(): Promise<SeatCounts> {
    return this.counts.totals();
  }

  /** The PostgreSQL snapshot as text; read it before a seat map to make that map's version gap-free. */
  async snapshot(): Promise<string> {
    const [row] = await this.reader.$queryRaw<{ snapshot: string }[]>`
      /* seat_map_snapshot */ SELECT pg_current_snapshot()::text AS snapshot`;
    return row!.snapshot;
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
    const changed = parsed.snapshot
      ? seatChangedSince("seats", parsed.version, parsed.snapshot)
      : Prisma.sql`seats.version > ${parsed.version}::bigint`;
    const rows = await this.prisma.$queryRaw<SeatChangeRow[]>`
      /* seats_changed_since */ SELECT ${CHANGED_SEAT_COLUMNS}, ${isoTime(Prisma.raw("hold_expires_at"))} AS hold_expires_at_text
      FROM seats WHERE seats.show_id = ${showId}::uuid AND ${changed}
      ORDER BY seats.version`;
    return rows.map(toSeatChange);
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
