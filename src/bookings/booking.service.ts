import { UNIQUE_VIOLATION, sqlState } from "../db/db-errors.js";
import { NotOwnerError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";
import { failure, type Outcome, success } from "../domain/problem.js";
import { type Viewer } from "../domain/viewer.js";
import { type BookingObserver, NO_OBSERVER, observedCommand } from "./booking-observer.js";
import {
  type BookableShow,
  type BookingSettings,
  type Requester,
  type SeatAllocator,
  type SeatChangePublisher,
  type ShowLookup,
} from "./booking.ports.js";
import * as problems from "./booking.problems.js";
import { type BookingStore, type Changed, type ClaimResult } from "./booking.store.js";
import {
  type HoldRequest,
  isSameRequest,
  type ParsedHold,
  parseHoldRequest,
  requestFingerprint,
} from "./hold-request.js";
import { type ClaimArgs, exactSeats, nearestFrontCentre } from "./sql/claim.js";
import { confirmChange, extendChange, type HeldChange } from "./sql/change-held.js";
import { cancellable, dueHolds, lapsedHold, lapsedHoldsOf } from "./sql/release.js";
import { type OnSaleLimits, onSaleLimits } from "./sql/on-sale.js";
import { type BookingRecord } from "./sql/rows.js";

/** Attempts for a command that keeps losing races to concurrent ones (a retry per lost race). */
const MAX_ATTEMPTS = 3;
/** Seats picked and claimed per "best available" hold before the database picks (each lost race repairs the map). */
const PICK_ATTEMPTS = 5;

/**
 * Responsible for the booking lifecycle: holding seats, confirming, cancelling, extending and expiring holds.
 *
 * Every state change is one SQL statement (BookingStore). Seats are claimed by a conditional UPDATE of the seats
 * claimable when the row lock is taken, so no seat is held or sold twice and nothing reads a status to write it in
 * another step. Rows are locked in a stable order (bookings, then seats by id), so commands never deadlock. Each
 * statement's seat changes are published once (this process's live seat maps apply them before the command answers).
 */
export class BookingService {
  private readonly limits: OnSaleLimits;

  constructor(
    private readonly store: BookingStore,
    private readonly shows: ShowLookup,
    private readonly events: SeatChangePublisher,
    private readonly allocator: SeatAllocator,
    private readonly settings: BookingSettings,
    private readonly observer: BookingObserver = NO_OBSERVER,
  ) {
    this.limits = onSaleLimits(settings);
  }

  /** Holds the seats for the user, all or nothing; `clientAddress` (null: unknown) is capped per show. */
  hold(userId: string, request: HoldRequest, clientAddress: string | null = null): Promise<Outcome<BookingRecord>> {
    return observedCommand(this.observer, "hold", () => this.holdParsed({ userId, clientAddress }, request));
  }

  /** Confirms a PENDING, unexpired booking of the user: its seats become BOOKED. */
  confirm(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    return observedCommand(this.observer, "confirm", () => this.changeHeld(viewer, bookingId, confirmChange));
  }

  /** Pushes a PENDING booking's expiry back by the hold TTL, at most HOLD_MAX_EXTENSIONS times. */
  extend(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    const { holdTtlSeconds, holdMaxExtensions } = this.settings;
    return observedCommand(this.observer, "extend", () =>
      this.changeHeld(viewer, bookingId, extendChange(holdTtlSeconds, holdMaxExtensions, this.limits)),
    );
  }

  /** Cancels a PENDING booking of the user: FAILED/CANCELLED, its seats AVAILABLE again. NotOwnerError if not theirs. */
  cancel(viewer: Viewer, bookingId: string): Promise<Outcome<BookingRecord>> {
    return observedCommand(this.observer, "cancel", async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (!isUuid(bookingId)) return failure(problems.bookingNotFound());
        const [cancelled] = this.committed(await this.store.release("CANCELLED", cancellable(bookingId, viewer.id)));
        if (cancelled) return success(cancelled);
        const outcome = await this.expireIfLapsedOrExplain(viewer, bookingId, "cancel");
        if (outcome) return outcome;
      }
      throw new Error(`cancel of booking ${bookingId} kept losing races`);
    });
  }

  /**
   * Releases up to `batch` lapsed holds (FAILED/EXPIRED, seats AVAILABLE). Safe to run in every API process at once:
   * each run skips bookings another run has locked. Returns how many bookings expired.
   */
  async expireDue(batch = 500): Promise<number> {
    const expired = this.committed(await this.store.release("EXPIRED", dueHolds(batch))).length;
    this.observer.holdsExpired(expired);
    return expired;
  }

  /** Deletes up to `batch` failed holds past retention (see purgeFailedHoldsStatement); safe in every process. */
  purgeFailedHolds(batch = 500): Promise<number> {
    const { failedBookingRetentionSeconds, idempotencyReplaySeconds } = this.settings;
    return this.store.purgeFailedHolds(failedBookingRetentionSeconds, idempotencyReplaySeconds, batch);
  }

  private async holdParsed(requester: Requester, request: HoldRequest): Promise<Outcome<BookingRecord>> {
    const { userId } = requester;
    const parsed = parseHoldRequest(request, this.settings.maxSeatsPerHold);
    if (!parsed.ok) return failure(parsed.problem);
    const { hold } = parsed;
    const previous = await this.previousAttempt(userId, hold);
    if (previous) return previous;
    const show = await this.shows.get(hold.showId);
    if (!show) return failure(problems.showNotFound());
    // Whether the show has started is decided by the claim statement, by the database clock.
    const refused =
      hold.kind === "exact"
        ? await this.allocator.checkExact(show.id, hold.seatNumbers, show.noOrphanSeats)
        : await this.allocator.checkPreference(show.id, hold.preference);
    if (refused) return failure(refused);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        return hold.kind === "exact"
          ? await this.holdExact(requester, hold)
          : await this.holdBestAvailable(requester, show, hold);
      } catch (error) {
        if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
        // A concurrent retry with the same idempotency key won the insert: answer with its booking.
        const previous = await this.previousAttempt(userId, hold);
        if (previous) return previous;
        // Otherwise a concurrent hold of the same user took the same active-hold slot or purchase-cap slots, or one
        // from the same address the same address seat slots: try again for others.
      }
    }
    return failure(problems.tooManyConcurrentHolds());
  }

  /** The answer to a repeated request with an idempotency key (the original booking, nothing changed); null if new. */
  private async previousAttempt(userId: string, hold: ParsedHold): Promise<Outcome<BookingRecord> | null> {
    if (hold.key === null) return null;
    const previous = await this.store.findByIdempotencyKey(userId, hold.key);
    if (!previous) return null;
    if (!isSameRequest(previous, hold)) return failure(problems.keyReusedForAnotherRequest());
    if (previous.status === "FAILED" && previous.failureReason === "SEATS_UNAVAILABLE") {
      return failure(problems.holdAlreadyFailed(), previous);
    }
    return success(previous);
  }

  private async holdExact(requester: Requester, hold: ParsedHold & { kind: "exact" }): Promise<Outcome<BookingRecord>> {
    const { seatNumbers } = hold;
    const release = this.allocator.holdBack(hold.showId, seatNumbers);
    const claim = await this.claimExact(requester, hold, seatNumbers, true, release);
    const refused = problems.claimRefusal(claim, this.settings);
    if (refused) return failure(refused);
    if (claim.booking!.status === "PENDING") return success(claim.booking!);
    return failure(problems.seatsTaken(seatNumbers.filter((n) => !claim.claimable.includes(n))), claim.booking!);
  }

  /**
   * "Best available": the allocator picks from this process's live seat map (see allocateBest), promising the seats
   * to this picker alone while the claim takes exactly those. A claim that finds one taken (another process, or a
   * change the map has not seen) repairs the map and picks again; seats the user released moments ago are avoided.
   * When the map has too few free seats, or every pick lost, the database picks the claimable seats nearest the
   * front-centre, and records the refusal if there are not enough.
   */
  private async holdBestAvailable(
    requester: Requester,
    show: BookableShow,
    hold: ParsedHold & { kind: "best" },
  ): Promise<Outcome<BookingRecord>> {
    const { quantity } = hold;
    const avoid = new Set<string>();
    for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
      const picked = await this.allocator.pickBest(show.id, quantity, avoid, hold.preference);
      if (!picked) break;
      const claim = await this.claimExact(requester, hold, picked.seatNumbers, false, picked.release);
      if (claim.cooling.length > 0) {
        for (const seat of claim.cooling) avoid.add(seat);
        continue;
      }
      const refused = problems.claimRefusal(claim, this.settings);
      if (refused) return failure(refused);
      if (claim.booking) return success(claim.booking);
      await this.allocator.refresh(show.id);
    }
    // Only the live map keeps a party beside its wheelchair space (the database's nearest seats would not).
    if (hold.preference.accessible) return failure(problems.noAccessibleBlock(quantity));
    const claim = await this.claim(requester, hold, {
      seatNumbers: null,
      target: nearestFrontCentre(show, quantity, hold.preference),
      expected: quantity,
      recordFailure: true,
    });
    const refused = problems.claimRefusal(claim, this.settings);
    if (refused) return failure(refused);
    if (claim.booking!.status === "PENDING") return success(claim.booking!);
    return failure(problems.notEnoughSeats(claim.claimable.length), claim.booking!);
  }

  /** Claims exactly these seats, then gives back the allocator's promise of them (the map has the changes by then). */
  private async claimExact(
    requester: Requester,
    hold: ParsedHold,
    seatNumbers: string[],
    recordFailure: boolean,
    release: () => void,
  ): Promise<ClaimResult> {
    try {
      const target = exactSeats(seatNumbers);
      return await this.claim(requester, hold, { seatNumbers, target, expected: seatNumbers.length, recordFailure });
    } finally {
      release();
    }
  }

  private async claim(
    { userId, clientAddress }: Requester,
    hold: ParsedHold,
    target: Pick<ClaimArgs, "seatNumbers" | "target" | "expected" | "recordFailure">,
  ): Promise<ClaimResult> {
    const { holdTtlSeconds, maxActiveHoldsPerUser: maxActiveHolds } = this.settings;
    const run = async () =>
      this.committed(
        await this.store.claim({
          userId,
          showId: hold.showId,
          key: hold.key,
          fingerprint: requestFingerprint(hold),
          clientAddress,
          ...target,
          holdTtlSeconds,
          maxActiveHolds,
          limits: this.limits,
        }),
      );
    let claim = await run();
    if (claim.showOpen && !claim.ownerSlotsFree) {
      // The user's lapsed holds keep their purchase-cap slots until released: release them now rather than refuse
      // until the expiry task gets to them, and try once more.
      const expired = this.committed(await this.store.release("EXPIRED", lapsedHoldsOf(userId, hold.showId)));
      if (expired.length > 0) claim = await run();
    }
    if (claim.booking?.status === "PENDING" && claim.reclaimed > 0) this.observer.seatsReclaimed(claim.reclaimed);
    return claim;
  }

  /**
   * Applies a change to a PENDING booking of the viewer whose seats are all still held by it and unexpired, in one
   * statement: lock the booking, lock its held seats in id order, and change both only if every seat is there.
   */
  private async changeHeld(viewer: Viewer, bookingId: string, change: HeldChange): Promise<Outcome<BookingRecord>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!isUuid(bookingId)) return failure(problems.bookingNotFound());
      const changed = this.committed(await this.store.changeHeld(bookingId, viewer.id, change));
      if (changed) return success(changed);
      const outcome = await this.expireIfLapsedOrExplain(viewer, bookingId, change.name);
      if (outcome) return outcome;
    }
    throw new Error(`${change.name} of booking ${bookingId} kept losing races`);
  }

  /**
   * Why a command on a booking changed nothing, expiring it on the way if its hold has lapsed: a PENDING booking
   * whose hold lapsed is expired on the spot (HOLD_EXPIRED), whatever the command, so the answer does not depend on
   * whether the expiry task ran yet. Returns null when the booking changed under us and the command should simply be
   * retried. NotOwnerError when the booking is someone else's.
   */
  private async expireIfLapsedOrExplain(
    viewer: Viewer,
    bookingId: string,
    action: "confirm" | "extend" | "cancel",
  ): Promise<Outcome<BookingRecord> | null> {
    const booking = await this.store.findById(bookingId);
    if (!booking) return failure(problems.bookingNotFound());
    if (booking.userId !== viewer.id) throw new NotOwnerError();
    if (booking.status === "FAILED" && booking.failureReason === "EXPIRED")
      return failure(problems.holdExpired(), booking);
    if (booking.status !== "PENDING") return failure(problems.cannotInState(action, booking), booking);
    const [expired] = this.committed(await this.store.release("EXPIRED", lapsedHold(bookingId)));
    if (expired) return failure(problems.holdExpired(), expired);
    if (action === "cancel") return null;
    if (action === "extend" && booking.extensionCount >= this.settings.holdMaxExtensions) {
      return failure(problems.extensionsExhausted(this.settings.holdMaxExtensions), booking);
    }
    const rules = await this.store.heldChangeRules(bookingId, this.settings.holdTtlSeconds, this.limits);
    if (rules && !rules.showOpen) return failure(problems.showClosed(rules.showCancelled), booking);
    if (rules && action === "extend" && !rules.withinHoldTime) {
      return failure(problems.holdTimeExhausted(this.settings.holdTimePerShowSeconds), booking);
    }
    return null;
  }

  /** After a statement returned: publish its seat changes once (the live seat maps apply them at once). */
  private committed<T>({ value, changes }: Changed<T>): T {
    this.events.publish(changes);
    return value;
  }
}
