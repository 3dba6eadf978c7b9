import { UNIQUE_VIOLATION, sqlState } from "../db/db-errors.js";
import { NotOwnerError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";
import { failure, invalidInput, type Outcome, success } from "../domain/problem.js";
import { type Viewer } from "../domain/viewer.js";
import { type BookingObserver, NO_OBSERVER, observedCommand } from "./booking-observer.js";
import { type BookingSettings, type SeatChangePublisher } from "./booking.ports.js";
import * as problems from "./booking.problems.js";
import { type BookingStore, type Changed } from "./booking.store.js";
import * as boxOffice from "./box-office.problems.js";
import { type BoxOfficeStore, type ChangeSeatsResult } from "./box-office.store.js";
import { parseSeatList, sameSeats } from "./seat-list.js";
import { type BookingRecord } from "./sql/rows.js";

/** Attempts for a seat change that keeps losing races (a purchase-cap slot taken by a concurrent hold of its owner). */
const MAX_ATTEMPTS = 3;

export interface RefundRequest {
  readonly bookingId: string;
  readonly seatNumbers?: readonly string[] | null;
  readonly reason?: string | null;
}

export interface ChangeSeatsRequest {
  readonly bookingId: string;
  readonly release: readonly string[];
  readonly take: readonly string[];
  readonly idempotencyKey: string;
}

/**
 * Responsible for what the box office does to bookings after they were made: refunds (admins, and owners where the
 * show allows it) and seat changes (admins). Each is one statement (sql/refund.ts, sql/change-seats.ts) that locks
 * in the project's order and verifies on the locked rows; the seat changes are published once it returns.
 */
export class BoxOfficeService {
  constructor(
    private readonly store: BoxOfficeStore,
    private readonly bookings: Pick<BookingStore, "findById">,
    private readonly events: SeatChangePublisher,
    private readonly settings: Pick<BookingSettings, "maxSeatsPerHold">,
    private readonly observer: BookingObserver = NO_OBSERVER,
  ) {}

  /**
   * Refunds seats of a CONFIRMED booking (all of them by default), all or nothing. Admins refund any booking; its
   * owner only their own, and only while the show allows owner refunds and is open (NOT_ALLOWED otherwise);
   * NotOwnerError for anyone else.
   */
  refund(viewer: Viewer, request: RefundRequest): Promise<Outcome<BookingRecord>> {
    return observedCommand(this.observer, "refund", () => this.runRefund(viewer, request));
  }

  /**
   * Moves a booking (CONFIRMED, or PENDING while its hold stands) from the `release` seats to the `take` seats in one
   * statement. A repeat with the same idempotency key and the same seats returns the booking as it is.
   */
  changeSeats(viewer: Viewer, request: ChangeSeatsRequest): Promise<Outcome<BookingRecord>> {
    return observedCommand(this.observer, "changeSeats", () => this.runChangeSeats(viewer, request));
  }

  private async runRefund(viewer: Viewer, request: RefundRequest): Promise<Outcome<BookingRecord>> {
    let seatNumbers: string[] | null = null;
    if (request.seatNumbers) {
      const parsed = parseSeatList(request.seatNumbers, "seatNumbers");
      if (!parsed.ok) return failure(parsed.problem);
      seatNumbers = parsed.seatNumbers;
    }
    if (!isUuid(request.bookingId)) return failure(boxOffice.noSuchBooking());
    const booking = await this.bookings.findById(request.bookingId);
    if (!booking) return failure(boxOffice.noSuchBooking());
    const asOwner = viewer.role !== "admin";
    if (asOwner && booking.userId !== viewer.id) throw new NotOwnerError();
    const result = this.committed(
      await this.store.refund({
        bookingId: booking.id,
        seatNumbers,
        refundedBy: viewer.id,
        reason: request.reason?.trim() || null,
        asOwner,
      }),
    );
    if (result.booking) return success(result.booking);
    const current = (await this.bookings.findById(booking.id)) ?? booking;
    if (result.lockedStatus !== "CONFIRMED") return failure(problems.cannotInState("refund", current), current);
    if (!result.allowed) return failure(boxOffice.ownerRefundsNotAllowed(), current);
    if (result.notInBooking.length > 0) {
      return failure(boxOffice.seatsNotInBooking("seatNumbers", result.notInBooking), current);
    }
    // Every named seat is the booking's, yet not all were booked by it: the invariants say this cannot be.
    throw new Error(`refund of booking ${booking.id}: its seats are not all booked by it`);
  }

  private async runChangeSeats(viewer: Viewer, request: ChangeSeatsRequest): Promise<Outcome<BookingRecord>> {
    const release = parseSeatList(request.release, "release");
    if (!release.ok) return failure(release.problem);
    const take = parseSeatList(request.take, "take");
    if (!take.ok) return failure(take.problem);
    const both = release.seatNumbers.filter((n) => take.seatNumbers.includes(n));
    if (both.length > 0) {
      return failure({
        ...invalidInput(`Seats both released and taken: ${both.join(", ")}.`, "take"),
        seatNumbers: both,
      });
    }
    if (!isUuid(request.bookingId)) return failure(boxOffice.noSuchBooking());
    const change = { release: release.seatNumbers, take: take.seatNumbers };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const replayed = await this.replay(request.bookingId, request.idempotencyKey, change);
      if (replayed) return replayed;
      let result: ChangeSeatsResult;
      try {
        result = this.committed(
          await this.store.changeSeats({
            bookingId: request.bookingId,
            ...change,
            idempotencyKey: request.idempotencyKey,
            changedBy: viewer.id,
            maxSeats: this.settings.maxSeatsPerHold,
          }),
        );
      } catch (error) {
        // The same change with the same key committed first, or a hold of the owner took the cap slot drawn here.
        if (sqlState(error) === UNIQUE_VIOLATION) continue;
        throw error;
      }
      if (result.booking) return success(result.booking);
      // A concurrent request with the same key may have made this very change: the booking then looks changed.
      const replayedNow = await this.replay(request.bookingId, request.idempotencyKey, change);
      if (replayedNow) return replayedNow;
      return this.explain(request.bookingId, result);
    }
    return failure(boxOffice.tooManyConcurrentChanges());
  }

  /** The answer to a seat change whose key was used before on the booking; null when it was not. */
  private async replay(
    bookingId: string,
    key: string,
    change: { release: string[]; take: string[] },
  ): Promise<Outcome<BookingRecord> | null> {
    const previous = await this.store.findSeatChange(bookingId, key);
    if (!previous) return null;
    if (!sameSeats(previous.released, change.release) || !sameSeats(previous.taken, change.take)) {
      return failure(boxOffice.seatChangeKeyReused());
    }
    const booking = await this.bookings.findById(bookingId);
    return booking ? success(booking) : failure(boxOffice.noSuchBooking());
  }

  private async explain(bookingId: string, result: ChangeSeatsResult): Promise<Outcome<BookingRecord>> {
    const booking = await this.bookings.findById(bookingId);
    if (!result.found || !booking) return failure(boxOffice.noSuchBooking());
    const refuse = (problem: Parameters<typeof failure>[0]) => failure(problem, booking);
    if (!result.stateOk) {
      const lapsed = booking.status === "PENDING" || booking.failureReason === "EXPIRED";
      return refuse(lapsed ? problems.holdExpired() : problems.cannotInState("change the seats of", booking));
    }
    if (!result.showOpen) return refuse(problems.showClosed(result.showCancelled));
    if (result.notInBooking.length > 0) return refuse(boxOffice.seatsNotInBooking("release", result.notInBooking));
    if (result.unknown.length > 0) return refuse(boxOffice.unknownSeats(result.unknown));
    if (result.unavailable.length > 0) return refuse(boxOffice.seatsToTakeUnavailable(result.unavailable));
    if (!result.withinSize) return refuse(boxOffice.tooManySeatsInBooking(this.settings.maxSeatsPerHold));
    return refuse(boxOffice.ownerSeatCapReached(result.seatCap));
  }

  /** After a statement returned: publish its seat changes once (the live seat maps apply them at once). */
  private committed<T>({ value, changes }: Changed<T>): T {
    this.events.publish(changes);
    return value;
  }
}
