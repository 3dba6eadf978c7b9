import { isoTime, seatChangedSince } from "../../bookings/sql/predicates.js";
import { Prisma } from "../../db/prisma.js";
import { type SeatChange, type SeatStatus } from "../../domain/seat-change.js";
import { type LoadedSeat } from "./live-seat-map.js";

/** Sends one statement and returns its rows (Prisma's raw queries in the API, a `pg` pool in the benchmark). */
export interface SqlQuery {
  query<T>(sql: Prisma.Sql): Promise<T[]>;
}

/** Where live seat maps are loaded and repaired from. */
export interface SeatMapSource {
  /** Every seat of the show in layout order, with the snapshot they were read at; null when there is no such show. */
  load(showId: string): Promise<{ snapshot: string; seats: LoadedSeat[] } | null>;
  /** The current state of the show's seats that changed since (version, snapshot), and the snapshot read at. */
  changedSince(showId: string, version: bigint, snapshot: string): Promise<{ snapshot: string; changes: SeatChange[] }>;
}

type Row<T> = { snapshot: string } & { [K in keyof T]: T[K] | null };

interface SeatRow {
  id: string;
  seat_number: string;
  row_label: string;
  row_index: number;
  seat_in_row: number;
  status: SeatStatus;
  version: string;
  hold_expires_at_text: string | null;
  section_key: string;
  run_index: number;
  category_key: string;
  accessibility: number;
  x: number;
  y: number;
}

/**
 * Both statements read their snapshot in the same statement as the seats (pg_current_snapshot() is the statement's
 * snapshot under READ COMMITTED), so a map's base snapshot is exactly what its seats show.
 */
export function sqlSeatMapSource(sql: SqlQuery): SeatMapSource {
  const columns = Prisma.sql`seats.id::text AS id, seats.seat_number, seats.row_label, seats.row_index, seats.seat_in_row,
    seats.status, seats.version::text AS version, ${isoTime(Prisma.raw("seats.hold_expires_at"))} AS hold_expires_at_text,
    seats.section_key, seats.run_index, seats.category_key, seats.accessibility, seats.x, seats.y`;
  return {
    async load(showId) {
      const rows = await sql.query<Row<SeatRow>>(Prisma.sql`/* live_seat_map_load */
        WITH s AS (SELECT pg_current_snapshot()::text AS snapshot)
        SELECT s.snapshot, seat.* FROM s LEFT JOIN LATERAL (
          SELECT ${columns} FROM seats WHERE seats.show_id = ${showId}::uuid ORDER BY seats.ordinal
        ) AS seat ON true`);
      if (rows.length === 0 || rows[0]!.id === null) return null;
      return { snapshot: rows[0]!.snapshot, seats: rows.map((row) => toLoadedSeat(row as SeatRow)) };
    },
    async changedSince(showId, version, snapshot) {
      const rows = await sql.query<Row<SeatRow>>(Prisma.sql`/* live_seat_map_repair */
        WITH s AS (SELECT pg_current_snapshot()::text AS snapshot)
        SELECT s.snapshot, seat.* FROM s LEFT JOIN LATERAL (
          SELECT ${columns} FROM seats
          WHERE seats.show_id = ${showId}::uuid AND ${seatChangedSince("seats", version, snapshot)}
        ) AS seat ON true`);
      const changes = rows
        .filter((row) => row.id !== null)
        .map((row): SeatChange => {
          const seat = toLoadedSeat(row as SeatRow);
          return {
            id: seat.id,
            seatNumber: seat.seatNumber,
            status: seat.status,
            version: seat.version,
            holdExpiresAt: seat.holdExpiresAt,
          };
        });
      return { snapshot: rows[0]!.snapshot, changes };
    },
  };
}

const toLoadedSeat = (row: SeatRow): LoadedSeat => ({
  id: row.id,
  seatNumber: row.seat_number,
  rowLabel: row.row_label,
  rowIndex: Number(row.row_index),
  seatInRow: Number(row.seat_in_row),
  status: row.status,
  version: String(row.version),
  holdExpiresAt: row.hold_expires_at_text,
  sectionKey: row.section_key,
  runIndex: Number(row.run_index),
  categoryKey: row.category_key,
  accessibility: Number(row.accessibility),
  x: Number(row.x),
  y: Number(row.y),
});
