/** Where a seat stands. The values are the database's; GraphQL names them AVAILABLE, HELD, BOOKED, BLOCKED. */
export enum SeatStatus {
  AVAILABLE = "available",
  HELD = "held",
  BOOKED = "booked",
  BLOCKED = "blocked",
}

/** One seat's state after a committed change: the seat, its new status and the change's version. */
export interface SeatChange {
  /** The seat's id (a number, as a string), as `Seat.id`. */
  readonly id: string;
  readonly seatNumber: string;
  readonly status: SeatStatus;
  /** A number from one database sequence, as a string: a seat's later change always has a higher version. */
  readonly version: string;
  /** When the hold lapses (RFC 3339, UTC) while HELD; null otherwise. A string, so a change stays JSON-safe. */
  readonly holdExpiresAt: string | null;
}

/**
 * What one committed statement did to one show's seat map. JSON-safe, so it can cross Redis. A show's counts are
 * not part of it: they are read where it is delivered (and only if anyone subscribes), so writers pay nothing for them.
 */
export interface SeatMapChange {
  readonly showId: string;
  /** The highest version among `seats`. */
  readonly version: string;
  readonly seats: readonly SeatChange[];
}

/** Groups the seat changes of one statement (seats of any shows) into one SeatMapChange per show. */
export function seatMapChanges(changes: readonly (SeatChange & { readonly showId: string })[]): SeatMapChange[] {
  const byShow = new Map<string, SeatChange[]>();
  for (const { showId, id, seatNumber, status, version, holdExpiresAt } of changes) {
    const seats = byShow.get(showId) ?? [];
    seats.push({ id, seatNumber, status, version, holdExpiresAt });
    byShow.set(showId, seats);
  }
  return [...byShow].map(([showId, seats]) => ({ showId, version: highestVersion(seats), seats }));
}

function highestVersion(seats: readonly SeatChange[]): string {
  return seats.reduce((max, seat) => (BigInt(seat.version) > max ? BigInt(seat.version) : max), 0n).toString();
}
