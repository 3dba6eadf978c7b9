import fc from "fast-check";
import { rowLabel } from "../../src/domain/seat-layout";
import {
  type Accessibility,
  type ExpandedLayout,
  type LayoutDefinition,
  type RowDefinition,
  type SeatDefinition,
  type SectionDefinition,
  MAX_PROBLEMS,
  expandLayout,
  validateLayout,
} from "../../src/venues/layout";

/*
 * Random valid layouts (ragged rows, gaps, aisles, offsets, overrides, several sections with prefixes) are expanded and
 * compared seat by seat with a plain reading of the layout; the runs and sections must partition the seats. Then
 * random corruptions of them must be refused (never thrown on) or expand cleanly, and the venue-wide seat-number
 * check must agree with a brute-force search for clashes.
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

const validLayout: fc.Arbitrary<LayoutDefinition> = fc
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
function readLayout(layout: LayoutDefinition) {
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
function expectPartitions(layout: LayoutDefinition, { seats, runs, sections }: ExpandedLayout): void {
  const spans = (list: readonly { first: number; length: number }[]) =>
    list.map(({ first, length }) => [first, length]);
  const cover = (list: readonly { first: number; length: number }[]) =>
    list.every(
      ({ first, length }, index) =>
        length > 0 && first === (index === 0 ? 0 : list[index - 1]!.first + list[index - 1]!.length),
    );
  expect(cover(runs) && cover(sections)).toBe(true);
  expect(spans(runs).reduce((total, [, length]) => total + length!, 0)).toBe(seats.length);
  expect(sections.map((section) => section.key)).toEqual(layout.sections.map((section) => section.key));
  expect(spans(sections).reduce((total, [, length]) => total + length!, 0)).toBe(seats.length);
  const aisles = new Map(
    layout.sections.flatMap((s) => s.rows.map((row) => [`${s.key}/${row.label}`, new Set(row.aisleAfter ?? [])])),
  );
  runs.forEach((run, index) => {
    expect(run.index).toBe(index);
    for (let ordinal = run.first; ordinal < run.first + run.length; ordinal++) {
      const seat = seats[ordinal]!;
      expect([seat.runIndex, seat.rowIndex, seat.sectionKey, seat.rowLabel]).toEqual([
        index,
        run.rowIndex,
        run.sectionKey,
        run.rowLabel,
      ]);
      if (ordinal === run.first) continue;
      const previous = seats[ordinal - 1]!;
      expect(seat.seatInRow).toBe(previous.seatInRow + 1);
      expect(aisles.get(`${seat.sectionKey}/${seat.rowLabel}`)!.has(previous.seatInRow)).toBe(false);
    }
  });
}

describe("venue layouts, at random", () => {
  it("expand to exactly the seats they describe, with unique numbers, partitioned into runs and sections", () => {
    fc.assert(
      fc.property(validLayout, (layout) => {
        expect(validateLayout(layout)).toEqual([]);
        const expanded = expandLayout(layout);
        expect(expanded.seats).toEqual(readLayout(layout).map((seat, ordinal) => ({ ordinal, ...seat })));
        expect(new Set(expanded.seats.map((seat) => seat.seatNumber)).size).toBe(expanded.seats.length);
        expectPartitions(layout, expanded);
        expect(expanded.categories).toEqual(layout.categories);
      }),
      { numRuns: 300 },
    );
  });

  it("are refused, never thrown on, when corrupted; and what is accepted expands as described", () => {
    fc.assert(
      fc.property(corruptedLayout, (layout) => {
        const problems = validateLayout(layout);
        expect(problems.length).toBeLessThanOrEqual(MAX_PROBLEMS);
        for (const { code, field, message } of problems) {
          expect([code, field!.every((part) => typeof part === "string"), message.length < 1000]).toEqual([
            "INVALID_INPUT",
            true,
            true,
          ]);
        }
        if (problems.length > 0) return;
        const { seats } = expandLayout(layout);
        expect(seats).toEqual(readLayout(layout).map((seat, ordinal) => ({ ordinal, ...seat })));
        expect(new Set(seats.map((seat) => seat.seatNumber)).size).toBe(seats.length);
      }),
      { numRuns: 500 },
    );
  });

  it("have clashing seat numbers reported exactly when some number is given twice", () => {
    fc.assert(
      fc.property(clashProneLayout, (layout) => {
        const numbers = expandLayout(layout).seats.map((seat) => seat.seatNumber);
        const clashing = validateLayout(layout).filter((problem) => problem.message.includes("would be given twice"));
        // Each problem stands for a pair of rows: its first clash "and N more".
        const reported = clashing.reduce(
          (total, { message }) => total + 1 + Number(/and (\d+) more/.exec(message)?.[1] ?? 0),
          0,
        );
        expect(reported).toBe(numbers.length - new Set(numbers).size);
      }),
      { numRuns: 300 },
    );
  });
});

/** A valid layout with one to three values anywhere in it replaced: by junk, or by something almost right. */
const corruptedLayout: fc.Arbitrary<LayoutDefinition> = fc
  .tuple(
    validLayout,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(
          fc.anything(),
          fc.integer({ min: -2, max: 60 }),
          fc.constantFrom("A", "C0", "c0", "", "#FFFFFF", null, undefined, [], ["COMPANION"]),
        ),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([layout, changes]) => {
    const copy = structuredClone(layout) as unknown as Record<string, unknown>;
    const places = placesIn(copy);
    for (const [pick, value] of changes) {
      const [parent, key] = places[pick % places.length]!;
      parent[key] = value;
    }
    return copy as unknown as LayoutDefinition;
  });

/** Every property and list entry of a plain value, as [its holder, its key]. */
function placesIn(value: unknown): [Record<string, unknown>, string][] {
  if (typeof value !== "object" || value === null) return [];
  const holder = value as Record<string, unknown>;
  return Object.keys(holder).flatMap((key) => [
    [holder, key] as [Record<string, unknown>, string],
    ...placesIn(holder[key]),
  ]);
}

/** Sections without (or with the same) prefixes and row labels that run into each other's numbers: "1" + "12", "11" + "2". */
const clashProneLayout: fc.Arbitrary<LayoutDefinition> = fc
  .array(
    fc.record({
      prefix: fc.constantFrom("", "", "A"),
      rows: fc.uniqueArray(
        fc.record({
          label: fc.constantFrom("A", "A1", "1", "11", "B", "12", "2"),
          count: fc.integer({ min: 1, max: 15 }),
          first: fc.integer({ min: 1, max: 12 }),
        }),
        { selector: (row) => row.label, minLength: 1, maxLength: 4 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((sections) => ({
    categories: [{ key: "S", label: "Standard", color: "#4F7CAC" }],
    sections: sections.map(({ prefix, rows }, index) => ({
      key: `S${index}`,
      label: `Section ${index}`,
      seatPrefix: prefix,
      category: "S",
      rows: rows.map(({ label, count, first }) => ({ label, count, firstNumber: first })),
    })),
  }));
