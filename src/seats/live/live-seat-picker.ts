import { type AllocationGrid, allocateBest } from "../../bookings/allocation/index.js";
import { type PickedSeats, type SeatAllocator, type SeatPreference } from "../../bookings/booking.ports.js";
import { accessibleBlock } from "./accessible-block.js";
import { type Problem } from "../../domain/problem.js";
import { checkExactHold, unknownPreference } from "./exact-hold-rules.js";
import { type LiveSeatMap } from "./live-seat-map.js";
import { type LiveSeatMaps } from "./live-seat-maps.js";

/**
 * "Best available" from the live seat maps: the allocator's pick over the seats the map has claimable and nobody in
 * this process has been promised, promised in turn to the picker until its claim is done. Picks of one process are
 * disjoint, so they never queue on each other's rows; only another process's claim can take a picked seat first.
 */
export class LiveSeatPicker implements SeatAllocator {
  constructor(private readonly maps: LiveSeatMaps) {}

  async pickBest(
    showId: string,
    quantity: number,
    avoid: ReadonlySet<string>,
    preference: SeatPreference,
  ): Promise<PickedSeats | null> {
    const map = await this.maps.get(showId);
    if (!map) return null;
    const grid = gridOf(map, avoid, preference);
    const allocation = preference.accessible ? accessibleBlock(map, grid, quantity) : allocateBest(grid, quantity);
    if (!allocation) return null;
    const positions = allocation.seats
      .map((pick) => map.rows[map.layout.allocationOrder[pick.rowIndex]!]!.first + pick.seatIndex)
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

  async checkExact(showId: string, seatNumbers: readonly string[], noOrphanSeats: boolean): Promise<Problem | null> {
    const map = await this.maps.get(showId);
    return map && checkExactHold(map, seatNumbers, noOrphanSeats, Date.now());
  }

  async areAdjacent(showId: string, seatNumbers: readonly string[]): Promise<boolean> {
    const map = await this.maps.get(showId);
    const positions = seatNumbers.map((n) => map?.positionOf(n));
    if (!map || positions.some((i) => i === undefined)) return false;
    const sorted = (positions as number[]).sort((a, b) => a - b);
    const run = map.layout.runOf[sorted[0]!];
    return sorted.every((i, k) => map.layout.runOf[i] === run && i === sorted[0]! + k);
  }

  async checkPreference(showId: string, preference: SeatPreference): Promise<Problem | null> {
    if (!preference.categories && !preference.section) return null;
    const map = await this.maps.get(showId);
    return map && unknownPreference(map.layout, preference);
  }

  refresh(showId: string): Promise<void> {
    return this.maps.repair(showId);
  }
}

/**
 * The map as the allocator sees it, at this moment: runs of adjacent seats front to back (section by section), the
 * seats offered now that the preference allows free.
 */
function gridOf(map: LiveSeatMap, avoid: ReadonlySet<string>, preference: SeatPreference): AllocationGrid {
  const now = Date.now();
  const { rows, layout } = map;
  const order = layout.allocationOrder;
  const avoided = avoid.size === 0 ? null : new Set([...avoid].map((n) => map.positionOf(n)));
  const categories = preference.categories && new Set(preference.categories);
  const allowedCategory = layout.categoryKeys.map((key) => !categories || categories.has(key));
  const section = preference.section === null ? -1 : layout.sectionKeys.indexOf(preference.section);
  if (section === -1 && preference.section !== null) allowedCategory.fill(false); // no such section: nothing fits
  return {
    rowCount: order.length,
    seatsInRow: (row) => rows[order[row]!]!.length,
    freeSeatsInRow: (row) => map.unsoldSeatsInRow(order[row]!),
    centreOf: (row) => layout.sectionCentreInRun[order[row]!]!,
    isFree: (row, seat) => {
      const i = rows[order[row]!]!.first + seat;
      return (
        map.isOffered(i, now) &&
        allowedCategory[layout.categoryOf[i]!]! &&
        (section === -1 || layout.sectionOf[i] === section) &&
        // Wheelchair spaces and their companion seats go only to picks that ask for them.
        (preference.accessible || layout.accessibility[i] === 0) &&
        !avoided?.has(i)
      );
    },
  };
}
