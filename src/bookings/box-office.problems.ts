import { invalidInput, type Problem } from "../domain/problem.js";

/** The expected outcomes of the box-office commands on bookings (refunds, seat changes), worded once. */

export const noSuchBooking = (): Problem => ({
  code: "NOT_FOUND",
  message: "No booking with this id.",
  field: ["input", "bookingId"],
});

export const ownerRefundsNotAllowed = (): Problem => ({
  code: "NOT_ALLOWED",
  message:
    "This show does not let customers refund their own bookings now (refunds are switched off, or the show has " +
    "started or was cancelled): ask the box office.",
});

export const seatsNotInBooking = (field: string, seatNumbers: string[]): Problem => ({
  ...invalidInput(
    `${seatNumbers.join(", ")} ${seatNumbers.length === 1 ? "is" : "are"} not a seat of this booking.`,
    field,
  ),
  seatNumbers,
});

export const unknownSeats = (seatNumbers: string[]): Problem => ({
  code: "NOT_FOUND",
  message: `This show has no ${seatNumbers.length === 1 ? "seat" : "seats"} ${seatNumbers.join(", ")}.`,
  field: ["input", "take"],
  seatNumbers,
});

export const seatsToTakeUnavailable = (seatNumbers: string[]): Problem => ({
  code: "SEATS_UNAVAILABLE",
  message: `${seatNumbers.length === 1 ? "Seat" : "Seats"} ${seatNumbers.join(", ")} ${seatNumbers.length === 1 ? "is" : "are"} not available.`,
  field: ["input", "take"],
  seatNumbers,
});

export const tooManySeatsInBooking = (limit: number): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `A booking may have at most ${limit} seats.`,
  field: ["input", "take"],
});

export const ownerSeatCapReached = (cap: number | null): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `The booking's owner may own at most ${cap ?? "a limited number of"} seats of this show (held and booked together).`,
  field: ["input", "take"],
});

export const seatChangeKeyReused = (): Problem => ({
  code: "IDEMPOTENCY_KEY_REUSED",
  message: "This idempotencyKey was already used for a different seat change of this booking.",
  field: ["input", "idempotencyKey"],
});

export const tooManyConcurrentChanges = (): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: "This booking's seats kept changing at the same time: try again.",
});
