import { type Outcome } from "../domain/problem.js";

/** The booking commands whose outcomes are observed. */
export type BookingCommand = "hold" | "confirm" | "cancel" | "extend" | "refund" | "changeSeats";

/**
 * Told what the booking service did, for metrics. The service calls it explicitly; implementations must be cheap
 * and must not throw.
 */
export interface BookingObserver {
  /** A command returned: "ok", or the code of its first problem. */
  commandFinished(command: BookingCommand, outcome: string): void;
  /** A hold took over this many seats from lapsed holds before the expiry task released them. */
  seatsReclaimed(seats: number): void;
  /** The expiry task released this many lapsed bookings. */
  holdsExpired(bookings: number): void;
}

export const NO_OBSERVER: BookingObserver = { commandFinished() {}, seatsReclaimed() {}, holdsExpired() {} };

/** Runs a command and tells the observer how it ended ("ok", or the code of its first problem). */
export async function observedCommand<T>(
  observer: BookingObserver,
  command: BookingCommand,
  run: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const outcome = await run();
  observer.commandFinished(command, outcome.ok ? "ok" : (outcome.problems[0]?.code ?? "error"));
  return outcome;
}
