import { type ExecutionResult } from "graphql";
import { type Conflation } from "../realtime/bounded-queue.js";

/** A seat map change as far as conflation needs it: its seats with their versions, and its highest version. */
interface SeatChangeShape {
  readonly version?: unknown;
  readonly seats: readonly { readonly seatNumber: string; readonly version: string }[];
}

const VERSION = /^\d{1,30}$/;

function isSeatChangeShape(value: unknown): value is SeatChangeShape {
  if (typeof value !== "object" || value === null) return false;
  const seats = (value as { seats?: unknown }).seats;
  return (
    Array.isArray(seats) &&
    seats.every(
      (seat: { seatNumber?: unknown; version?: unknown } | null) =>
        typeof seat?.seatNumber === "string" && typeof seat.version === "string" && VERSION.test(seat.version),
    )
  );
}

/** The change's seats by number, cached per object: one change is shared by every subscriber of a show. */
const partsCache = new WeakMap<object, ReadonlyMap<string, bigint>>();

function partsOf(change: SeatChangeShape): ReadonlyMap<string, bigint> {
  let parts = partsCache.get(change);
  if (!parts) {
    parts = new Map(change.seats.map((seat) => [seat.seatNumber, BigInt(seat.version)]));
    partsCache.set(change, parts);
  }
  return parts;
}

/** The change without `seats`; its `version` stays "the highest version among seats". */
function withoutSeats<C extends SeatChangeShape>(change: C, gone: ReadonlySet<string>): C | undefined {
  const seats = change.seats.filter((seat) => !gone.has(seat.seatNumber));
  if (seats.length === 0) return undefined;
  const highest = seats.reduce((max, seat) => (BigInt(seat.version) > max ? BigInt(seat.version) : max), 0n);
  return { ...change, seats, ...(typeof change.version === "string" ? { version: highest.toString() } : {}) };
}

/**
 * Seat map changes waiting for a slow subscriber: a seat's newer change replaces its older one. Safe because a seat's
 * later change always has a higher version and clients apply a change only if its version is newer than theirs; the
 * newer change's counts are as fresh as the dropped one's or fresher.
 */
export function seatChangeConflation<C extends SeatChangeShape>(): Conflation<C> {
  return {
    partsOf: (change) => (isSeatChangeShape(change) ? partsOf(change) : undefined),
    without: (change, gone) => withoutSeats(change, gone),
  };
}

/** The one root field of a subscription result, when it is a seat map change selected with seat numbers and versions. */
function seatChangeOf(result: ExecutionResult): [field: string, change: SeatChangeShape] | undefined {
  if (typeof result !== "object" || result === null || result.errors?.length || !result.data) return undefined;
  const fields = Object.entries(result.data);
  if (fields.length !== 1) return undefined;
  const [field, value] = fields[0]!;
  return isSeatChangeShape(value) ? [field, value] : undefined;
}

/**
 * The same conflation for subscription results as graphql-ws sends them. Only results whose selection includes
 * `seats { seatNumber version }` (under those names) are conflated; any other result (another subscription, an
 * error, a selection without versions) is kept as it is.
 */
export const seatResultConflation: Conflation<ExecutionResult> = {
  partsOf(result) {
    const found = seatChangeOf(result);
    return found && partsOf(found[1]);
  },
  without(result, gone) {
    const [field, change] = seatChangeOf(result)!;
    const rest = withoutSeats(change, gone);
    return rest && { ...result, data: { ...result.data, [field]: rest } };
  },
};
