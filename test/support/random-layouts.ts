import fc from "fast-check";
import { rowLabel } from "../../src/domain/seat-layout";
import {
  type Accessibility,
  type LayoutDefinition,
  type RowDefinition,
  type SeatDefinition,
  type SectionDefinition,
} from "../../src/venues/layout";

/*
 * Random valid venue layouts for property tests (ragged rows, gaps, aisles, offsets, overrides, several sections with
 * prefixes), and a plain reading of a layout into its seats to compare expansions and materialised shows with.
 */

const KEYS = ["C0", "C1", "C2", "C3"];
// Distinct, and no prefix + label can be another's: every stem differs before the seat numbers' digits begin.
const PREFIXES = ["", "L-", "R-", "BAL", "C1-"];

interface SeatSpec {
  category?: string;
  accessibility: Accessibility[] | null;
  x?: number;
  y?: number;
}
type MutableRow = { -readonly [K in keyof RowDefinition]: RowDefinition[K] };

const seatSpec: fc.Arbitrary<SeatSpec | null> = fc.option(
  fc.record(
    {
      category: fc.constantFrom(...KEYS),
      accessibility: fc.constantFrom<Accessibility[] | null>(null, [], ["WHEELCHAIR"], ["WHEELCHAIR"], ["COMPANION"]),
      x: fc.integer({ min: -50, max: 50 }),
      y: fc.double({ min: -50, max: 50, noNaN: true }),
    },
    { requiredKeys: ["accessibility"] },
  ),
  { freq: 2 },
);

const rowSpec = fc.record({
  byCount: fc.boolean(),
  first: fc.integer({ min: 1, max: 40 }),
  present: fc.array(fc.boolean(), { minLength: 1, maxLength: 25 }),
  // An aisle after one seat in four, on average.
  aisles: fc.array(
    fc.nat({ max: 3 }).map((draw) => draw === 0),
    { maxLength: 25 },
  ),
  seats: fc.array(seatSpec, { maxLength: 25 }),
  rotate: fc.nat(),
  offset: fc.option(fc.constantFrom(0, 0.5, 2, 7), { nil: undefined }),
  category: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
});

const sectionSpec = fc.record({
  digits: fc.boolean(),
  category: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
  x: fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined }),
  y: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  rows: fc.array(rowSpec, { minLength: 1, maxLength: 5 }),
});

export const validLayout: fc.Arbitrary<LayoutDefinition> = fc
  .record({
    sections: fc.array(sectionSpec, { minLength: 1, maxLength: 4 }),
    prefixes: fc.shuffledSubarray(PREFIXES, { minLength: 4, maxLength: 4 }),
  })
  .map(({ sections, prefixes }) => {
    const built = sections.map((section, index): SectionDefinition => ({
      key: `S${index}`,
      label: `Section ${index}`,
      seatPrefix: prefixes[index]!,
      category: section.category,
      x: section.x,
      y: section.y,
      rows: section.rows.map((row, rowIndex) =>
        buildRow(row, section.digits ? String(rowIndex + 1) : rowLabel(rowIndex), section.category),
      ),
    }));
    return withUsedCategories(built);
  });

type RowSpec = typeof rowSpec extends fc.Arbitrary<infer T> ? T : never;

/** A row of the spec's numbers, aisles and seat details, made valid: companions beside a wheelchair, a category. */
function buildRow(spec: RowSpec, label: string, sectionCategory: string | undefined): RowDefinition {
  const numbers = spec.byCount
    ? spec.present.map((_, index) => spec.first + index)
    : spec.present.flatMap((present, index) => (present || index === 0 ? [spec.first + index] : []));
  const aisleAfter = numbers.filter((_, index) => spec.aisles[index] && index < numbers.length - 1);
  const details = new Map<number, SeatDefinition>();
  numbers.forEach((number, index) => {
    const seat = spec.seats[index];
    if (seat) details.set(number, { number, ...seat });
  });
  const run = runOf(numbers, new Set(aisleAfter));
  for (const [number, seat] of details) {
    const beside = [number - 1, number + 1].filter((other) => run.get(other) === run.get(number));
    const wheelchairBeside = beside.some((other) => details.get(other)?.accessibility?.includes("WHEELCHAIR"));
    if (seat.accessibility?.includes("COMPANION") && !wheelchairBeside)
      details.set(number, { ...seat, accessibility: null });
  }
  const row: MutableRow = { label, offset: spec.offset, category: spec.category, aisleAfter };
  if (spec.byCount) {
    Object.assign(row, { count: numbers.length, firstNumber: spec.first === 1 ? undefined : spec.first });
    row.overrides = [...details.values()];
  } else {
    const seats = numbers.map((number) => details.get(number) ?? { number });
    const turn = spec.rotate % seats.length;
    row.seats = [...seats.slice(turn), ...seats.slice(0, turn)];
  }
  if (row.category === undefined && sectionCategory === undefined && numbers.some((n) => !details.get(n)?.category)) {
    row.category = KEYS[0];
  }
  return row;
}

/** Run number by seat number: consecutive numbers with no aisle between share one. */
function runOf(numbers: readonly number[], aisles: ReadonlySet<number>): Map<number, number> {
  const runs = new Map<number, number>();
  let run = 0;
  numbers.forEach((number, index) => {
    const previous = numbers[index - 1];
    if (previous !== undefined && (number !== previous + 1 || aisles.has(previous))) run++;
    runs.set(number, run);
  });
  return runs;
}

/** The layout with the categories its seats use, and no reference to another (no seat would fall back to it). */
function withUsedCategories(sections: SectionDefinition[]): LayoutDefinition {
  const used = new Set(readLayout({ categories: [], sections }).map((seat) => seat.categoryKey));
  const keep = (key: string | null | undefined) => (key && used.has(key) ? key : undefined);
  return {
    categories: KEYS.filter((key) => used.has(key)).map((key) => ({ key, label: `Category ${key}`, color: "#4F7CAC" })),
    sections: sections.map((section) => ({
      ...section,
      category: keep(section.category),
      rows: section.rows.map((row) => ({ ...row, category: keep(row.category) })),
    })),
  };
}

/** The seats a layout describes, read as plainly as the module's documentation states it. */
export function readLayout(layout: LayoutDefinition) {
  let rowIndex = 0;
  let runIndex = -1;
  return layout.sections.flatMap((section) =>
    section.rows.flatMap((row, rowInSection) => {
      const defined = new Map((row.seats ?? row.overrides ?? []).map((seat) => [seat.number, seat]));
      const first = row.firstNumber ?? 1;
      const numbers = row.seats
        ? [...defined.keys()].sort((a, b) => a - b)
        : Array.from({ length: row.count! }, (_, index) => first + index);
      const aisles = new Set(row.aisleAfter ?? []);
      const runs = runOf(numbers, aisles);
      const runBase = runIndex + 1;
      runIndex += runs.size === 0 ? 0 : Math.max(...runs.values()) + 1;
      const seats = numbers.map((number) => {
        const seat = defined.get(number);
        const slot = number - numbers[0]! + [...aisles].filter((aisle) => aisle < number).length;
        return {
          seatNumber: `${section.seatPrefix ?? ""}${row.label}${number}`,
          sectionKey: section.key,
          rowLabel: row.label,
          rowIndex,
          seatInRow: number,
          runIndex: runBase + runs.get(number)!,
          categoryKey: (seat?.category ?? row.category ?? section.category)!,
          accessibility: [...new Set(seat?.accessibility ?? [])].sort(),
          x: seat?.x ?? (section.x ?? 0) + (row.offset ?? 0) + slot,
          y: seat?.y ?? (section.y ?? 0) + rowInSection,
        };
      });
      rowIndex++;
      return seats;
    }),
  );
}

/** Runs and sections each cover the seats in order, without overlap; no run holds a gap, an aisle or two rows. */
