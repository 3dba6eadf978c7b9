import { type SeatMapChange } from "../domain/seat-change.js";
import { type Config } from "../platform/config.js";
import { type ShowShape } from "./best-available.js";

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
export interface BookableShow extends ShowShape {
  readonly rowCount: number;
  readonly startsAt: Date;
}

/** Where the booking service finds shows (ShowService in the API). */
export interface ShowLookup {
  get(showId: string): Promise<BookableShow | null>;
}

/** Where committed seat changes go (SeatEvents in the API). */
export interface SeatChangePublisher {
  publish(changes: readonly SeatMapChange[]): void;
}
