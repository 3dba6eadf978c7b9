import { type Allocation, type AllocationGrid, allocateBest } from "../../src/bookings/allocation";

// allocateBest against a brute-force reading of its rules, on random halls: every block of every row is tried, and
// the orphans it creates are counted by taking it and comparing the row's isolated seats before and after.

const HALLS = 600;
const MAX_ROWS = 12;
const MAX_ROW_LENGTH = 40;
const MAX_QUANTITY = 8;
const ROW_COUNTS = ["none", "exact", "upper bound"] as const;

/** mulberry32: a small seeded generator, so a failure names a hall that can be rebuilt. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random hall: row lengths 1–40 (or all one length); seats free at random with a share per hall or per row, from
 * empty to full, or rows drawn as runs of free seats (1–3 up to 1–10 long) between 1–3 taken ones, where blocks and
 * the seats they would strand are common.
 */
function randomHall(random: () => number): boolean[][] {
  const rowCount = 1 + Math.floor(random() * MAX_ROWS);
  const sameLength = random() < 0.3 ? 1 + Math.floor(random() * MAX_ROW_LENGTH) : 0;
  const inRuns = random() < 0.5;
  const longestRun = 3 + Math.floor(random() * 8);
  const hallFree = random();
  return Array.from({ length: rowCount }, () => {
    const length = sameLength || 1 + Math.floor(random() * MAX_ROW_LENGTH);
    if (inRuns) return runsOf(length, longestRun, random);
    const free = random() < 0.5 ? hallFree : random();
    return Array.from({ length }, () => random() < free);
  });
}

function runsOf(length: number, longestRun: number, random: () => number): boolean[] {
  const row: boolean[] = [];
  let free = random() < 0.5;
  while (row.length < length) {
    const run = 1 + Math.floor(random() * (free ? longestRun : 3));
    for (let i = 0; i < run && row.length < length; i++) row.push(free);
    free = !free;
  }
  return row;
}

/** The hall as a grid that knows nothing of its rows' free seats, their exact count, or an upper bound of it. */
function gridOf(free: boolean[][], rowCounts: "none" | "exact" | "upper bound"): AllocationGrid {
  const grid: AllocationGrid = {
    rowCount: free.length,
    seatsInRow: (row) => free[row]!.length,
    isFree: (row, seat) => free[row]![seat]!,
  };
  if (rowCounts === "none") return grid;
  const slack = rowCounts === "exact" ? 0 : 2;
  return { ...grid, freeSeatsInRow: (row) => free[row]!.filter(Boolean).length + slack };
}

function isolatedSeats(row: readonly boolean[]): Set<number> {
  const isolated = new Set<number>();
  row.forEach((free, i) => {
    if (free && !row[i - 1] && !row[i + 1]) isolated.add(i);
  });
  return isolated;
}

function orphansCreatedBy(row: readonly boolean[], start: number, quantity: number): number {
  const before = isolatedSeats(row);
  const after = row.map((free, i) => free && (i < start || i >= start + quantity));
  return [...isolatedSeats(after)].filter((seat) => !before.has(seat)).length;
}

interface Block {
  readonly start: number;
  readonly orphans: number;
  /** Sides of the block whose free run the same quantity cannot fill exactly. */
  readonly uneven: number;
  readonly distance: number;
}

/** Free seats running from `from` in direction `step` until a taken seat or the edge. */
function freeRun(row: readonly boolean[], from: number, step: number): number {
  let n = 0;
  for (let i = from; i >= 0 && i < row.length && row[i]; i += step) n++;
  return n;
}

/** Every block of `quantity` free adjacent seats in the row, with the orphans it creates. */
function blocksIn(row: readonly boolean[], quantity: number): Block[] {
  const blocks: Block[] = [];
  for (let start = 0; start + quantity <= row.length; start++) {
    if (!row.slice(start, start + quantity).every(Boolean)) continue;
    const distance = Math.abs(start + (quantity - 1) / 2 - (row.length - 1) / 2);
    const uneven = [freeRun(row, start - 1, -1), freeRun(row, start + quantity, 1)].filter(
      (n) => n % quantity !== 0,
    ).length;
    blocks.push({ start, orphans: orphansCreatedBy(row, start, quantity), uneven, distance });
  }
  return blocks;
}

/** Rule 2 by sorting every free seat: row, then distance from the row's centre, then leftmost. */
function nearestFrontCentre(free: boolean[][], quantity: number): string[] {
  const seats = free.flatMap((row, rowIndex) =>
    row.flatMap((isFree, seatIndex) =>
      isFree ? [{ rowIndex, seatIndex, d: Math.abs(seatIndex - (row.length - 1) / 2) }] : [],
    ),
  );
  seats.sort((a, b) => a.rowIndex - b.rowIndex || a.d - b.d || a.seatIndex - b.seatIndex);
  return seats.slice(0, quantity).map((s) => `${s.rowIndex}:${s.seatIndex}`);
}

function keysOf(allocation: Allocation): string[] {
  return allocation.seats.map((s) => `${s.rowIndex}:${s.seatIndex}`);
}

type Outcome = "adjacent" | "avoidedOrphan" | "scattered" | "none";

/** Plain checks (thousands of answers: jest's matchers would dominate the run); the first failure names the rule. */
function demand(holds: boolean, rule: string): void {
  if (!holds) throw new Error(rule);
}

function check(free: boolean[][], quantity: number, answer: Allocation | null): Outcome {
  const freeCount = free.flat().filter(Boolean).length;
  demand((answer === null) === freeCount < quantity, "null exactly when fewer seats than the quantity are free");
  if (!answer) return "none";

  const keys = keysOf(answer);
  demand(keys.length === quantity && new Set(keys).size === quantity, "as many seats as asked, all distinct");
  demand(
    answer.seats.every(({ rowIndex, seatIndex }) => free[rowIndex]?.[seatIndex] === true),
    "only free seats",
  );

  const frontRow = free.findIndex((row) => blocksIn(row, quantity).length > 0);
  demand(answer.adjacent === frontRow >= 0, "adjacent exactly when some row has a block");
  if (!answer.adjacent) {
    const expected = nearestFrontCentre(free, quantity).sort().join();
    demand([...keys].sort().join() === expected, `scattered seats nearest the front-centre: ${expected}`);
    return "scattered";
  }

  const { rowIndex, seatIndex: start } = answer.seats[0]!;
  demand(
    answer.seats.every((seat, i) => seat.rowIndex === rowIndex && seat.seatIndex === start + i),
    "a block: adjacent seats of one row, left to right",
  );
  demand(rowIndex === frontRow, `the frontmost row that has a block: ${frontRow}`);
  const candidates = blocksIn(free[frontRow]!, quantity);
  const taken = candidates.find((b) => b.start === start)!;
  const fewestOrphans = Math.min(...candidates.map((b) => b.orphans));
  demand(fewestOrphans > 0 || taken.orphans === 0, "no orphan when a block of that row creates none");
  // And the whole order of rule 1: fewest orphans, fewest uneven remainders, nearest the row's centre, leftmost.
  const best = [...candidates].sort(
    (a, b) => a.orphans - b.orphans || a.uneven - b.uneven || a.distance - b.distance || a.start - b.start,
  )[0]!;
  demand(taken === best, `the best block of the row by rule 1: seats from ${best.start}`);
  return candidates.some((b) => b.orphans > 0) && fewestOrphans === 0 ? "avoidedOrphan" : "adjacent";
}

describe("allocateBest on random halls", () => {
  it("answers as a brute-force reading of its rules does, on hundreds of halls and quantities 1–8", () => {
    const seen = { adjacent: 0, scattered: 0, none: 0, avoidedOrphan: 0 };
    for (let hallSeed = 1; hallSeed <= HALLS; hallSeed++) {
      const free = randomHall(randomFrom(hallSeed));
      for (let quantity = 1; quantity <= MAX_QUANTITY; quantity++) {
        const answer = allocateBest(gridOf(free, ROW_COUNTS[(hallSeed + quantity) % 3]!), quantity);
        try {
          seen[check(free, quantity, answer)]++;
        } catch (error) {
          const drawn = free.map((row) => row.map((f) => (f ? "." : "x")).join("")).join("\n");
          throw new Error(`hall ${hallSeed}, quantity ${quantity}:\n${drawn}\n${String(error)}`, { cause: error });
        }
      }
    }
    // The halls reach every branch often enough for the checks above to mean something.
    expect(seen.adjacent + seen.avoidedOrphan).toBeGreaterThan(500);
    expect(seen.scattered).toBeGreaterThan(200);
    expect(seen.none).toBeGreaterThan(100);
    expect(seen.avoidedOrphan).toBeGreaterThan(200);
  });
});
