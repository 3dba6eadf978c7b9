import { type AllocationGrid } from "./grid.js";

/**
 * Single isolated free seats ("orphans") that taking a block creates. Only the seats next to the block change
 * neighbours, and such a seat is a new orphan exactly when the block leaves it as the last free seat of its run: it
 * was not isolated before (the block's end seat, free until now, was its neighbour). So the count depends only on how
 * many free seats of the run the block leaves on each side.
 */
export function orphansCreated(freeLeftOfBlock: number, freeRightOfBlock: number): number {
  return (freeLeftOfBlock === 1 ? 1 : 0) + (freeRightOfBlock === 1 ? 1 : 0);
}

/**
 * Free seats the block leaves on each side of it that the same quantity cannot fill exactly (0–2 sides). Between
 * equally orphan-free blocks, the one leaving runs that are whole multiples of the quantity lets the next buyers of
 * that size sit together too: pairs taken from the exact middle of an even row leave two odd runs, each of which
 * ends in a single seat; pairs taken one seat off the middle leave two even runs, and the row fills with pairs.
 */
export function unevenRemainders(freeLeftOfBlock: number, freeRightOfBlock: number, quantity: number): number {
  return (freeLeftOfBlock % quantity === 0 ? 0 : 1) + (freeRightOfBlock % quantity === 0 ? 0 : 1);
}

/**
 * Whether the row has `quantity` adjacent free seats. Every run of `quantity` adjacent seats covers exactly one seat
 * whose index is `quantity - 1` modulo `quantity`, so only those seats are probed; a free one is widened into its run
 * of free seats. A mostly sold row costs about `length / quantity` probes, a mostly free row a few.
 */
export function rowHasBlock(grid: AllocationGrid, rowIndex: number, length: number, quantity: number): boolean {
  let probe = quantity - 1;
  // The last seat read and found taken (-1: the row's left edge): no run of free seats reaches back past it.
  let knownTaken = -1;
  while (probe < length) {
    if (!grid.isFree(rowIndex, probe)) {
      knownTaken = probe;
      probe += quantity;
      continue;
    }
    // The previous probe was taken or in a run that ended before this probe, so this run starts at most
    // quantity - 1 seats to the left: widen that far, then right until the run is long enough or ends.
    let start = probe;
    while (start - 1 > knownTaken && probe - start < quantity - 1 && grid.isFree(rowIndex, start - 1)) start--;
    let end = probe + 1;
    while (end - start < quantity && end < length && grid.isFree(rowIndex, end)) end++;
    if (end - start >= quantity) return true;
    // Seat `end` is taken (or the edge): the next block lies wholly right of it; probe the first aligned seat there.
    knownTaken = end;
    probe = nextAlignedAfter(end, quantity);
  }
  return false;
}

/** The smallest index greater than `index` that is `quantity - 1` modulo `quantity`. */
function nextAlignedAfter(index: number, quantity: number): number {
  return (Math.floor((index + 1) / quantity) + 1) * quantity - 1;
}

/**
 * The start of the best block of `quantity` adjacent free seats in the row (rule 1: fewest orphans created, then
 * fewest uneven remainders, then the block's centre nearest the row's centre (or the grid's `centreOf` the row),
 * then the leftmost), or -1 when the row has none. One pass over the row's seats; each run of free seats is weighed
 * when it ends.
 */
export function bestBlockStart(grid: AllocationGrid, rowIndex: number, length: number, quantity: number): number {
  // Twice the centre, so that the distance of a block (twice its centre is 2 * start + quantity) is exact.
  const twiceCentre = 2 * (grid.centreOf?.(rowIndex) ?? length / 2);
  let bestStart = -1;
  let bestRank = Infinity;
  let bestDistance = Infinity;
  let runStart = -1;
  for (let seat = 0; seat <= length; seat++) {
    if (seat < length && grid.isFree(rowIndex, seat)) {
      if (runStart < 0) runStart = seat;
      continue;
    }
    if (runStart < 0) continue;
    const runEnd = seat;
    for (let start = runStart; start + quantity <= runEnd; start++) {
      const left = start - runStart;
      const right = runEnd - start - quantity;
      // Orphans first (0–2), then uneven remainders (0–2).
      const rank = orphansCreated(left, right) * 3 + unevenRemainders(left, right, quantity);
      const distance = Math.abs(2 * start + quantity - twiceCentre);
      // Strictly better only: of equal ranks and distances the leftmost, seen first, stays.
      if (rank < bestRank || (rank === bestRank && distance < bestDistance)) {
        bestRank = rank;
        bestDistance = distance;
        bestStart = start;
      }
    }
    runStart = -1;
  }
  return bestStart;
}
