import { type Problem } from "../domain/problem.js";
import { type BookingRecord } from "./sql/rows.js";

/** The expected outcomes of booking commands, worded once for the people who read them. */

export const bookingNotFound = (): Problem => ({
  code: "NOT_FOUND",
  message: "No booking with this id.",
  field: ["id"],
});

export const showNotFound = (): Problem => ({
  code: "NOT_FOUND",
  message: "No show with this id.",
  field: ["input", "showId"],
});

export const showStarted = (): Problem => ({
  code: "INVALID_STATE",
  message: "This show has already started.",
  field: ["input", "showId"],
});

export const holdExpired = (): Problem => ({
  code: "HOLD_EXPIRED",
  message: "The hold expired before this request; its seats were released.",
});

export const activeHoldsExhausted = (limit: number): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `You already have ${limit} active ${limit === 1 ? "hold" : "holds"}: confirm or cancel one first.`,
});

export const extensionsExhausted = (limit: number): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `A hold can be extended at most ${limit} times.`,
});

export const seatsTaken = (taken: string[]): Problem => ({
  code: "SEATS_UNAVAILABLE",
  message: `${taken.length === 1 ? "Seat" : "Seats"} ${taken.join(", ")} ${taken.length === 1 ? "is" : "are"} not available.`,
  field: ["input", "seatNumbers"],
  seatNumbers: taken,
});

export const notEnoughSeats = (available: number): Problem => ({
  code: "SEATS_UNAVAILABLE",
  message:
    available === 0
      ? "No seats are available."
      : `Only ${available} ${available === 1 ? "seat is" : "seats are"} available right now.`,
  field: ["input", "quantity"],
  seatNumbers: [],
});

export const keyReusedForAnotherRequest = (): Problem => ({
  code: "INVALID_INPUT",
  message: "This idempotencyKey was already used for a different hold request.",
  field: ["input", "idempotencyKey"],
});

export const holdAlreadyFailed = (): Problem => ({
  code: "SEATS_UNAVAILABLE",
  message: "This hold already failed: the seats were not available.",
});

export const cannotInState = (action: string, booking: BookingRecord): Problem => {
  const state = booking.status === "FAILED" ? `FAILED (${booking.failureReason})` : booking.status;
  return { code: "INVALID_STATE", message: `Cannot ${action} a booking that is ${state}.` };
};
