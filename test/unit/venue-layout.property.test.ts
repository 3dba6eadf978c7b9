import fc from "fast-check";
import {
  type ExpandedLayout,
  type LayoutDefinition,
  MAX_PROBLEMS,
  expandLayout,
  validateLayout,
} from "../../src/venues/layout";
import { readLayout, validLayout } from "../support/random-layouts";

/*
 * Random valid layouts (ragged rows, gaps, aisles, offsets, overrides, several sections with prefixes) are expanded and
 * compared seat by seat with a plain reading of the layout; the runs and sections must partition the seats. Then
 * random corruptions of them must be refused (never thrown on) or expand cleanly, and the venue-wide seat-number
 * check must agree with a brute-force search for clashes.
 */

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
