import { bestBlockStart, rowHasBlock } from "./blocks.js";
import { type Allocation, type AllocationGrid, type SeatPick } from "./grid.js";

/**
 * "Best available": the best free seats of a show for `quantity` people, or null when fewer than `quantity` seats
 * are free. Pure and synchronous; it runs against the in-memory seat map on every best-available hold of an on-sale,
 * so it reads each seat at most twice, skips rows the grid counts as too empty, and allocates nothing per seat.
 * The rules (a product decision):
 *
 * 1. An adjacent block first: `quantity` adjacent free seats in one row, in the frontmost row that has such a block.
 *    Within that row, in order:
 *    a. fewest orphans created: an orphan is a free seat whose left and right neighbours are both not free (or the
 *       row's edge) and that was not already isolated before the block was taken. Taking 4 of an empty 6-seat row
 *       takes seats 0–3 or 2–5, never 1–4, which would strand seats 0 and 5;
 *    b. then fewest sides left with a free run the same quantity cannot fill exactly (pairs one seat off the middle
 *       of an even row, so that the row fills with pairs instead of ending in single seats);
 *    c. then the block's centre nearest the row's centre (rows may differ in length: each row's own centre, unless
 *       the grid places it elsewhere, as for a run of a row split by aisles, which aims at its section's centre);
 *    d. then the leftmost.
 * 2. Only when no row has a block: scattered seats, the `quantity` free seats nearest the front-centre (row
 *    ascending, then distance from that row's centre, then leftmost); `adjacent` is false.
 * 3. Fewer than `quantity` free seats in the whole show: null.
 *
 * `quantity` must be a positive integer (hold requests are validated before they get here).
 */
export function allocateBest(grid: AllocationGrid, quantity: number): Allocation | null {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity must be a positive integer`);
  for (let row = 0; row < grid.rowCount; row++) {
    const length = grid.seatsInRow(row);
    if (length < quantity || (grid.freeSeatsInRow?.(row) ?? length) < quantity) continue;
    if (!rowHasBlock(grid, row, length, quantity)) continue;
    const start = bestBlockStart(grid, row, length, quantity);
    const seats = Array.from({ length: quantity }, (_, i): SeatPick => ({ rowIndex: row, seatIndex: start + i }));
    return { seats, adjacent: true };
  }
  const seats = scatteredSeats(grid, quantity);
  return seats && { seats, adjacent: false };
}

/** Rule 2: the `quantity` free seats nearest the front-centre, or null when the show has fewer. */
function scatteredSeats(grid: AllocationGrid, quantity: number): SeatPick[] | null {
  const picks: SeatPick[] = [];
  for (let row = 0; row < grid.rowCount && picks.length < quantity; row++) {
    if (grid.freeSeatsInRow?.(row) === 0) continue;
    const length = grid.seatsInRow(row);
    // Walk out from the centre: the middle seat (or the two middle seats, left first), then one further out on
    // each side, left first, so seats come in order of distance from the centre and ties go to the left.
    let left = (length - 1) >> 1;
    let right = length >> 1;
    if (left === right) {
      if (grid.isFree(row, left)) picks.push({ rowIndex: row, seatIndex: left });
      left--;
      right++;
    }
    for (; picks.length < quantity && (left >= 0 || right < length); left--, right++) {
      if (left >= 0 && grid.isFree(row, left)) picks.push({ rowIndex: row, seatIndex: left });
      if (picks.length < quantity && right < length && grid.isFree(row, right)) {
        picks.push({ rowIndex: row, seatIndex: right });
      }
    }
  }
  if (picks.length < quantity) return null;
  return picks.sort((a, b) => a.rowIndex - b.rowIndex || a.seatIndex - b.seatIndex);
}
