import { rowLabel } from "../../src/domain/seat-layout";
import { type LayoutDefinition, type RowDefinition, type SeatDefinition } from "../../src/venues/layout/layout.types";
import { type VenueShape } from "./results";
import { random } from "./stats";

// The benchmark's generated venue: the layout the venue scenario creates, deterministic for a seed.

/** The venue: this many seats in six sections. */
export const VENUE_SEATS = 20_000;

/** Best first (best available looks in this order); every section's rows start at A, so each has its own prefix. */
const SECTIONS = [
  ["STALLS", "Stalls", "S-", "STANDARD"],
  ["DRESS_CIRCLE", "Dress circle", "DC-", "STANDARD"],
  ["GRAND_CIRCLE", "Grand circle", "GC-", "STANDARD"],
  ["UPPER_CIRCLE", "Upper circle", "UC-", "ECONOMY"],
  ["BALCONY", "Balcony", "B-", "ECONOMY"],
  ["GALLERY", "Gallery", "G-", "ECONOMY"],
] as const;
const CATEGORIES = [
  { key: "PREMIUM", label: "Premium", color: "#B8860B" },
  { key: "STANDARD", label: "Standard", color: "#4F7CAC" },
  { key: "ECONOMY", label: "Economy", color: "#6B8E23" },
  { key: "ACCESSIBLE", label: "Accessible", color: "#2E8B57" },
];
export const PRICES = [9500, 6500, 3500, 3500].map((amount, i) => ({
  category: CATEGORIES[i]!.key,
  amount,
  currency: "EUR",
}));
const [SHORTEST_ROW, LONGEST_ROW] = [30, 60];
/** The front rows of the first two sections are PREMIUM. */
const PREMIUM_ROWS = 6;
const isGapRow = (row: number) => row % 9 === 5;
const isWheelchairRow = (row: number) => row % 25 === 2;

/**
 * A deterministic venue of `seats` seats (at least 180) in six sections of ragged rows of 30–60 seats: an aisle
 * every 13–15 seats, a gap (a pillar) in every ninth row, a wheelchair space with its companion seat in every 25th row
 * from the third, and four categories.
 */
export function venueLayout(seats: number, seed: number): VenueShape & { layout: LayoutDefinition } {
  const rand = random(seed);
  const between = (least: number, most: number) => least + Math.floor(rand() * (most - least + 1));
  const counts = { rows: 0, aisles: 0, gaps: 0, wheelchairPairs: 0 };
  let y = 0;
  const sections = SECTIONS.map(([key, label, seatPrefix, category], s) => {
    const quota = Math.floor(seats / SECTIONS.length) + (s < seats % SECTIONS.length ? 1 : 0);
    const rows = rowLengths(quota, between).map((length, r) => {
      const gapAt = isGapRow(r) ? between(5, length - 4) : null;
      const premium = s < 2 && r < PREMIUM_ROWS;
      const row = raggedRow(rowLabel(r), length, { aisleEvery: 13 + (s % 3), gapAt, wheelchair: isWheelchairRow(r) });
      counts.aisles += row.aisleAfter!.length;
      counts.gaps += gapAt === null ? 0 : 1;
      counts.wheelchairPairs += isWheelchairRow(r) ? 1 : 0;
      return { ...row, category: premium ? "PREMIUM" : null };
    });
    counts.rows += rows.length;
    const section = { key, label, seatPrefix, category, x: 0, y, rows };
    y += rows.length + 2;
    return section;
  });
  return { layout: { categories: CATEGORIES, sections }, seats, sections: sections.length, ...counts };
}

/** Ragged row lengths of SHORTEST_ROW–LONGEST_ROW seats adding up to `seats` (at least SHORTEST_ROW). */
function rowLengths(seats: number, between: (least: number, most: number) => number): number[] {
  const lengths: number[] = [];
  for (let left = seats; left > 0; left -= lengths.at(-1)!) {
    const length = between(SHORTEST_ROW, LONGEST_ROW);
    // Never leave a remainder too short to be a row of its own.
    if (left - length >= SHORTEST_ROW) lengths.push(length);
    else lengths.push(left <= LONGEST_ROW ? left : left - SHORTEST_ROW);
  }
  return lengths;
}

function raggedRow(
  label: string,
  length: number,
  { aisleEvery, gapAt, wheelchair }: { aisleEvery: number; gapAt: number | null; wheelchair: boolean },
): RowDefinition {
  // A row with a gap is listed seat by seat, numbered past the missing one, so it still has `length` seats.
  const last = gapAt === null ? length : length + 1;
  const aisleAfter: number[] = [];
  for (let n = aisleEvery; n < last; n += aisleEvery) if (gapAt === null || Math.abs(n - gapAt) > 1) aisleAfter.push(n);
  const accessible: SeatDefinition[] = wheelchair
    ? [
        { number: 1, category: "ACCESSIBLE", accessibility: ["WHEELCHAIR"] },
        { number: 2, category: "ACCESSIBLE", accessibility: ["COMPANION"] },
      ]
    : [];
  // Centred on the widest row (seats, the gap and aisles each take one seat width), so the venue looks like one.
  const offset = Math.max(0, (LONGEST_ROW + 6 - last - aisleAfter.length) / 2);
  if (gapAt === null) return { label, offset, aisleAfter, count: length, overrides: accessible };
  const numbers = Array.from({ length: last }, (_, i) => i + 1).filter((n) => n !== gapAt);
  const seats = numbers.map((n) => accessible.find((seat) => seat.number === n) ?? { number: n });
  return { label, offset, aisleAfter, seats };
}
