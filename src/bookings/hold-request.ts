import { createHash } from "node:crypto";
import { type Problem } from "../domain/problem.js";
import { type SeatPreference } from "./booking.ports.js";

/** A holdSeats request as it arrives (shapes already checked at the edge). */
export interface HoldRequest {
  readonly showId: string;
  readonly seatNumbers?: readonly string[] | null;
  readonly quantity?: number | null;
  readonly idempotencyKey?: string | null;
  readonly categories?: readonly string[] | null;
  readonly section?: string | null;
  readonly accessible?: boolean | null;
}

/** A hold request after every check that needs no database: exact seats (normalised, parsed) or a quantity. */
export type ParsedHold =
  | {
      readonly kind: "exact";
      readonly showId: string;
      readonly key: string | null;
      /** Trimmed and upper-cased, in the order asked. */
      readonly seatNumbers: string[];
    }
  | {
      readonly kind: "best";
      readonly showId: string;
      readonly key: string | null;
      readonly quantity: number;
      readonly preference: SeatPreference;
    };

/**
 * Parses and checks a hold request once, before anything is read: exactly one of seatNumbers or quantity, at most
 * `maxSeatsPerHold` seats, no duplicates, well-formed seat numbers. Whether the seats exist needs the show
 * (SeatAllocator.checkExact).
 */
export function parseHoldRequest(
  request: HoldRequest,
  maxSeatsPerHold: number,
): { ok: true; hold: ParsedHold } | { ok: false; problem: Problem } {
  const explicit = request.seatNumbers ?? null;
  const quantity = request.quantity ?? null;
  const key = request.idempotencyKey ?? null;
  const invalid = (message: string, field: string, seatNumbers?: string[]) => ({
    ok: false as const,
    problem: {
      code: "INVALID_INPUT" as const,
      message,
      field: ["input", field],
      ...(seatNumbers ? { seatNumbers } : {}),
    },
  });
  if ((explicit === null) === (quantity === null)) {
    return invalid("Give exactly one of seatNumbers or quantity.", explicit === null ? "quantity" : "seatNumbers");
  }
  const tooMany = `A hold may have at most ${maxSeatsPerHold} seats.`;
  if (quantity !== null) {
    if (quantity > maxSeatsPerHold) return invalid(tooMany, "quantity");
    const categories = request.categories ? [...new Set(request.categories.map(normalizeKey))].sort() : null;
    if (categories?.length === 0) return invalid("categories must not be empty (leave it out for any).", "categories");
    const preference: SeatPreference = {
      categories,
      section: request.section ? normalizeKey(request.section) : null,
      accessible: request.accessible ?? false,
    };
    return { ok: true, hold: { kind: "best", showId: request.showId, key, quantity, preference } };
  }
  for (const field of ["categories", "section", "accessible"] as const) {
    if (request[field] != null) return invalid(`${field} narrows a quantity (best available), not seatNumbers.`, field);
  }
  const requested = explicit!;
  if (requested.length === 0) return invalid("seatNumbers must not be empty.", "seatNumbers");
  if (requested.length > maxSeatsPerHold) return invalid(tooMany, "seatNumbers");
  const seatNumbers = requested.map(normalizeSeatNumber);
  const duplicates = [...new Set(seatNumbers.filter((n, i) => seatNumbers.indexOf(n) !== i))];
  if (duplicates.length > 0) return invalid(`Seat listed twice: ${duplicates.join(", ")}.`, "seatNumbers", duplicates);
  const malformed = requested.filter((_, i) => !SEAT_NUMBER.test(seatNumbers[i]!));
  if (malformed.length > 0) {
    return invalid(
      'Seat numbers are an optional section prefix, a row label and a seat number, e.g. "A1", "AB12" or "C-B3".',
      "seatNumbers",
      malformed,
    );
  }
  return { ok: true, hold: { kind: "exact", showId: request.showId, key, seatNumbers } };
}

/** What a seat number can be (venue layouts allow up to 24 characters of these). */
const SEAT_NUMBER = /^[A-Z0-9-]{2,24}$/;

/**
 * What a hold request asks for, stored with its idempotency key: the show and either the exact seats (in the order
 * asked) or the quantity. A digest, so a long seat list costs the row a fixed 64 characters.
 */
export function requestFingerprint(hold: ParsedHold): string {
  const asked =
    hold.kind === "exact"
      ? ["exact", hold.showId, ...hold.seatNumbers]
      : ["best", hold.showId, hold.quantity, ...preferenceWords(hold.preference)];
  return createHash("sha256").update(JSON.stringify(asked)).digest("hex");
}

/** Whether a retried request asks for what the booking recorded for its idempotency key. */
export function isSameRequest(
  previous: {
    readonly showId: string;
    readonly seatNumbers: readonly string[];
    readonly requestFingerprint?: string | null;
  },
  hold: ParsedHold,
): boolean {
  if (previous.requestFingerprint) return previous.requestFingerprint === requestFingerprint(hold);
  // Bookings recorded before fingerprints were stored: compare with what the booking recorded.
  if (previous.showId !== hold.showId) return false;
  if (hold.kind === "exact") {
    const asked = hold.seatNumbers;
    return asked.length === previous.seatNumbers.length && asked.every((n, i) => n === previous.seatNumbers[i]);
  }
  // A quantity hold records the seats it got, or none when it failed.
  return previous.seatNumbers.length === hold.quantity || previous.seatNumbers.length === 0;
}

export const normalizeSeatNumber = (text: string): string => text.trim().toUpperCase();
const normalizeKey = (text: string): string => text.trim().toUpperCase();

/** A preference as words of the fingerprint; none for no preference, so fingerprints stored before stay valid. */
function preferenceWords({ categories, section, accessible }: SeatPreference): string[] {
  return [
    ...(categories ? [`categories:${categories.join(",")}`] : []),
    ...(section ? [`section:${section}`] : []),
    ...(accessible ? ["accessible"] : []),
  ];
}
