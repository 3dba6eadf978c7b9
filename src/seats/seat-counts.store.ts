import { showChangedSince } from "../bookings/sql/predicates.js";
import { Prisma, type PrismaClient } from "../db/prisma.js";

/** A show's seat counts by status. */
export interface SeatCounts {
  readonly available: number;
  readonly held: number;
  readonly booked: number;
  /** Off sale (blockSeats, or a cancelled show). */
  readonly blocked: number;
}

/** A seat-map version of a show: its highest seat version and the snapshot it was read at. */
export interface SeatMapStamp {
  readonly version: string;
  readonly snapshot: string;
}

/** A show's counts as read, with the seat-map version they were read at. */
export interface CountedShow extends SeatMapStamp {
  readonly counts: SeatCounts;
}

interface CountRow {
  show_id: string;
  available: number;
  held: number;
  booked: number;
  blocked: number;
  version: string;
  snapshot: string;
}

/** The statements of the seat-count cache (see SeatCountCache). */
export class SeatCountStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * The counts of the shows (ids in lower case), one grouped read of their seats, with the version they were read at
   * (the statement's own snapshot, so the counts are exactly what that snapshot saw). Shows without seats are left out.
   */
  async count(showIds: readonly string[]): Promise<Map<string, CountedShow>> {
    const rows = await this.db.$queryRaw<CountRow[]>`
      /* seat_counts */ SELECT show_id::text AS show_id,
        (count(*) FILTER (WHERE status = 'available'))::int AS available,
        (count(*) FILTER (WHERE status = 'held'))::int AS held,
        (count(*) FILTER (WHERE status = 'booked'))::int AS booked,
        (count(*) FILTER (WHERE status = 'blocked'))::int AS blocked,
        max(version)::text AS version, pg_current_snapshot()::text AS snapshot
      FROM seats WHERE show_id = ANY (${[...showIds]}::uuid[]) GROUP BY show_id`;
    return new Map(
      rows.map((row) => [
        row.show_id,
        {
          counts: { available: row.available, held: row.held, booked: row.booked, blocked: row.blocked },
          version: row.version,
          snapshot: row.snapshot,
        },
      ]),
    );
  }

  /** Which of the shows had any seat changed since their seat-map version: three index probes each. */
  async changed(shows: readonly (readonly [showId: string, stamp: SeatMapStamp])[]): Promise<Set<string>> {
    const changed = showChangedSince(
      Prisma.raw("read.show_id"),
      Prisma.raw("read.version"),
      Prisma.raw("read.snapshot"),
    );
    const rows = await this.db.$queryRaw<{ show_id: string }[]>`
      /* seat_counts_changed */ SELECT read.show_id::text AS show_id
      FROM unnest(${shows.map(([id]) => id)}::uuid[], ${shows.map(([, c]) => c.version)}::bigint[],
                  ${shows.map(([, c]) => c.snapshot)}::text[]) AS read(show_id, version, snapshot)
      WHERE ${changed}`;
    return new Set(rows.map((row) => row.show_id));
  }

  /** Up to `limit` show ids after `after` (in id order; lower case), for totals over every show. */
  async showIds(after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      /* show_ids */ SELECT id::text AS id FROM shows
      WHERE ${after === null ? Prisma.sql`true` : Prisma.sql`id > ${after}::uuid`} ORDER BY id LIMIT ${limit}`;
    return rows.map((row) => row.id);
  }
}
