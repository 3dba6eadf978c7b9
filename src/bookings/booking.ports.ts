import { type Problem } from "../domain/problem.js";
import { type SeatMapChange } from "../domain/seat-change.js";
import { type Config } from "../platform/config.js";

/* What the booking service needs from the rest of the API: its settings, shows, and somewhere to publish changes. */

export type BookingSettings = Pick<
  Config["booking"],
  | "holdTtlSeconds"
  | "holdMaxExtensions"
  | "maxSeatsPerHold"
  | "maxActiveHoldsPerUser"
  | "maxHeldSeatsPerAddress"
  | "holdTimePerShowSeconds"
  | "holdTimeWindowSeconds"
  | "reholdCooldownSeconds"
  | "failedBookingRetentionSeconds"
  | "idempotencyReplaySeconds"
>;

/** A show as the booking rules need it. */
export interface BookableShow {
  readonly id: string;
  readonly seatsPerRow: number;
  readonly rowCount: number;
  readonly startsAt: Date;
  /** Explicit holds may not strand a single free seat (ORPHAN_SEAT). */
  readonly noOrphanSeats: boolean;
}

/** Where the booking service finds shows (ShowService in the API). */
export interface ShowLookup {
  get(showId: string): Promise<BookableShow | null>;
}

/** Where committed seat changes go (SeatEvents in the API). */
export interface SeatChangePublisher {
  publish(changes: readonly SeatMapChange[]): void;
}

/** What a "best available" request may narrow the seats to; no preference means any seat but accessible ones. */
export interface SeatPreference {
  /** Only seats of these categories (null: any). */
  readonly categories: readonly string[] | null;
  /** Only seats of this section (null: any). */
  readonly section: string | null;
  /**
   * Seats for a wheelchair user's party: the seats include a wheelchair space and may include companion seats.
   * Otherwise neither wheelchair spaces nor companion seats are picked.
   */
  readonly accessible: boolean;
}

export const ANY_SEAT: SeatPreference = { categories: null, section: null, accessible: false };

/** Seats an allocator promised to one "best available" picker. */
export interface PickedSeats {
  /** In layout order. */
  readonly seatNumbers: string[];
  /** Whether they are adjacent in one row. */
  readonly adjacent: boolean;
  /** Gives them back to other pickers (once the claim's changes were applied). */
  release(): void;
}

/**
 * Where "best available" seats come from (the live seat maps in the API): concurrent pickers of one process get
 * disjoint seats. A hint: the claim statement decides.
 */
export interface SeatAllocator {
  /** The best `quantity` seats not in `avoid`, promised to the caller until released; null when too few are free. */
  pickBest(
    showId: string,
    quantity: number,
    avoid: ReadonlySet<string>,
    preference: SeatPreference,
  ): Promise<PickedSeats | null>;
  /** Promises these seats while an explicit claim of them is under way, so pickers leave them alone. */
  holdBack(showId: string, seatNumbers: readonly string[]): () => void;
  /**
   * The rules an explicit hold must pass before its claim, against the allocator's picture of the show: every seat
   * exists (NOT_FOUND), a companion seat comes with a wheelchair space (COMPANION_REQUIRES_ACCESSIBLE) and, with
   * `noOrphanSeats`, no single free seat is left stranded next to the hold (ORPHAN_SEAT); null when it passes.
   */
  checkExact(showId: string, seatNumbers: readonly string[], noOrphanSeats: boolean): Promise<Problem | null>;
  /** Whether the seats sit side by side in one run (a single seat does); false when the show is not known. */
  areAdjacent(showId: string, seatNumbers: readonly string[]): Promise<boolean>;
  /** INVALID_INPUT when a best-available preference names a category or section the show does not have. */
  checkPreference(showId: string, preference: SeatPreference): Promise<Problem | null>;
  /** A claim found taken seats the allocator thought free: bring its picture up to date before picking again. */
  refresh(showId: string): Promise<void>;
}

/** Who asks for a hold: the user, and the client address the request came from (null: unknown). */
export interface Requester {
  readonly userId: string;
  readonly clientAddress: string | null;
}
