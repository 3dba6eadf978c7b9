import { CHANGED_SEAT_COLUMNS, changesOf, NEW_VERSION } from "../bookings/sql/predicates.js";
import { changesOfRow } from "../bookings/sql/rows.js";
import { type PrismaClient } from "../db/prisma.js";
import { type SeatMapChange } from "../domain/seat-change.js";

/** Bookings cancelled per statement: a batch's locks are held only while its statement runs. */
export const BOOKINGS_PER_BATCH = 500;
/** Free seats blocked per statement. */
export const SEATS_PER_BATCH = 1000;

/** The block reason of every seat of a cancelled show. */
export const cancelledBlockReason = (reason: string) => `Show cancelled: ${reason}`;

/** What one batch did. */
export interface CancelBatch {
  /** Bookings ended (FAILED / CANCELLED_BY_ORGANIZER), or seats blocked, by this statement. */
  readonly count: number;
  readonly changes: SeatMapChange[];
}

/**
 * The statements of cancelShow, each committing on its own (autocommit), so the work is done in bounded batches and a
 * cancellation that died half-way is finished by running them again: every one picks only what is left.
 */
export class ShowCancelStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Step 1: marks the show cancelled; false when it already was (or does not exist). Holds, confirmations and
   * extensions that start after its commit refuse (showOpen); holds already under way are ended by the later steps.
   */
  async markCancelled(showId: string, reason: string): Promise<boolean> {
    // The show.cancelled event in the same statement, with the show as the update left it.
    const [row] = await this.prisma.$queryRaw<{ cancelled: number }[]>`/* show_cancel */
      WITH cancelled AS (
        UPDATE shows SET cancelled_at = now(), cancel_reason = ${reason}, updated_at = now()
        WHERE id = ${showId}::uuid AND cancelled_at IS NULL
        RETURNING shows.*
      ), event AS (
        INSERT INTO booking_outbox (type, show_id, data)
        SELECT 'show.cancelled', cancelled.id, show_event_data(cancelled::shows) FROM cancelled
      )
      SELECT count(*)::int AS cancelled FROM cancelled`;
    return row!.cancelled > 0;
  }

  /** Whether a cancelled show still has PENDING or CONFIRMED bookings or seats not BLOCKED (a run that died). */
  async workLeft(showId: string): Promise<boolean> {
    const [row] = await this.prisma.$queryRaw<{ left: boolean }[]>`/* show_cancel_work_left */
      SELECT EXISTS (SELECT 1 FROM bookings WHERE show_id = ${showId}::uuid AND status IN ('PENDING', 'CONFIRMED'))
          OR EXISTS (SELECT 1 FROM seats WHERE show_id = ${showId}::uuid AND status <> 'blocked') AS left`;
    return row!.left;
  }

  /**
   * Step 2, one batch: locks up to BOOKINGS_PER_BATCH of the show's PENDING and CONFIRMED bookings (ORDER BY id), then
   * their held and booked seats (ORDER BY id): the seats become BLOCKED with `blockReason` (booking, hold, address and
   * owner columns cleared, new version), the bookings FAILED / CANCELLED_BY_ORGANIZER, and each CONFIRMED one gets a
   * refund of the seats it still had and what it paid for them (its total: a partial refund already took the refunded
   * seats' prices off it), by `adminSub`.
   */
  async cancelBookings(showId: string, blockReason: string, adminSub: string): Promise<CancelBatch> {
    const [row] = await this.prisma.$queryRaw<{ cancelled: number; changes: unknown }[]>`/* show_cancel_bookings */
      WITH selected AS MATERIALIZED (
        SELECT id, status, total, currency FROM bookings
        WHERE show_id = ${showId}::uuid AND status IN ('PENDING', 'CONFIRMED')
        ORDER BY id LIMIT ${BOOKINGS_PER_BATCH}::int FOR UPDATE
      ), locked AS MATERIALIZED (
        SELECT seats.id, seats.booking_id, seats.seat_number FROM selected JOIN seats ON seats.booking_id = selected.id
        WHERE seats.status IN ('held', 'booked')
        ORDER BY seats.id FOR UPDATE OF seats
      ), blocked AS (
        UPDATE seats SET status = 'blocked', block_reason = ${blockReason}, booking_id = NULL, hold_expires_at = NULL,
                         hold_address = NULL, address_slot = NULL, owner_id = NULL, owner_slot = NULL,
                         updated_at = now(), ${NEW_VERSION}
        FROM locked WHERE seats.id = locked.id
        RETURNING ${CHANGED_SEAT_COLUMNS}
      ), cancelled AS (
        UPDATE bookings SET status = 'FAILED', failure_reason = 'CANCELLED_BY_ORGANIZER', expires_at = NULL,
                            updated_at = now()
        FROM selected WHERE bookings.id = selected.id
        RETURNING bookings.id
      ), refunded AS (
        INSERT INTO booking_refunds (booking_id, show_id, seat_numbers, amount, currency, refunded_by, reason)
        SELECT selected.id, ${showId}::uuid, sold.seat_numbers, selected.total, selected.currency, ${adminSub},
               ${blockReason}
        FROM selected
        JOIN (SELECT booking_id, array_agg(seat_number ORDER BY id) AS seat_numbers FROM locked GROUP BY booking_id) AS sold
          ON sold.booking_id = selected.id
        WHERE selected.status = 'CONFIRMED'
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM cancelled)::int AS cancelled, (SELECT count(*) FROM refunded)::int AS refunds,
             ${changesOf("blocked")} AS changes`;
    return { count: Number(row!.cancelled), changes: changesOfRow(row!.changes) };
  }

  /** Step 3, one batch: up to SEATS_PER_BATCH free seats of the show (ORDER BY id, locked) become BLOCKED. */
  async blockFreeSeats(showId: string, blockReason: string): Promise<CancelBatch> {
    const [row] = await this.prisma.$queryRaw<{ blocked: number; changes: unknown }[]>`/* show_cancel_seats */
      WITH locked AS MATERIALIZED (
        SELECT id FROM seats WHERE show_id = ${showId}::uuid AND status = 'available'
        ORDER BY id LIMIT ${SEATS_PER_BATCH}::int FOR UPDATE
      ), blocked AS (
        UPDATE seats SET status = 'blocked', block_reason = ${blockReason}, updated_at = now(), ${NEW_VERSION}
        FROM locked WHERE seats.id = locked.id
        RETURNING ${CHANGED_SEAT_COLUMNS}
      )
      SELECT (SELECT count(*) FROM blocked)::int AS blocked, ${changesOf("blocked")} AS changes`;
    return { count: Number(row!.blocked), changes: changesOfRow(row!.changes) };
  }
}
