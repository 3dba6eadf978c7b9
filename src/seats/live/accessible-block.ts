import { type Allocation, type AllocationGrid } from "../../bookings/allocation/index.js";
import { WHEELCHAIR_FLAG } from "../../venues/accessibility.js";
import { type LiveSeatMap } from "./live-seat-map.js";

/**
 * Best available for a wheelchair user's party: `quantity` adjacent free seats in one run that include a wheelchair
 * space (the others may be its companion seats or any seat beside them), in the frontmost run that has such a
 * block, the block nearest the run's centre (then the leftmost). Null when no run has one: a party is never split
 * away from the wheelchair space.
 */
export function accessibleBlock(map: LiveSeatMap, grid: AllocationGrid, quantity: number): Allocation | null {
  const { accessibility } = map.layout;
  for (let row = 0; row < grid.rowCount; row++) {
    const length = grid.seatsInRow(row);
    const first = map.rows[map.layout.allocationOrder[row]!]!.first;
    let best = -1;
    let bestDistance = Infinity;
    for (let start = 0; start + quantity <= length; start++) {
      let fits = true;
      let wheelchair = false;
      for (let k = start; k < start + quantity && fits; k++) {
        fits = grid.isFree(row, k);
        wheelchair ||= (accessibility[first + k]! & WHEELCHAIR_FLAG) !== 0;
      }
      if (!fits || !wheelchair) continue;
      const distance = Math.abs(2 * start + quantity - 2 * (grid.centreOf?.(row) ?? length / 2));
      if (distance < bestDistance) [best, bestDistance] = [start, distance];
    }
    if (best >= 0) {
      const seats = Array.from({ length: quantity }, (_, k) => ({ rowIndex: row, seatIndex: best + k }));
      return { seats, adjacent: true };
    }
  }
  return null;
}
