import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { type BookingEventRow, EVENT_COLUMNS } from "../event-envelope.js";

/** An exchange's cursor and whether there is anything after it. */
export interface CursorState {
  readonly lastSequence: bigint;
  /** The log's highest sequence. */
  readonly head: bigint;
}

/**
 * broker_cursors, one row per exchange: how far it has been published (confirmed by the broker), and the lease of
 * the one process that publishes it (see the 20261125000100 migration). Every statement here is a single short
 * statement outside any transaction: the publisher never keeps a transaction open while it waits for the broker.
 */
export class BrokerCursorStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly exchange: string,
    /** Who holds the lease: host, pid and a random part (a restarted process is another holder). */
    private readonly holder: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Creates the exchange's cursor at the log's head the first time a process runs with it: events sequenced before
   * that are not published (they are in the pull API). Later calls change nothing.
   */
  async ensure(): Promise<void> {
    await this.prisma.$executeRaw(Prisma.sql`/* broker_cursor_create */
      INSERT INTO broker_cursors (exchange, last_sequence)
      SELECT ${this.exchange}, coalesce(max(sequence), 0) FROM booking_events
      ON CONFLICT (exchange) DO NOTHING`);
  }

  /** The cursor and the log's head; undefined if the cursor is missing. Reads only: an idle round writes nothing. */
  async state(): Promise<CursorState | undefined> {
    const [row] = await this.prisma.$queryRaw<
      { last_sequence: bigint; head: bigint }[]
    >(Prisma.sql`/* broker_cursor_state */
      SELECT c.last_sequence, (SELECT coalesce(max(sequence), 0) FROM booking_events) AS head
      FROM broker_cursors AS c WHERE c.exchange = ${this.exchange}`);
    return row ? { lastSequence: BigInt(row.last_sequence), head: BigInt(row.head) } : undefined;
  }

  /**
   * Takes the lease if it is free or run out, or renews this process's own. Returns the cursor's position when this
   * process holds the lease now, undefined when another one does. Two processes racing for a run-out lease: the row
   * lock makes the second re-check the condition against the first's lease, so only one wins.
   */
  async claim(): Promise<bigint | undefined> {
    const [row] = await this.prisma.$queryRaw<{ last_sequence: bigint }[]>(Prisma.sql`/* broker_cursor_claim */
      UPDATE broker_cursors
      SET leased_by = ${this.holder}, leased_until = now() + ${this.leaseMs}::int * interval '1 millisecond'
      WHERE exchange = ${this.exchange}
        AND (leased_by = ${this.holder} OR leased_until IS NULL OR leased_until < now())
      RETURNING last_sequence`);
    return row ? BigInt(row.last_sequence) : undefined;
  }

  /** Renews this process's lease while it waits for the broker; false if it has lost it (it must stop). */
  async renew(): Promise<boolean> {
    const renewed = await this.prisma.$executeRaw(Prisma.sql`/* broker_cursor_renew */
      UPDATE broker_cursors SET leased_until = now() + ${this.leaseMs}::int * interval '1 millisecond'
      WHERE exchange = ${this.exchange} AND leased_by = ${this.holder}`);
    return renewed === 1;
  }

  /**
   * Moves the cursor from `from` to `to` after the broker confirmed every event in between, and renews the lease.
   * Fenced: nothing changes (false) unless this process still holds the lease and the cursor is still at `from`.
   */
  async advance(from: bigint, to: bigint): Promise<boolean> {
    const advanced = await this.prisma.$executeRaw(Prisma.sql`/* broker_cursor_advance */
      UPDATE broker_cursors
      SET last_sequence = ${to}::bigint, published_at = now(),
          leased_until = now() + ${this.leaseMs}::int * interval '1 millisecond'
      WHERE exchange = ${this.exchange} AND leased_by = ${this.holder} AND last_sequence = ${from}::bigint`);
    return advanced === 1;
  }

  /** Gives the lease up (stopping, or the broker connection is gone) so another process need not wait it out. */
  async release(): Promise<void> {
    await this.prisma.$executeRaw(Prisma.sql`/* broker_cursor_release */
      UPDATE broker_cursors SET leased_by = NULL, leased_until = NULL
      WHERE exchange = ${this.exchange} AND leased_by = ${this.holder}`);
  }

  /** Records why publishing failed (operators read last_error/last_error_at next to published_at). */
  async recordError(message: string): Promise<void> {
    await this.prisma.$executeRaw(Prisma.sql`/* broker_cursor_error */
      UPDATE broker_cursors SET last_error = ${message.slice(0, 1000)}, last_error_at = now()
      WHERE exchange = ${this.exchange}`);
  }

  /** Up to `limit` events after `after`, in sequence order. */
  async eventsAfter(after: bigint, limit: number): Promise<BookingEventRow[]> {
    return this.prisma.$queryRaw<BookingEventRow[]>(Prisma.sql`/* broker_events_after_cursor */
      SELECT ${Prisma.raw(EVENT_COLUMNS)} FROM booking_events AS e
      WHERE e.sequence > ${after}::bigint ORDER BY e.sequence LIMIT ${limit}::int`);
  }
}
