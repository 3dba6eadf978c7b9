import { type AllocationGrid, allocateBest } from "../../bookings/allocation/index.js";
import { type PickedSeats, type SeatAllocator } from "../../bookings/booking.ports.js";
import { type LiveSeatMap } from "./live-seat-map.js";
import { type LiveSeatMaps } from "./live-seat-maps.js";

/**
 * "Best available" from the live seat maps: the allocator's pick over the seats the map has claimable and nobody in
 * this process has been promised, promised in turn to the picker until its claim is done. Picks of one process are
 * disjoint, so they never queue on each other's rows; only another process's claim can take a picked seat first.
 */
export class LiveSeatPicker implements SeatAllocator {
  constructor(private readonly maps: LiveSeatMaps) {}

  async pickBest(showId: string, quantity: number, avoid: ReadonlySet<string>): Promise<PickedSeats | null> {
    const map = await this.maps.get(showId);
    if (!map) return null;
    const allocation = allocateBest(gridOf(map, avoid), quantity);
    if (!allocation) return null;
    const positions = allocation.seats
      .map((pick) => map.rows[pick.rowIndex]!.first + pick.seatIndex)
      .sort((a, b) => a - b);
    return {
      seatNumbers: positions.map((i) => map.seatNumbers[i]!),
      adjacent: allocation.adjacent,
      release: map.reserve(positions),
    };
  }

  holdBack(showId: string, seatNumbers: readonly string[]): () => void {
    const map = this.maps.peek(showId);
    if (!map) return () => {};
    const positions = seatNumbers.map((n) => map.positionOf(n)).filter((i): i is number => i !== undefined);
    return map.reserve(positions);
  }

  refresh(showId: string): Promise<void> {
    return this.maps.repair(showId);
  }
}

/** The map as the allocator sees it, at this moment: rows front to back, offered seats free. */
function gridOf(map: LiveSeatMap, avoid: ReadonlySet<string>): AllocationGrid {
  const now = Date.now();
  const { rows } = map;
  const avoided = avoid.size === 0 ? null : new Set([...avoid].map((n) => map.positionOf(n)));
  return {
    rowCount: rows.length,
    seatsInRow: (row) => rows[row]!.length,
    freeSeatsInRow: (row) => map.unsoldSeatsInRow(row),
    isFree: (row, seat) => {
      const i = rows[row]!.first + seat;
      return map.isOffered(i, now) && !avoided?.has(i);
    },
  };
}
