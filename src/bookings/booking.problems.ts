import { type Problem } from "../domain/problem.js";
import { type BookingSettings } from "./booking.ports.js";
import { type ClaimResult } from "./booking.store.js";
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

export const showStarted = (field: string[] | undefined = ["input", "showId"]): Problem => ({
  code: "SHOW_STARTED",
  message: "This show has already started.",
  ...(field ? { field } : {}),
});

export const showCancelled = (field: string[] | undefined = ["input", "showId"]): Problem => ({
  code: "SHOW_CANCELLED",
  message: "The organiser cancelled this show.",
  ...(field ? { field } : {}),
});

/** A show that is not open: cancelled, or else started. */
export const showClosed = (cancelled: boolean, field?: string[]): Problem =>
  cancelled ? showCancelled(field) : showStarted(field);

export const seatCapReached = (cap: number | null): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `You can own at most ${cap ?? "a limited number of"} seats of this show (held and booked together): cancel a hold or choose fewer seats.`,
});

export const holdTimeExhausted = (seconds: number): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `You have used the hold time allowed on this show (${Math.round(seconds / 60)} minutes): confirm a hold or try again later.`,
});

export const addressHoldsExhausted = (limit: number): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: `Too many seats of this show are held from your network (at most ${limit} at once): confirm or cancel holds first.`,
});

export const reholdCooldown = (seatNumbers: string[], seconds: number): Problem => ({
  code: "REHOLD_COOLDOWN",
  message: `You released ${seatNumbers.join(", ")} moments ago: you can hold ${seatNumbers.length === 1 ? "it" : "them"} again ${seconds} seconds after releasing.`,
  field: ["input", "seatNumbers"],
  seatNumbers,
});

export const tooManyConcurrentHolds = (): Problem => ({
  code: "LIMIT_EXCEEDED",
  message: "Too many holds were made at the same time from your account or network: try again.",
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

export const noAccessibleBlock = (quantity: number): Problem => ({
  code: "SEATS_UNAVAILABLE",
  message:
    quantity === 1
      ? "No wheelchair space is free."
      : `No wheelchair space with ${quantity - 1} more ${quantity === 2 ? "seat" : "seats"} beside it is free.`,
  field: ["input", "quantity"],
  seatNumbers: [],
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
  code: "IDEMPOTENCY_KEY_REUSED",
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

/** Why the claim statement refused a hold whatever the seats (nothing was recorded); null when it did not. */
export function claimRefusal(claim: ClaimResult, settings: BookingSettings): Problem | null {
  if (!claim.showOpen) return showClosed(claim.showCancelled, ["input", "showId"]);
  if (!claim.slotFree) return activeHoldsExhausted(settings.maxActiveHoldsPerUser);
  if (!claim.withinHoldTime) return holdTimeExhausted(settings.holdTimePerShowSeconds);
  if (claim.cooling.length > 0) return reholdCooldown(claim.cooling, settings.reholdCooldownSeconds);
  if (!claim.ownerSlotsFree) return seatCapReached(claim.seatCap);
  if (!claim.addressSlotsFree) return addressHoldsExhausted(settings.maxHeldSeatsPerAddress);
  return null;
}
