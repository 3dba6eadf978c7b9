import { randomUUID } from "node:crypto";
import { Prisma } from "../db/prisma.js";
import { RETRYABLE_STATES, sqlState } from "../db/db-errors.js";
import { type SqlClient } from "../db/sql-client.js";
import { type SeatMapChange } from "../domain/seat-change.js";
import { type ClaimArgs, type ClaimRow, claimStatement } from "./sql/claim.js";
import { changeHeldStatement, type HeldChange } from "./sql/change-held.js";
import { holdLapsed } from "./sql/predicates.js";
import { holdSecondsUsed, type OnSaleLimits, showOpen } from "./sql/on-sale.js";
import { purgeFailedHoldsStatement, releaseStatement } from "./sql/release.js";
import { type BookingRecord, type BookingRow, changesOfRow, jsonList, toBookingRecord } from "./sql/rows.js";

export type { SqlClient };

/** Every booking statement changes state and reports the seat changes it made (to publish after it returns). */
export interface Changed<T> {
  readonly value: T;
  readonly changes: SeatMapChange[];
}

export interface ClaimResult {
  /** The booking the claim recorded (PENDING, or FAILED with recordFailure); null when it recorded none. */
  readonly booking: BookingRecord | null;
  /** Which targeted seats were claimable, front row first. */
  readonly claimable: string[];
  /** Whether the user had an active-hold slot left; without one nothing was recorded. */
  readonly slotFree: boolean;
  /** Whether the show had not started (by the database clock) and was not cancelled. */
  readonly showOpen: boolean;
  /** Whether the show was cancelled (then it is not open). */
  readonly showCancelled: boolean;
  /** The show's purchase cap as the claim read it (null: none). */
  readonly seatCap: number | null;
  /** Whether the user had enough of the show's purchase-cap slots left (always, without a cap). */
  readonly ownerSlotsFree: boolean;
  /** Whether the user's hold time on the show left room for another hold. */
  readonly withinHoldTime: boolean;
  /** Whether the client address had enough seat slots left on the show. */
  readonly addressSlotsFree: boolean;
  /** Requested seats the user released too recently to hold again. */
  readonly cooling: string[];
  /** Seats taken over from lapsed holds. */
  readonly reclaimed: number;
}

/** Attempts for a statement that lost a deadlock or serialization race (should not happen; see lock ordering). */
const MAX_ATTEMPTS = 3;

/**
 * Runs the booking statements (sql/) and turns their rows into records and seat changes. Knows no rule beyond what
 * the statements decide; retries a statement PostgreSQL aborted to break a deadlock or serialization conflict.
 */
export class BookingStore {
  constructor(private readonly sql: SqlClient) {}

  async findById(bookingId: string): Promise<BookingRecord | null> {
    const [row] = await this.sql.query<BookingRow>(Prisma.sql`/* booking_by_id */
      SELECT * FROM bookings WHERE id = ${bookingId}::uuid`);
    return row ? toBookingRecord(row) : null;
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<BookingRecord | null> {
    const [row] = await this.sql.query<BookingRow>(Prisma.sql`/* booking_by_idempotency_key */
      SELECT * FROM bookings WHERE user_id = ${userId} AND idempotency_key = ${key}`);
    return row ? toBookingRecord(row) : null;
  }

  /** See claimStatement. A new booking id is drawn for every attempt. */
  async claim(args: Omit<ClaimArgs, "bookingId">): Promise<Changed<ClaimResult>> {
    const claim = () => this.sql.query<ClaimRow>(claimStatement({ ...args, bookingId: randomUUID() }));
    const [row] = await withRetry(claim);
    const booking = row!.id === null ? null : toBookingRecord(row as BookingRow);
    if (booking?.status === "PENDING" && Number(row!.claimed) !== args.expected) {
      // Unreachable while the target locks the rows it returns; fail loudly rather than sell a partial hold.
      throw new Error(
        `claim invariant broken: booking ${booking.id} claimed ${row!.claimed} of ${args.expected} seats`,
      );
    }
    return {
      value: {
        booking,
        claimable: row!.claimable ?? [],
        slotFree: row!.slot_free,
        showOpen: row!.show_open,
        showCancelled: row!.show_cancelled,
        seatCap: row!.seat_cap === null ? null : Number(row!.seat_cap),
        ownerSlotsFree: row!.owner_slots_free,
        withinHoldTime: row!.within_hold_time,
        addressSlotsFree: row!.address_slots_free,
        cooling: row!.cooling ?? [],
        reclaimed: Number(row!.reclaimed),
      },
      changes: changesOfRow(row!.changes),
    };
  }

  /** See changeHeldStatement: the changed booking, or null when its seats were not all still held by it. */
  async changeHeld(bookingId: string, userId: string, change: HeldChange): Promise<Changed<BookingRecord | null>> {
    const rows = await withRetry(() =>
      this.sql.query<BookingRow & { changes: unknown }>(changeHeldStatement(bookingId, userId, change)),
    );
    return { value: rows[0] ? toBookingRecord(rows[0]) : null, changes: changesOfRow(rows[0]?.changes) };
  }

  /** See releaseStatement: the bookings released (none when the selection picked none). */
  async release(reason: "EXPIRED" | "CANCELLED", selection: Prisma.Sql): Promise<Changed<BookingRecord[]>> {
    const [row] = await withRetry(() =>
      this.sql.query<{ bookings: unknown; changes: unknown }>(releaseStatement(reason, selection)),
    );
    const released = jsonList(row!.bookings as BookingRow[] | string).map(toBookingRecord);
    return { value: released, changes: changesOfRow(row!.changes) };
  }

  /**
   * Why a booking may not be confirmed or extended whatever its seats, by the database clock: whether its show has
   * started or was cancelled, and whether its user's hold time on the show leaves room for another `holdTtlSeconds`. Null: no booking.
   */
  async heldChangeRules(
    bookingId: string,
    holdTtlSeconds: number,
    holdTime: Pick<OnSaleLimits, "holdTimePerShowSeconds" | "holdTimeWindowSeconds">,
  ): Promise<{ showOpen: boolean; showCancelled: boolean; withinHoldTime: boolean } | null> {
    const used = holdSecondsUsed(Prisma.sql`b.user_id`, Prisma.sql`b.show_id`, holdTime.holdTimeWindowSeconds);
    const [row] = await this.sql.query<{
      show_open: boolean;
      show_cancelled: boolean;
      within_hold_time: boolean;
    }>(Prisma.sql`/* held_change_rules */
      SELECT ${showOpen(Prisma.sql`b.show_id`)} AS show_open,
             coalesce((SELECT cancelled_at IS NOT NULL FROM shows WHERE id = b.show_id), false) AS show_cancelled,
             ${used} + ${holdTtlSeconds}::int <= ${holdTime.holdTimePerShowSeconds}::int AS within_hold_time
      FROM bookings AS b WHERE b.id = ${bookingId}::uuid`);
    return row
      ? { showOpen: row.show_open, showCancelled: row.show_cancelled, withinHoldTime: row.within_hold_time }
      : null;
  }

  /** See purgeFailedHoldsStatement: how many failed holds were deleted. */
  async purgeFailedHolds(retentionSeconds: number, replaySeconds: number, batch: number): Promise<number> {
    const [row] = await this.sql.query<{ purged: bigint | string }>(Prisma.sql`
      WITH purged AS (${purgeFailedHoldsStatement(retentionSeconds, replaySeconds, batch)} RETURNING 1)
      SELECT count(*) AS purged FROM purged`);
    return Number(row?.purged ?? 0);
  }

  /** Age in seconds of the oldest lapsed hold not yet released (0 when none): how far the expiry task lags. */
  async expiryLagSeconds(): Promise<number> {
    const [row] = await this.sql.query<{ lag: number | null }>(Prisma.sql`/* expiry_lag */
      SELECT extract(epoch FROM now() - min(expires_at))::float8 AS lag FROM bookings WHERE ${holdLapsed()}`);
    return Number(row?.lag ?? 0);
  }
}

/** Runs a statement, again when PostgreSQL aborted it to break a deadlock or serialization conflict. */
export async function withRetry<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= MAX_ATTEMPTS || state === undefined || !RETRYABLE_STATES.has(state)) throw error;
    }
  }
}
