import { type Booking as BookingRecord } from "../../generated/prisma/client.js";
import { type SeatChange, type SeatMapChange, seatMapChanges } from "../../domain/seat-change.js";

export type { BookingRecord };

/*
 * Rows as the statements return them, read the same way whichever driver ran the statement: Prisma's raw queries
 * (bigint counts, parsed JSON) and plain `pg` in the benchmark (string counts, JSON text in some places).
 */

/** A row of `bookings` (RETURNING bookings.*, or an element of json_agg over such rows). */
export interface BookingRow {
  id: string;
  show_id: string;
  user_id: string;
  status: BookingRecord["status"];
  failure_reason: BookingRecord["failureReason"];
  seat_numbers: string[] | null;
  expires_at: Date | string | null;
  extension_count: number;
  idempotency_key: string | null;
  hold_slot: number | null;
  request_fingerprint: string | null;
  client_address: string | null;
  /** bigint from Prisma, a string from `pg` or JSON. */
  total: bigint | string | number | null;
  currency: string | null;
  confirmed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export function toBookingRecord(row: BookingRow): BookingRecord {
  if (typeof row.id !== "string" || typeof row.status !== "string") {
    throw new Error(`not a booking row: ${JSON.stringify(row).slice(0, 200)}`);
  }
  return {
    id: row.id,
    showId: row.show_id,
    userId: row.user_id,
    status: row.status,
    failureReason: row.failure_reason,
    seatNumbers: row.seat_numbers ?? [],
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    extensionCount: row.extension_count,
    idempotencyKey: row.idempotency_key,
    holdSlot: row.hold_slot,
    requestFingerprint: row.request_fingerprint,
    clientAddress: row.client_address,
    total: row.total === null || row.total === undefined ? null : BigInt(row.total),
    currency: row.currency ?? null,
    confirmedAt: row.confirmed_at ? new Date(row.confirmed_at) : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** A JSON list column (json_agg), whether the driver parsed it or not. */
export function jsonList<T>(value: T[] | string | null | undefined): T[] {
  return typeof value === "string" ? (JSON.parse(value) as T[]) : (value ?? []);
}

/** The `changes` column of a statement (see changesOf), as one SeatMapChange per show. */
export function changesOfRow(value: unknown): SeatMapChange[] {
  return seatMapChanges(jsonList(value as (SeatChange & { showId: string })[] | string | null));
}
