import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Booking as BookingRecord } from "../generated/prisma/client.js";
import { type Viewer } from "../shared/auth.js";
import { ForbiddenError } from "../shared/errors.js";
import { isUuid } from "../shared/ids.js";
import { decodeTimeIdCursor, encodeTimeIdCursor, type Page } from "../shared/pagination.js";
import { failure, type Outcome, type Problem, success } from "../shared/problem.js";
import { RETRYABLE_STATES, sqlState, UNIQUE_VIOLATION } from "../shared/db-errors.js";
import { type CommittedSeatChange, isInLayout, parseSeatNumber, type SeatEvents } from "../seats/index.js";
import { type ShowRecord, type ShowService } from "../shows/index.js";
import { BlockFinder } from "./best-available.js";
import {
  type BookingRow,
  cancellable,
  changeHeldStatement,
  changeList,
  type ClaimArgs,
  type ClaimRow,
  claimStatement,
  confirmChange,
  due,
  exactSeats,
  extendChange,
  type HeldChange,
  lapsed,
  nearestFrontCentre,
  releaseStatement,
  toRecord,
  type WithChanges,
} from "./booking.statements.js";

export type { BookingRecord };

export interface BookingSettings {
  readonly holdTtlSeconds: number;
  readonly holdMaxExtensions: number;
  readonly maxSeatsPerHold: number;
  readonly maxActiveHoldsPerUser: number;
}

export interface HoldRequest {
  readonly showId: string;
  readonly seatNumbers?: readonly string[] | null;
  readonly quantity?: number | null;
  readonly idempotencyKey?: string | null;
}

/** Attempts for a statement that lost a deadlock or serialization race (should not happen; see lock ordering). */
const MAX_ATTEMPTS = 3;

/**
 * Responsible for the booking lifecycle: holding seats, confirming, cancelling, extending and expiring holds.
 *
 * Every state change is one SQL statement. Seats are claimed by a conditional UPDATE that only touches seats that
 * are claimable at the moment the row lock is taken, so no seat can be held or sold twice and no code reads a
 * seat's status and writes it in a separate step. Rows are locked in a stable order (bookings first, then seats
 * by id), so concurrent commands never deadlock each other.
 */
export class BookingService {
  private readonly blocks = new BlockFinder((sql) => this.prisma.$queryRaw(sql));
  /** Called with the number of seats a hold took over from lapsed holds (metrics). */
  onReclaimed: (seats: number) => void = () => {};

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
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        return explicit !== null
          ? await this.holdExact(userId, show, explicit, key)
          : await this.holdBestAvailable(userId, show, quantity!, key);
      } catch (error) {
        if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
        // A concurrent retry with the same idempotency key won the insert: answer with its booking.
        if (key !== null) {
          const previous = await this.prisma.booking.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } });
          if (previous) return this.replay(previous, request);
        }
        // Otherwise a concurrent hold of the same user took the same active-hold slot: try again for another one.
      }
    }
    return failure(this.limitExceeded());
  }

  /** Confirms a PENDING, unexpired booking of the user: its seats become BOOKED. */
  async confirm(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    return this.changeHeld(viewer, bookingId, confirmChange);
  }

  /** Pushes a PENDING booking's expiry back by the hold TTL, at most HOLD_MAX_EXTENSIONS times. */
  async extend(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    return this.changeHeld(viewer, bookingId, extendChange(this.settings.holdTtlSeconds, this.settings.holdMaxExtensions));
  }

  /** Cancels a PENDING booking of the user: FAILED/CANCELLED, its seats AVAILABLE again. */
  async cancel(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!isUuid(bookingId)) return failure(notFound());
      const [cancelled] = await this.release(
        "CANCELLED",
        cancellable(bookingId, viewer.id),
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
      due(batch),
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
    const { booking, claimable, slotFree } = await this.claim({
      userId,
      showId: show.id,
      key,
      seatNumbers,
      target: exactSeats(seatNumbers, false),
      expected: seatNumbers.length,
      recordFailure: true,
    });
    if (!slotFree) return failure(this.limitExceeded());
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
    for (const { seatNumbers } of await this.blocks.candidates(show, quantity)) {
      const { booking, slotFree } = await this.claim({
        userId,
        showId: show.id,
        key,
        seatNumbers,
        target: exactSeats(seatNumbers, true),
        expected: quantity,
        recordFailure: false,
      });
      if (!slotFree) return failure(this.limitExceeded());
      if (booking) return success(booking);
    }
    const { booking, claimable, slotFree } = await this.claim({
      userId,
      showId: show.id,
      key,
      seatNumbers: null,
      target: nearestFrontCentre(show, quantity),
      expected: quantity,
      recordFailure: true,
    });
    if (!slotFree) return failure(this.limitExceeded());
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

  /**
   * The claim: one statement that locks the target seats that are claimable (in id order, or skipping locked ones),
   * and only if it got all `expected` of them inserts a PENDING booking and marks the seats HELD by it. Otherwise it
   * changes no seat and, with `recordFailure`, records a FAILED (SEATS_UNAVAILABLE) booking so the outcome can be
   * replayed for an idempotent retry. Returns the booking (null when nothing was recorded) and which targeted seats
   * were claimable.
   */
  private async claim(
    args: Omit<ClaimArgs, "bookingId" | "holdTtlSeconds" | "maxActiveHolds">,
  ): Promise<{ booking: BookingRecord | null; claimable: string[]; slotFree: boolean }> {
    const bookingId = randomUUID();
    const { holdTtlSeconds, maxActiveHoldsPerUser: maxActiveHolds } = this.settings;
    const rows = await this.withRetry(
      () => this.prisma.$queryRaw<ClaimRow[]>(claimStatement({ ...args, bookingId, holdTtlSeconds, maxActiveHolds })),
    );
    const row = rows[0]!;
    this.published(changeList(row.changes));
    if (row.id === null) return { booking: null, claimable: row.claimable ?? [], slotFree: row.slot_free };
    const booking = toRecord(row);
    if (booking.status === "PENDING" && Number(row.reclaimed) > 0) this.onReclaimed(Number(row.reclaimed));
    if (booking.status === "PENDING" && Number(row.claimed) !== args.expected) {
      // Unreachable while the target locks the rows it returns; fail loudly rather than sell a partial hold.
      throw new Error(`claim invariant broken: booking ${booking.id} claimed ${row.claimed} of ${args.expected} seats`);
    }
    return { booking, claimable: row.claimable ?? [], slotFree: row.slot_free };
  }

  private limitExceeded(): Problem {
    const limit = this.settings.maxActiveHoldsPerUser;
    return {
      code: "LIMIT_EXCEEDED",
      message: `You already have ${limit} active ${limit === 1 ? "hold" : "holds"}: confirm or cancel one first.`,
    };
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
    change: HeldChange,
  ): Promise<Outcome<BookingRecord>> {
    const action = change.onlyIf ? "extend" : "confirm";
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!isUuid(bookingId)) return failure(notFound());
      const rows = await this.withRetry(
        () => this.prisma.$queryRaw<WithChanges<BookingRow>[]>(changeHeldStatement(bookingId, viewer.id, change)),
      );
      if (rows[0]) {
        this.published(changeList(rows[0].changes));
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
      lapsed(bookingId),
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
      () => this.prisma.$queryRaw<WithChanges<BookingRow>[]>(releaseStatement(reason, selection)),
    );
    this.published(changeList(rows[0]?.changes));
    return rows.map(toRecord);
  }

  /** After a committed change: tell live seat maps, and keep this process's shared block searches up to date. */
  private published(changes: CommittedSeatChange[]): void {
    this.events.published(changes);
    for (const showId of new Set(changes.map((change) => change.showId))) {
      const ofShow = changes.filter((change) => change.showId === showId);
      const held = ofShow.filter((change) => change.status === "held").map((change) => parseSeatNumber(change.seatNumber)!);
      if (held.length > 0) this.blocks.claimed(showId, held);
      if (ofShow.some((change) => change.status === "available")) this.blocks.released(showId);
    }
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
