import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Booking as BookingRecord } from "../generated/prisma/client.js";
import { type Viewer } from "../shared/auth.js";
import { ForbiddenError } from "../shared/errors.js";
import { isUuid } from "../shared/ids.js";
import { decodeTimeIdCursor, encodeTimeIdCursor, type Page } from "../shared/pagination.js";
import { failure, type Outcome, type Problem, success } from "../shared/problem.js";
import { RETRYABLE_STATES, sqlState, UNIQUE_VIOLATION } from "../shared/db-errors.js";
import { type CommittedSeatChange, isInLayout, parseSeatNumber, type SeatEvents, seatNumber } from "../seats/index.js";
import { type ShowRecord, type ShowService } from "../shows/index.js";

export type { BookingRecord };

export interface BookingSettings {
  readonly holdTtlSeconds: number;
  readonly holdMaxExtensions: number;
  readonly maxSeatsPerHold: number;
}

export interface HoldRequest {
  readonly showId: string;
  readonly seatNumbers?: readonly string[] | null;
  readonly quantity?: number | null;
  readonly idempotencyKey?: string | null;
}

/** How many "best available" blocks to try before falling back to any free seats. */
const BLOCK_CANDIDATES = 4;
/** Attempts for a statement that lost a deadlock or serialization race (should not happen; see lock ordering). */
const MAX_ATTEMPTS = 3;

// A seat is claimable when it is free or its hold has lapsed (even if the expiry task has not released it yet).
const CLAIMABLE = Prisma.sql`(seats.status = 'available' OR (seats.status = 'held' AND seats.hold_expires_at < now()))`;
// Every seat change is numbered in the same UPDATE (live seat maps order changes by it).
const NEW_VERSION = Prisma.sql`version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()`;
/** JSON list of the changed seats a CTE returned (show_id, seat_number, status, version), for publishing. */
const changesOf = (cte: string) =>
  Prisma.sql`(SELECT coalesce(json_agg(json_build_object('showId', show_id, 'seatNumber', seat_number, 'status', status,
                                                         'version', version::text)), '[]') FROM ${Prisma.raw(cte)})`;

type WithChanges<T> = T & { changes: CommittedSeatChange[] | string };

const changeList = (value: CommittedSeatChange[] | string | null | undefined): CommittedSeatChange[] =>
  typeof value === "string" ? (JSON.parse(value) as CommittedSeatChange[]) : (value ?? []);

interface BookingRow {
  id: string;
  show_id: string;
  user_id: string;
  status: BookingRecord["status"];
  failure_reason: BookingRecord["failureReason"];
  seat_numbers: string[] | null;
  expires_at: Date | null;
  extension_count: number;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: BookingRow): BookingRecord => ({
  id: row.id,
  showId: row.show_id,
  userId: row.user_id,
  status: row.status,
  failureReason: row.failure_reason,
  seatNumbers: row.seat_numbers ?? [],
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  extensionCount: row.extension_count,
  idempotencyKey: row.idempotency_key,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/**
 * Responsible for the booking lifecycle: holding seats, confirming, cancelling, extending and expiring holds.
 *
 * Every state change is one SQL statement. Seats are claimed by a conditional UPDATE that only touches seats that
 * are claimable at the moment the row lock is taken, so no seat can be held or sold twice and no code reads a
 * seat's status and writes it in a separate step. Rows are locked in a stable order (bookings first, then seats
 * by id), so concurrent commands never deadlock each other.
 */
export class BookingService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly shows: ShowService,
    private readonly events: SeatEvents,
    private readonly settings: BookingSettings,
  ) {}

  /** Holds the requested seats for the user, all or nothing. */
  async hold(userId: string, request: HoldRequest): Promise<Outcome<BookingRecord>> {
    const explicit = request.seatNumbers ?? null;
    const quantity = request.quantity ?? null;
    if ((explicit === null) === (quantity === null)) {
      return failure({
        code: "INVALID_INPUT",
        message: "Give exactly one of seatNumbers or quantity.",
        field: ["input", explicit === null ? "quantity" : "seatNumbers"],
      });
    }
    const key = request.idempotencyKey ?? null;
    if (key !== null) {
      const previous = await this.prisma.booking.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } });
      if (previous) return this.replay(previous, request);
    }
    const show = await this.shows.get(request.showId);
    if (!show) {
      return failure({ code: "NOT_FOUND", message: "No show with this id.", field: ["input", "showId"] });
    }
    if (show.startsAt.getTime() <= Date.now()) {
      return failure({ code: "INVALID_STATE", message: "This show has already started.", field: ["input", "showId"] });
    }
    try {
      return explicit !== null
        ? await this.holdExact(userId, show, explicit, key)
        : await this.holdBestAvailable(userId, show, quantity!, key);
    } catch (error) {
      // A concurrent retry with the same idempotency key won the insert: answer with its booking.
      if (key !== null && sqlState(error) === UNIQUE_VIOLATION) {
        const previous = await this.prisma.booking.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } });
        if (previous) return this.replay(previous, request);
      }
      throw error;
    }
  }

  /** Confirms a PENDING, unexpired booking of the user: its seats become BOOKED. */
  async confirm(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    return this.changeHeld(viewer, bookingId, {
      seats: Prisma.sql`status = 'booked', hold_expires_at = NULL`,
      booking: Prisma.sql`status = 'CONFIRMED', expires_at = NULL`,
    });
  }

  /** Pushes a PENDING booking's expiry back by the hold TTL, at most HOLD_MAX_EXTENSIONS times. */
  async extend(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    const newExpiry = Prisma.sql`decision.expires_at + ${this.settings.holdTtlSeconds}::int * interval '1 second'`;
    return this.changeHeld(viewer, bookingId, {
      seats: Prisma.sql`hold_expires_at = ${newExpiry}`,
      booking: Prisma.sql`expires_at = ${newExpiry}, extension_count = bookings.extension_count + 1`,
      onlyIf: Prisma.sql`AND extension_count < ${this.settings.holdMaxExtensions}::int`,
    });
  }

  /** Cancels a PENDING booking of the user: FAILED/CANCELLED, its seats AVAILABLE again. */
  async cancel(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!isUuid(bookingId)) return failure(notFound());
      const [cancelled] = await this.release(
        "CANCELLED",
        Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND user_id = ${viewer.id} AND status = 'PENDING'
                   AND expires_at > now() FOR UPDATE`,
      );
      if (cancelled) return success(cancelled);
      const outcome = await this.explainUnchanged(viewer, bookingId, "cancel");
      if (outcome) return outcome;
    }
    throw new Error(`cancel of booking ${bookingId} kept losing races`);
  }

  /**
   * Releases up to `batch` lapsed holds (FAILED/EXPIRED, seats AVAILABLE). Safe to run in every API process at once:
   * each run skips bookings another run has locked. Returns how many bookings expired.
   */
  async expireDue(batch = 500): Promise<number> {
    const expired = await this.release(
      "EXPIRED",
      Prisma.sql`SELECT id FROM bookings WHERE status = 'PENDING' AND expires_at <= now()
                 ORDER BY expires_at LIMIT ${batch}::int FOR UPDATE SKIP LOCKED`,
    );
    return expired.length;
  }

  /** A booking the viewer may see (their own; admins see all); null when there is none. */
  async get(viewer: Viewer, bookingId: string): Promise<BookingRecord | null> {
    if (!isUuid(bookingId)) return null;
    const booking = await this.prisma.booking.findUnique({ where: { id: bookingId } });
    if (booking && booking.userId !== viewer.id && viewer.role !== "admin") {
      throw new ForbiddenError("This booking belongs to someone else.");
    }
    return booking;
  }

  /** The user's bookings, newest first, keyset-paginated. */
  async listForUser(userId: string, first: number, after?: string | null): Promise<Page<BookingRecord>> {
    let where: Prisma.BookingWhereInput = { userId };
    if (after) {
      const { at, id } = decodeTimeIdCursor(after);
      where = { userId, OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
    }
    const [rows, totalCount] = await Promise.all([
      this.prisma.booking.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: first + 1 }),
      this.prisma.booking.count({ where: { userId } }),
    ]);
    const items = rows.slice(0, first);
    return {
      items,
      cursors: items.map((b) => encodeTimeIdCursor(b.createdAt, b.id)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      totalCount,
    };
  }

  // --- holds -----------------------------------------------------------------------------------------------

  private async holdExact(
    userId: string,
    show: ShowRecord,
    requested: readonly string[],
    key: string | null,
  ): Promise<Outcome<BookingRecord>> {
    const problem = this.checkSeatNumbers(show, requested);
    if (problem) return failure(problem);
    const seatNumbers = requested.map((n) => n.trim().toUpperCase());
    const { booking, claimable } = await this.claim({
      userId,
      showId: show.id,
      key,
      seatNumbers,
      target: Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${CLAIMABLE} ORDER BY id FOR UPDATE`,
      expected: seatNumbers.length,
      recordFailure: true,
    });
    if (booking!.status === "PENDING") return success(booking!);
    const taken = seatNumbers.filter((n) => !claimable.includes(n));
    return failure(
      {
        code: "SEATS_UNAVAILABLE",
        message: `${taken.length === 1 ? "Seat" : "Seats"} ${taken.join(", ")} ${taken.length === 1 ? "is" : "are"} not available.`,
        field: ["input", "seatNumbers"],
        seatNumbers: taken,
      },
      booking!,
    );
  }

  /**
   * "Best available": the adjacent block in the frontmost row, nearest the row's centre; when no row has enough
   * adjacent free seats, the free seats nearest the front-centre. Candidate blocks are claimed with SKIP LOCKED,
   * so concurrent pickers move on to the next block instead of queueing behind each other.
   */
  private async holdBestAvailable(
    userId: string,
    show: ShowRecord,
    quantity: number,
    key: string | null,
  ): Promise<Outcome<BookingRecord>> {
    if (quantity > this.settings.maxSeatsPerHold) {
      return failure({
        code: "INVALID_INPUT",
        message: `A hold may have at most ${this.settings.maxSeatsPerHold} seats.`,
        field: ["input", "quantity"],
      });
    }
    for (const block of await this.bestBlocks(show, quantity)) {
      const seatNumbers = Array.from({ length: quantity }, (_, i) => seatNumber(block.rowIndex, block.start + i));
      const { booking } = await this.claim({
        userId,
        showId: show.id,
        key,
        seatNumbers,
        target: Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${CLAIMABLE} ORDER BY id FOR UPDATE SKIP LOCKED`,
        expected: quantity,
        recordFailure: false,
      });
      if (booking) return success(booking);
    }
    const centreTimesTwo = show.seatsPerRow + 1;
    const { booking, claimable } = await this.claim({
      userId,
      showId: show.id,
      key,
      seatNumbers: null,
      target: Prisma.sql`${CLAIMABLE}
        ORDER BY row_index, abs(2 * seat_in_row - ${centreTimesTwo}::int), seat_in_row
        LIMIT ${quantity}::int FOR UPDATE SKIP LOCKED`,
      expected: quantity,
      recordFailure: true,
    });
    if (booking!.status === "PENDING") return success(booking!);
    return failure(
      {
        code: "SEATS_UNAVAILABLE",
        message:
          claimable.length === 0
            ? "No seats are available."
            : `Only ${claimable.length} ${claimable.length === 1 ? "seat is" : "seats are"} available right now.`,
        field: ["input", "quantity"],
        seatNumbers: [],
      },
      booking!,
    );
  }

  /** Up to BLOCK_CANDIDATES blocks of `quantity` adjacent claimable seats, best first. */
  private async bestBlocks(show: ShowRecord, quantity: number): Promise<{ rowIndex: number; start: number }[]> {
    const ideal = Math.floor((show.seatsPerRow - quantity + 2) / 2);
    return this.prisma.$queryRaw<{ rowIndex: number; start: number }[]>`
      WITH free AS (
        SELECT row_index, seat_in_row,
               seat_in_row - row_number() OVER (PARTITION BY row_index ORDER BY seat_in_row) AS run
        FROM seats
        WHERE show_id = ${show.id}::uuid AND ${CLAIMABLE}
      ), runs AS (
        SELECT row_index, min(seat_in_row) AS first_seat, max(seat_in_row) AS last_seat
        FROM free GROUP BY row_index, run HAVING count(*) >= ${quantity}::int
      ), blocks AS (
        SELECT row_index, greatest(first_seat, least(last_seat - ${quantity}::int + 1, ${ideal}::int)) AS start FROM runs
      )
      SELECT row_index AS "rowIndex", start::int AS start FROM blocks
      ORDER BY row_index, abs(2 * start + ${quantity}::int - 1 - ${show.seatsPerRow + 1}::int), start
      LIMIT ${BLOCK_CANDIDATES}::int`;
  }

  /**
   * The claim: one statement that locks the target seats that are claimable (in id order, or skipping locked ones),
   * and only if it got all `expected` of them inserts a PENDING booking and marks the seats HELD by it. Otherwise it
   * changes no seat and, with `recordFailure`, records a FAILED (SEATS_UNAVAILABLE) booking so the outcome can be
   * replayed for an idempotent retry. Returns the booking (null when nothing was recorded) and which targeted seats
   * were claimable.
   */
  private async claim(args: {
    userId: string;
    showId: string;
    key: string | null;
    /** The seats the booking is for; null = the seats the target selects. */
    seatNumbers: string[] | null;
    /** WHERE tail (after show_id) + ORDER BY + LIMIT + FOR UPDATE of the seats to claim. */
    target: Prisma.Sql;
    expected: number;
    recordFailure: boolean;
  }): Promise<{ booking: BookingRecord | null; claimable: string[] }> {
    const bookingId = randomUUID();
    const rows = await this.withRetry(
      () => this.prisma.$queryRaw<WithChanges<BookingRow & { claimable: string[] | null; claimed: bigint }>[]>`
      WITH target AS (
        SELECT id, seat_number, row_index, seat_in_row FROM seats
        WHERE show_id = ${args.showId}::uuid AND ${args.target}
      ), decision AS (
        SELECT count(*) = ${args.expected}::int AS ok,
               array_agg(seat_number ORDER BY row_index, seat_in_row) AS claimable
        FROM target
      ), booking AS (
        INSERT INTO bookings (id, show_id, user_id, status, failure_reason, seat_numbers, expires_at, idempotency_key)
        SELECT ${bookingId}::uuid, ${args.showId}::uuid, ${args.userId},
               CASE WHEN ok THEN 'PENDING' ELSE 'FAILED' END::booking_status,
               CASE WHEN ok THEN NULL ELSE 'SEATS_UNAVAILABLE' END::failure_reason,
               COALESCE(${args.seatNumbers}::text[], CASE WHEN ok THEN claimable END, '{}'),
               CASE WHEN ok THEN now() + ${this.settings.holdTtlSeconds}::int * interval '1 second' END,
               ${args.key}::text
        FROM decision
        WHERE ok OR ${args.recordFailure}::boolean
        RETURNING *
      ), claimed AS (
        UPDATE seats
        SET status = 'held', booking_id = booking.id, hold_expires_at = booking.expires_at, updated_at = now(), ${NEW_VERSION}
        FROM target, booking
        WHERE seats.id = target.id AND booking.status = 'PENDING' AND ${CLAIMABLE}
        RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
      )
      SELECT booking.*, (SELECT claimable FROM decision) AS claimable, (SELECT count(*) FROM claimed) AS claimed,
             ${changesOf("claimed")} AS changes
      FROM (SELECT 1) AS one LEFT JOIN booking ON true`,
    );
    const row = rows[0]!;
    this.events.published(changeList(row.changes));
    if (row.id === null) return { booking: null, claimable: row.claimable ?? [] };
    const booking = toRecord(row);
    if (booking.status === "PENDING" && Number(row.claimed) !== args.expected) {
      // Unreachable while the target locks the rows it returns; fail loudly rather than sell a partial hold.
      throw new Error(`claim invariant broken: booking ${booking.id} claimed ${row.claimed} of ${args.expected} seats`);
    }
    return { booking, claimable: row.claimable ?? [] };
  }

  private checkSeatNumbers(show: ShowRecord, requested: readonly string[]): Problem | null {
    const field = ["input", "seatNumbers"];
    if (requested.length === 0) return { code: "INVALID_INPUT", message: "seatNumbers must not be empty.", field };
    if (requested.length > this.settings.maxSeatsPerHold) {
      return { code: "INVALID_INPUT", message: `A hold may have at most ${this.settings.maxSeatsPerHold} seats.`, field };
    }
    const normalized = requested.map((n) => n.trim().toUpperCase());
    const duplicates = [...new Set(normalized.filter((n, i) => normalized.indexOf(n) !== i))];
    if (duplicates.length > 0) {
      return { code: "INVALID_INPUT", message: `Seat listed twice: ${duplicates.join(", ")}.`, field, seatNumbers: duplicates };
    }
    const malformed = requested.filter((n) => parseSeatNumber(n) === null);
    if (malformed.length > 0) {
      return {
        code: "INVALID_INPUT",
        message: 'Seat numbers are a row label and a seat number, e.g. "A1" or "AB12".',
        field,
        seatNumbers: malformed,
      };
    }
    const layout = { rows: show.rowCount, seatsPerRow: show.seatsPerRow };
    const outside = normalized.filter((n) => !isInLayout(parseSeatNumber(n)!, layout));
    if (outside.length > 0) {
      return { code: "NOT_FOUND", message: `This show has no seat ${outside.join(", ")}.`, field, seatNumbers: outside };
    }
    return null;
  }

  /** The answer to a repeated request with an idempotency key: the original booking, nothing changed. */
  private replay(previous: BookingRecord, request: HoldRequest): Outcome<BookingRecord> {
    if (!isSameRequest(previous, request)) {
      return failure({
        code: "INVALID_INPUT",
        message: "This idempotencyKey was already used for a different hold request.",
        field: ["input", "idempotencyKey"],
      });
    }
    if (previous.status === "FAILED" && previous.failureReason === "SEATS_UNAVAILABLE") {
      return failure({ code: "SEATS_UNAVAILABLE", message: "This hold already failed: the seats were not available." }, previous);
    }
    return success(previous);
  }

  // --- confirm / extend / cancel / expire --------------------------------------------------------------------

  /**
   * Applies a change to a PENDING booking of the viewer whose seats are all still held by it and unexpired, in one
   * statement: lock the booking, lock its held seats in id order, and change both only if every seat is there.
   */
  private async changeHeld(
    viewer: Viewer,
    bookingId: string,
    change: { seats: Prisma.Sql; booking: Prisma.Sql; onlyIf?: Prisma.Sql },
  ): Promise<Outcome<BookingRecord>> {
    const action = change.onlyIf ? "extend" : "confirm";
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!isUuid(bookingId)) return failure(notFound());
      const rows = await this.withRetry(
        () => this.prisma.$queryRaw<WithChanges<BookingRow>[]>`
        WITH booking AS (
          SELECT id, seat_numbers, expires_at FROM bookings
          WHERE id = ${bookingId}::uuid AND user_id = ${viewer.id} AND status = 'PENDING' ${change.onlyIf ?? Prisma.empty}
          FOR UPDATE
        ), held AS (
          SELECT seats.id FROM seats, booking
          WHERE seats.booking_id = booking.id AND seats.status = 'held' AND seats.hold_expires_at > now()
          ORDER BY seats.id FOR UPDATE OF seats
        ), decision AS (
          SELECT booking.id, booking.expires_at,
                 (SELECT count(*) FROM held) = cardinality(booking.seat_numbers) AS ok
          FROM booking
        ), changed_seats AS (
          UPDATE seats SET ${change.seats}, updated_at = now(), ${NEW_VERSION}
          FROM decision
          WHERE seats.id IN (SELECT id FROM held) AND decision.ok
          RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
        ), changed_booking AS (
          UPDATE bookings SET ${change.booking}, updated_at = now()
          FROM decision
          WHERE bookings.id = decision.id AND decision.ok
          RETURNING bookings.*
        )
        SELECT changed_booking.*, ${changesOf("changed_seats")} AS changes FROM changed_booking`,
      );
      if (rows[0]) {
        this.events.published(changeList(rows[0].changes));
        return success(toRecord(rows[0]));
      }
      const outcome = await this.explainUnchanged(viewer, bookingId, action);
      if (outcome) return outcome;
    }
    throw new Error(`${action} of booking ${bookingId} kept losing races`);
  }

  /**
   * Why a command on a booking changed nothing. A PENDING booking whose hold lapsed is expired on the spot
   * (HOLD_EXPIRED), whatever the command, so the answer does not depend on whether the expiry task ran yet.
   * Returns null when the booking changed under us and the command should simply be retried.
   */
  private async explainUnchanged(
    viewer: Viewer,
    bookingId: string,
    action: "confirm" | "extend" | "cancel",
  ): Promise<Outcome<BookingRecord> | null> {
    const booking = await this.prisma.booking.findUnique({ where: { id: bookingId } });
    if (!booking) return failure(notFound());
    if (booking.userId !== viewer.id) throw new ForbiddenError("This booking belongs to someone else.");
    if (booking.status === "FAILED" && booking.failureReason === "EXPIRED") {
      return failure(holdExpired(), booking);
    }
    if (booking.status !== "PENDING") {
      const state = booking.status === "FAILED" ? `FAILED (${booking.failureReason})` : booking.status;
      return failure({ code: "INVALID_STATE", message: `Cannot ${action} a booking that is ${state}.` }, booking);
    }
    const [expired] = await this.release(
      "EXPIRED",
      Prisma.sql`SELECT id FROM bookings WHERE id = ${bookingId}::uuid AND status = 'PENDING' AND expires_at <= now() FOR UPDATE`,
    );
    if (expired) return failure(holdExpired(), expired);
    if (action === "extend" && booking.extensionCount >= this.settings.holdMaxExtensions) {
      return failure(
        { code: "LIMIT_EXCEEDED", message: `A hold can be extended at most ${this.settings.holdMaxExtensions} times.` },
        booking,
      );
    }
    return null;
  }

  /**
   * Turns the PENDING bookings chosen by `selection` (a SELECT of ids that locks them) into FAILED with `reason`
   * and makes the seats they still hold AVAILABLE, in one statement. Returns the released bookings.
   */
  private async release(reason: "EXPIRED" | "CANCELLED", selection: Prisma.Sql): Promise<BookingRecord[]> {
    const rows = await this.withRetry(
      () => this.prisma.$queryRaw<WithChanges<BookingRow>[]>`
      WITH released AS (
        UPDATE bookings
        SET status = 'FAILED', failure_reason = ${reason}::failure_reason, updated_at = now(),
            expires_at = CASE WHEN ${reason}::text = 'EXPIRED' THEN expires_at END
        WHERE id IN (${selection}) AND status = 'PENDING'
        RETURNING bookings.*
      ), freed AS (
        UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL, updated_at = now(), ${NEW_VERSION}
        WHERE id IN (
          SELECT seats.id FROM seats
          WHERE seats.booking_id IN (SELECT id FROM released) AND seats.status = 'held'
          ORDER BY seats.id FOR UPDATE
        )
        RETURNING seats.show_id, seats.seat_number, seats.status, seats.version
      )
      SELECT released.*, ${changesOf("freed")} AS changes FROM released`,
    );
    this.events.published(changeList(rows[0]?.changes));
    return rows.map(toRecord);
  }

  /** Runs a statement again when PostgreSQL aborted it to break a deadlock or serialization conflict. */
  private async withRetry<T>(statement: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await statement();
      } catch (error) {
        const state = sqlState(error);
        if (attempt >= MAX_ATTEMPTS || state === undefined || !RETRYABLE_STATES.has(state)) throw error;
      }
    }
  }
}

/** Whether a retried request asks for what the booking recorded for its idempotency key. */
function isSameRequest(previous: BookingRecord, request: HoldRequest): boolean {
  if (previous.showId !== request.showId) return false;
  if (request.seatNumbers) {
    const asked = request.seatNumbers.map((n) => n.trim().toUpperCase());
    return asked.length === previous.seatNumbers.length && asked.every((n, i) => n === previous.seatNumbers[i]);
  }
  // A quantity hold records the seats it got, or none when it failed.
  return previous.seatNumbers.length === request.quantity || previous.seatNumbers.length === 0;
}

const notFound = (): Problem => ({ code: "NOT_FOUND", message: "No booking with this id.", field: ["id"] });
const holdExpired = (): Problem => ({
  code: "HOLD_EXPIRED",
  message: "The hold expired before this request; its seats were released.",
});
