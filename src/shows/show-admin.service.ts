import { type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../domain/ids.js";
import { failure, invalidInput, type Outcome, type Problem, success } from "../domain/problem.js";
import { type SeatMapChange } from "../domain/seat-change.js";
import { type VenueService } from "../venues/venue.service.js";
import { type ShowChanges } from "./show-changes.js";
import { cancelledBlockReason, type CancelBatch, type ShowCancelStore } from "./show-cancel.store.js";
import { planPrices, planStart, type ShowTerms } from "./show-plan.js";
import {
  changeShowTerms,
  currentPrices,
  layoutCategories,
  type ShowTermsChange,
  type TermsChangeResult,
} from "./show-update.store.js";
import { type ShowRecord } from "./show.service.js";

/** What updateShow may change; absent (undefined) fields stay as they are. */
export interface ShowUpdate extends ShowTerms {
  readonly id: string;
  readonly name?: string | null;
  readonly layoutVersion?: number | null;
  /** Explicit null clears the cap. */
  readonly maxSeatsPerUser?: number | null;
  readonly ownerRefunds?: boolean | null;
  readonly noOrphanSeats?: boolean | null;
}

export interface CancelledShow {
  readonly show: ShowRecord;
  /** Bookings this call ended (CANCELLED_BY_ORGANIZER). */
  readonly cancelledBookings: number;
}

/** Where committed seat changes go: this process's live maps, then every subscriber. */
export interface SeatChangePublisher {
  publish(changes: readonly SeatMapChange[]): void;
}

const MAX_REASON = 500;
const notFound = (): Problem => ({ code: "NOT_FOUND", message: "No show with this id.", field: ["input", "id"] });
/** Rounds of cancelShow's batches (see cancel) before it gives up with an error (it is restartable). */
const MAX_CANCEL_ROUNDS = 100;
const cancelledProblem = (): Problem => ({ code: "SHOW_CANCELLED", message: "The show is cancelled." });

/** updateShow and cancelShow: changes of a show's terms after creation, and its cancellation. */
export class ShowAdminService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly venues: VenueService,
    private readonly cancels: ShowCancelStore,
    private readonly changes: ShowChanges,
    private readonly publisher: SeatChangePublisher,
    private readonly limits: { readonly maxSeatsPerShow: number },
  ) {}

  /**
   * Changes the given terms of a show (see changeShowTerms for how it meets holds in flight), checked as createShow
   * checks them, and makes every process forget what it kept of the show once committed.
   */
  async update(input: ShowUpdate): Promise<Outcome<ShowRecord>> {
    const show = isUuid(input.id) ? await this.prisma.show.findUnique({ where: { id: input.id } }) : null;
    if (!show) return failure(notFound());
    if (show.cancelledAt) return failure(cancelledProblem(), show);
    const planned = await this.plan(show, input);
    if (!planned.ok) return failure(planned.problems);
    const result = await changeShowTerms(this.prisma, show.id, planned.change);
    if (result.kind === "updated") this.changes.announce(show.id);
    return outcomeOf(result);
  }

  /** The change the input asks for, checked against the show and its venue. */
  private async plan(
    show: ShowRecord,
    input: ShowUpdate,
  ): Promise<{ ok: true; change: ShowTermsChange } | { ok: false; problems: Problem[] }> {
    const problems: Problem[] = [];
    const change: { -readonly [K in keyof ShowTermsChange]: ShowTermsChange[K] } = {};
    if (input.name != null) {
      change.name = input.name.trim();
      if (change.name.length === 0) problems.push(invalidInput("name must not be blank", "name"));
    }
    if (input.startsAt != null || input.startsAtLocal != null) {
      const startsAt = planStart(input, show.timeZone, new Date(), problems);
      if (startsAt) change.startsAt = startsAt;
    }
    let layoutId = show.layoutId;
    if (input.layoutVersion != null) {
      const layout = show.venueId ? await this.venues.layout(show.venueId, input.layoutVersion) : null;
      if (!show.venueId)
        problems.push(invalidInput("This show has no venue to take a layout version of.", "layoutVersion"));
      else if (!layout) {
        const message = `The venue has no layout version ${input.layoutVersion}.`;
        problems.push({ code: "NOT_FOUND", message, field: ["input", "layoutVersion"] });
      } else if (layout.totalSeats > this.limits.maxSeatsPerShow) {
        const message = `A show may have at most ${this.limits.maxSeatsPerShow} seats (that layout has ${layout.totalSeats}).`;
        problems.push(invalidInput(message, "layoutVersion"));
      } else if (layout.id !== show.layoutId) change.layoutId = layoutId = layout.id;
    }
    const categories = layoutId ? await layoutCategories(this.prisma, layoutId) : ["STANDARD"];
    if (input.prices != null) {
      const planned = planPrices(input.prices, { categories, pricesRequired: show.currency !== null }, problems);
      change.prices = { currency: planned.currency, amounts: planned.prices };
    } else if (change.layoutId && show.currency !== null) {
      // The show's prices go with it to the new version: every category of that version needs one.
      const prices = await currentPrices(this.prisma, show.id);
      const unpriced = categories.filter((key) => !prices.has(key));
      if (unpriced.length > 0) {
        const message = `Every category of the new layout needs a price; missing: ${unpriced.join(", ")} (give prices).`;
        problems.push(invalidInput(message, "prices"));
      }
    }
    if (input.maxSeatsPerUser !== undefined) change.maxSeatsPerUser = input.maxSeatsPerUser;
    if (input.ownerRefunds != null) change.ownerRefunds = input.ownerRefunds;
    if (input.noOrphanSeats != null) change.noOrphanSeats = input.noOrphanSeats;
    return problems.length > 0 ? { ok: false, problems } : { ok: true, change };
  }

  /**
   * Cancels a show (started or not): marks it cancelled (one statement, committed on its own: a hold or confirmation
   * that starts after it is refused), then in batches ends its PENDING and CONFIRMED bookings (refunding the confirmed
   * ones) and blocks their seats, then blocks every free seat, and again until nothing is left: a hold that started
   * before the mark (and so read the show as open) can still take seats not yet blocked, and is ended by the next
   * round; once every seat is BLOCKED no hold can take any (claims re-check the seats they lock). Restartable: a show
   * already cancelled with work left (a run that died) is finished under its original reason; with none left the
   * answer is SHOW_CANCELLED with the show.
   */
  async cancel(showId: string, reasonGiven: string, adminSub: string): Promise<Outcome<CancelledShow>> {
    const reason = reasonGiven.trim();
    if (reason.length === 0 || reason.length > MAX_REASON)
      return failure(invalidInput(`reason must be 1–${MAX_REASON} characters`, "reason"));
    if (!isUuid(showId)) return failure(notFound());
    let cancelReason = reason;
    if (!(await this.cancels.markCancelled(showId, reason))) {
      const show = await this.prisma.show.findUnique({ where: { id: showId } });
      if (!show) return failure(notFound());
      if (!(await this.cancels.workLeft(showId))) return failure(cancelledProblem(), { show, cancelledBookings: 0 });
      cancelReason = show.cancelReason!;
    }
    // Every process stops serving the show as on sale (its record, catalog and live map are read afresh).
    this.changes.announce(showId);
    const blockReason = cancelledBlockReason(cancelReason);
    let cancelledBookings = 0;
    for (let round = 1; ; round++) {
      cancelledBookings += await this.inBatches(() => this.cancels.cancelBookings(showId, blockReason, adminSub));
      await this.inBatches(() => this.cancels.blockFreeSeats(showId, blockReason));
      if (!(await this.cancels.workLeft(showId))) break;
      // Each round ends the holds that slipped in before the previous one blocked their seats; they are finite (they
      // began before the show was marked cancelled), so this ends. Far more rounds than that means something else.
      if (round >= MAX_CANCEL_ROUNDS)
        throw new Error(`cancellation of show ${showId} still has work after ${round} rounds`);
    }
    const show = await this.prisma.show.findUniqueOrThrow({ where: { id: showId } });
    return success({ show, cancelledBookings });
  }

  /** Runs a batch statement until it finds nothing left, publishing each batch's seat changes; the total count. */
  private async inBatches(batch: () => Promise<CancelBatch>): Promise<number> {
    let total = 0;
    for (;;) {
      const { count, changes } = await batch();
      this.publisher.publish(changes);
      if (count === 0) return total;
      total += count;
    }
  }
}

function outcomeOf(result: TermsChangeResult): Outcome<ShowRecord> {
  switch (result.kind) {
    case "updated":
      return success(result.show);
    case "missing":
      return failure(notFound());
    case "cancelled":
      return failure(cancelledProblem(), result.show);
    case "sold": {
      const what = result.field === "prices" ? "Prices" : "The layout";
      const message = `${what} can change only while nothing is sold (no seat held or booked${result.field === "prices" ? "" : " or blocked"}).`;
      return failure({ code: "INVALID_STATE", message, field: ["input", result.field] });
    }
    case "layoutReplaced":
      return failure({
        code: "NOT_FOUND",
        message: "The venue's layout was changed while the show was being updated: update it again.",
        field: ["input", "layoutVersion"],
      });
  }
}
