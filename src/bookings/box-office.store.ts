import { Prisma } from "../db/prisma.js";
import { type SqlClient } from "../db/sql-client.js";
import { type Changed, withRetry } from "./booking.store.js";
import { type ChangeSeatsArgs, type ChangeSeatsRow, changeSeatsStatement } from "./sql/change-seats.js";
import { type RefundArgs, type RefundRow, refundStatement } from "./sql/refund.js";
import { type BookingRecord, type BookingRow, changesOfRow, toBookingRecord } from "./sql/rows.js";

/** Why a refund changed nothing (see refundStatement); `booking` is set when it refunded. */
export interface RefundResult {
  readonly booking: BookingRecord | null;
  readonly found: boolean;
  readonly lockedStatus: BookingRecord["status"] | null;
  readonly allowed: boolean;
  readonly notInBooking: string[];
}

/** Why a seat change changed nothing (see changeSeatsStatement); `booking` is set when it changed. */
export interface ChangeSeatsResult {
  readonly booking: BookingRecord | null;
  readonly found: boolean;
  readonly stateOk: boolean;
  readonly showOpen: boolean;
  readonly showCancelled: boolean;
  readonly seatCap: number | null;
  readonly notInBooking: string[];
  readonly unknown: string[];
  readonly unavailable: string[];
  readonly withinSize: boolean;
  readonly ownerSlotsFree: boolean;
}

/** A recorded seat change: what it released and took (to tell a replay from a reused key). */
export interface SeatChangeRecord {
  readonly released: string[];
  readonly taken: string[];
}

/** Runs the box-office statements on bookings (refunds, seat changes) and reads their records. */
export class BoxOfficeStore {
  constructor(private readonly sql: SqlClient) {}

  async refund(args: RefundArgs): Promise<Changed<RefundResult>> {
    const [row] = await withRetry(() => this.sql.query<RefundRow>(refundStatement(args)));
    return {
      value: {
        booking: row!.id === null ? null : toBookingRecord(row as BookingRow),
        found: row!.found,
        lockedStatus: row!.locked_status,
        allowed: row!.allowed,
        notInBooking: row!.not_in_booking ?? [],
      },
      changes: changesOfRow(row!.changes),
    };
  }

  async changeSeats(args: ChangeSeatsArgs): Promise<Changed<ChangeSeatsResult>> {
    const [row] = await withRetry(() => this.sql.query<ChangeSeatsRow>(changeSeatsStatement(args)));
    return {
      value: {
        booking: row!.id === null ? null : toBookingRecord(row as BookingRow),
        found: row!.found,
        stateOk: row!.state_ok,
        showOpen: row!.show_open,
        showCancelled: row!.show_cancelled,
        seatCap: row!.seat_cap === null ? null : Number(row!.seat_cap),
        notInBooking: row!.not_in_booking ?? [],
        unknown: row!.unknown ?? [],
        unavailable: row!.unavailable ?? [],
        withinSize: row!.within_size,
        ownerSlotsFree: row!.owner_slots_free,
      },
      changes: changesOfRow(row!.changes),
    };
  }

  async findSeatChange(bookingId: string, idempotencyKey: string): Promise<SeatChangeRecord | null> {
    const [row] = await this.sql.query<SeatChangeRecord>(Prisma.sql`/* seat_change_by_key */
      SELECT released, taken FROM booking_seat_changes
      WHERE booking_id = ${bookingId}::uuid AND idempotency_key = ${idempotencyKey}`);
    return row ?? null;
  }
}
