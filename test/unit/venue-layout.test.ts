import { type Problem } from "../../src/domain/problem";
import { seatNumber } from "../../src/domain/seat-layout";
import {
  DEFAULT_LAYOUT_LIMITS,
  type LayoutDefinition,
  type LayoutLimits,
  MAX_PROBLEMS,
  expandLayout,
  rectangularLayout,
  validateLayout,
} from "../../src/venues/layout";

/** A layout the test may change in place (the module's types are read-only). */
type Draft<T> = { -readonly [K in keyof T]: DraftValue<T[K]> };
type DraftValue<V> = V extends readonly (infer U)[] ? DraftValue<U>[] : V extends object ? Draft<V> : V;
type LayoutDraft = Draft<LayoutDefinition>;

/**
 * A ragged theatre: stalls with aisles, an offset, a row numbered from 11 and a row of explicit seats with a gap;
 * a circle with its own prefix and a half-seat offset; a box whose seats sit where they are placed. Categories are
 * given per section, row and seat; A1 is a wheelchair space with its companion at A2.
 */
function theatre(): LayoutDraft {
  return {
    categories: [
      { key: "STALLS", label: "Stalls", color: "#336699" },
      { key: "ACCESS", label: "Access", color: "#00aa00" },
      { key: "VIP", label: "VIP", color: "#FFD700" },
      { key: "CIRCLE", label: "Circle", color: "#993366" },
    ],
    sections: [
      {
        key: "STALLS",
        label: "Stalls",
        seatPrefix: "",
        category: "STALLS",
        rows: [
          {
            label: "A",
            count: 10,
            offset: 2,
            aisleAfter: [3, 7],
            overrides: [
              { number: 1, category: "ACCESS", accessibility: ["WHEELCHAIR"] },
              { number: 2, accessibility: ["COMPANION"] },
            ],
          },
          { label: "B", count: 8, firstNumber: 11, category: "VIP", aisleAfter: [14] },
          {
            label: "C",
            offset: 1,
            seats: [{ number: 1 }, { number: 2 }, { number: 5, category: "VIP" }, { number: 3 }],
          },
        ],
      },
      {
        key: "CIRCLE",
        label: "Circle",
        seatPrefix: "C-",
        category: "CIRCLE",
        y: 10,
        rows: [
          { label: "A", count: 6 },
          { label: "B", count: 6, offset: 0.5 },
        ],
      },
      {
        key: "BOX_L",
        label: "Box left",
        seatPrefix: "BL",
        x: -5,
        y: 2,
        rows: [
          {
            label: "1",
            seats: [
              { number: 1, category: "VIP", x: -6, y: 2.5 },
              { number: 2, category: "VIP" },
            ],
          },
        ],
      },
    ],
  };
}

function problemsAfter(change: (layout: LayoutDraft) => void, limits?: LayoutLimits): Problem[] {
  const layout = theatre();
  change(layout);
  return validateLayout(layout as LayoutDefinition, limits);
}

/** The theatre with one value set (a list index one past the end appends); `undefined` leaves the value out. */
const setting = (path: string, value: unknown) => (layout: LayoutDraft) => {
  const keys = path.split(".");
  const parent = keys
    .slice(0, -1)
    .reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, layout);
  parent[keys.at(-1)!] = value;
};

const problem = (field: string, fragment: string) => ({
  code: "INVALID_INPUT",
  field: ["input", "layout", ...(field === "" ? [] : field.split("."))],
  message: expect.stringContaining(fragment),
});

const limits = (changed: Partial<LayoutLimits>): LayoutLimits => ({ ...DEFAULT_LAYOUT_LIMITS, ...changed });

describe("rectangularLayout", () => {
  it("expands to today's seats A1…A4, B1…B4, C1…C4, row by row", () => {
    const layout = rectangularLayout(3, 4);
    expect(validateLayout(layout)).toEqual([]);
    const { seats, runs, sections, categories } = expandLayout(layout);
    const today = [0, 1, 2].flatMap((rowIndex) => [1, 2, 3, 4].map((seatInRow) => ({ rowIndex, seatInRow })));
    expect(seats.map(({ seatNumber, rowIndex, seatInRow }) => ({ seatNumber, rowIndex, seatInRow }))).toEqual(
      today.map(({ rowIndex, seatInRow }) => ({ seatNumber: seatNumber(rowIndex, seatInRow), rowIndex, seatInRow })),
    );
    expect(seats.map((seat) => seat.seatNumber).join(" ")).toBe("A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4");
    expect(seats.every((seat) => seat.categoryKey === "STANDARD" && seat.sectionKey === "MAIN")).toBe(true);
    expect(seats.map((seat) => seat.ordinal)).toEqual([...seats.keys()]);
    expect(runs.map(({ rowLabel, first, length }) => `${rowLabel}:${first}+${length}`)).toEqual([
      "A:0+4",
      "B:4+4",
      "C:8+4",
    ]);
    expect(sections).toEqual([{ key: "MAIN", label: "Main", first: 0, length: 12 }]);
    expect(categories).toEqual([{ key: "STANDARD", label: "Standard", color: "#4F7CAC" }]);
  });

  it("labels rows past Z as today (AA, AB…) and refuses a hall without rows or seats", () => {
    const { seats } = expandLayout(rectangularLayout(28, 1));
    expect(seats.slice(-3).map((seat) => seat.seatNumber)).toEqual(["Z1", "AA1", "AB1"]);
    expect(() => rectangularLayout(0, 4)).toThrow(RangeError);
    expect(() => rectangularLayout(3, 1.5)).toThrow(RangeError);
  });
});

describe("expandLayout", () => {
  const layout = theatre() as LayoutDefinition;
  const expanded = expandLayout(layout);
  const seat = (number: string) => expanded.seats.find((candidate) => candidate.seatNumber === number)!;

  it("lists the accepted theatre's seats by section, row and number, leaving gaps out", () => {
    expect(validateLayout(layout)).toEqual([]);
    expect(expanded.seats.map((s) => s.seatNumber).join(" ")).toBe(
      "A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 B11 B12 B13 B14 B15 B16 B17 B18 C1 C2 C3 C5 " +
        "C-A1 C-A2 C-A3 C-A4 C-A5 C-A6 C-B1 C-B2 C-B3 C-B4 C-B5 C-B6 BL11 BL12",
    );
    expect(expanded.seats.map((s) => s.ordinal)).toEqual([...expanded.seats.keys()]);
    expect(seat("C5")).toMatchObject({ rowLabel: "C", rowIndex: 2, seatInRow: 5, sectionKey: "STALLS" });
    expect(seat("C-B1")).toMatchObject({ rowLabel: "B", rowIndex: 4, seatInRow: 1, sectionKey: "CIRCLE" });
    expect(seat("BL12")).toMatchObject({ rowLabel: "1", rowIndex: 5, seatInRow: 2, sectionKey: "BOX_L" });
  });

  it("takes a seat's category from the seat, else its row, else its section", () => {
    const categories = ["A1", "A2", "B11", "C3", "C5", "C-A1", "BL11"].map((number) => seat(number).categoryKey);
    expect(categories).toEqual(["ACCESS", "STALLS", "VIP", "STALLS", "VIP", "CIRCLE", "VIP"]);
  });

  it("marks wheelchair and companion seats, each seat with its own list", () => {
    expect([seat("A1"), seat("A2"), seat("A3")].map((s) => s.accessibility)).toEqual([
      ["WHEELCHAIR"],
      ["COMPANION"],
      [],
    ]);
    expect(seat("A3").accessibility).not.toBe(seat("A4").accessibility);
  });

  it("places seats by offset, gaps and aisles, unless they are placed explicitly", () => {
    const places = (numbers: string) => numbers.split(" ").map((number) => `${seat(number).x},${seat(number).y}`);
    // Row A: offset 2, aisles after 3 and 7. Row B counts its slots from its first seat, 11; aisle after 14.
    expect(places("A1 A3 A4 A7 A8 A10")).toEqual(["2,0", "4,0", "6,0", "9,0", "11,0", "13,0"]);
    expect(places("B11 B14 B15")).toEqual(["0,1", "3,1", "5,1"]);
    // Row C: offset 1; the missing seat 4 keeps its place. The circle starts at y 10; the box at x -5, y 2.
    expect(places("C1 C3 C5")).toEqual(["1,2", "3,2", "5,2"]);
    expect(places("C-A1 C-B1 C-B6")).toEqual(["0,10", "0.5,11", "5.5,11"]);
    expect(places("BL11 BL12")).toEqual(["-6,2.5", "-4,2"]);
  });

  it("splits rows into runs at aisles and gaps, numbered across the venue", () => {
    expect(
      expanded.runs.map(({ sectionKey, rowLabel, first, length }) => `${sectionKey} ${rowLabel}:${first}+${length}`),
    ).toEqual([
      "STALLS A:0+3",
      "STALLS A:3+4",
      "STALLS A:7+3",
      "STALLS B:10+4",
      "STALLS B:14+4",
      "STALLS C:18+3",
      "STALLS C:21+1",
      "CIRCLE A:22+6",
      "CIRCLE B:28+6",
      "BOX_L 1:34+2",
    ]);
    expect(expanded.runs.map((run) => run.index)).toEqual([...expanded.runs.keys()]);
    expect(["A3", "A4", "C5", "BL12"].map((number) => seat(number).runIndex)).toEqual([0, 1, 6, 9]);
  });

  it("gives each section's span of seats, and a copy of the categories", () => {
    expect(expanded.sections).toEqual([
      { key: "STALLS", label: "Stalls", first: 0, length: 22 },
      { key: "CIRCLE", label: "Circle", first: 22, length: 12 },
      { key: "BOX_L", label: "Box left", first: 34, length: 2 },
    ]);
    expect(expanded.categories).toEqual(layout.categories);
    expect(expanded.categories[0]).not.toBe(layout.categories[0]);
  });

  it("refuses, with a RangeError, what it cannot expand", () => {
    const withRow = (row: object) => ({ ...layout, sections: [{ ...layout.sections[0]!, rows: [row] }] });
    for (const row of [
      { label: "A" },
      { label: "A", count: 2, category: "NOPE" },
      { label: "A", seats: [{ number: 1 }, { number: 1 }] },
      { label: "A", count: 1e9 },
    ]) {
      expect(() => expandLayout(withRow(row) as LayoutDefinition)).toThrow(RangeError);
    }
    expect(() => expandLayout(rectangularLayout(11, 10), { maxSeats: 100 })).toThrow(RangeError);
  });

  // (How long expansion takes is the benchmark's to say: its venue scenario times show creation.)
  it("expands a 100,000-seat hall", () => {
    expect(expandLayout(rectangularLayout(200, 500)).seats).toHaveLength(100_000);
  });
});

describe("validateLayout", () => {
  // One rule each: [rule, field of the theatre to set, value, a fragment of the message, field reported if other].
  // prettier-ignore
  it.each<[string, string, unknown, string, string?]>([
    ["category key format", "categories.4", { key: "vip2", label: "V", color: "#000000" }, "is not a valid key: use 1–32 characters, an upper-case letter A–Z first", "categories.4.key"],
    ["section key format", "sections.2.key", "box-l", '"box-l" is not a valid key'],
    ["label not blank", "categories.1.label", "  ", "category label must not be blank"],
    ["label at most 60 characters", "sections.0.label", "x".repeat(61), "at most 60 characters"],
    ["label without control characters", "categories.0.label", "Stalls\u0007", "must not contain control characters"],
    ["color #RRGGBB", "categories.0.color", "#12345", 'write it as "#RRGGBB"'],
    ["row label upper-case", "sections.0.rows.2.label", "c", 'row label "c" must be upper-case ("C")'],
    ["row label format", "sections.0.rows.2.label", "ROW12", "use 1–4 upper-case letters A–Z or digits"],
    ["seatPrefix format", "sections.1.seatPrefix", "c-", 'at most 6 upper-case letters A–Z, digits or "-" (upper-case only)'],
    ["seat number whole", "sections.0.rows.2.seats.1.number", 2.5, "seat number 2.5 is not a seat number: use a whole number from 1 to 9999"],
    ["seat number at most 9999", "sections.0.rows.2.seats.0.number", 10_000, "from 1 to 9999"],
    ["seat x within ±100000", "sections.2.rows.0.seats.0.x", 100_001, "use a number from -100000 to 100000"],
    ["section y finite", "sections.1.y", Number.NaN, "y NaN is not a position"],
    ["offset at least 0", "sections.0.rows.0.offset", -1, "use a number of seat widths from 0 to 1000"],
    ["offset at most 1000", "sections.0.rows.0.offset", 1001, "offset 1001 is not valid"],
    ["category keys unique", "categories.4", { key: "VIP", label: "V", color: "#000000" }, 'category key "VIP" is already used by categories.2', "categories.4.key"],
    ["section keys unique", "sections.1.key", "STALLS", 'section key "STALLS" is already used by sections.0'],
    ["seat numbers unique in a row", "sections.0.rows.2.seats.4", { number: 5 }, "seat 5 appears twice in seats (also at seats.2)", "sections.0.rows.2.seats.4.number"],
    ["count or seats, not both", "sections.0.rows.0.seats", [{ number: 1 }], "either count (seats numbered on from firstNumber) or seats", "sections.0.rows.0"],
    ["count or seats, one of them", "sections.0.rows.1.count", undefined, "a row needs its seats: give count", "sections.0.rows.1"],
    ["overrides only with count", "sections.0.rows.2.overrides", [{ number: 1 }], "overrides apply only to a row given by count"],
    ["overrides only for the row's seats", "sections.0.rows.0.overrides.2", { number: 11 }, "override for seat 11 is not a seat of this row: its seats are 1–10", "sections.0.rows.0.overrides.2.number"],
    ["overrides once per seat", "sections.0.rows.0.overrides.2", { number: 2 }, "seat 2 appears twice in overrides (also at overrides.1): merge them", "sections.0.rows.0.overrides.2.number"],
    ["firstNumber only with count", "sections.0.rows.2.firstNumber", 1, "firstNumber applies only to a row given by count"],
    ["firstNumber a seat number", "sections.0.rows.1.firstNumber", 0, "firstNumber 0 is not a seat number"],
    ["count a whole number", "sections.0.rows.1.count", 2.5, "count 2.5 is not valid: a row given by count has a whole number of seats, at least 1"],
    ["count at least 1", "sections.0.rows.1.count", 0, "count 0 is not valid"],
    ["count within seat numbers", "sections.0.rows.1.firstNumber", 9995, "seats 9995–10002 go past the highest seat number, 9999", "sections.0.rows.1.count"],
    ["aisleAfter a seat of the row", "sections.0.rows.0.aisleAfter.1", 11, "aisleAfter 11 is not a seat of this row (its seats: 1–10)"],
    ["aisleAfter not a gap's number", "sections.0.rows.2.aisleAfter", [4], "aisleAfter 4 is not a seat of this row", "sections.0.rows.2.aisleAfter.0"],
    ["aisleAfter not the last seat", "sections.0.rows.0.aisleAfter.1", 10, "aisleAfter 10 is the row's last seat"],
    ["aisleAfter without duplicates", "sections.0.rows.0.aisleAfter.1", 3, "aisleAfter lists 3 twice"],
    ["row category defined", "sections.0.rows.1.category", "VPI", 'row category "VPI" is not a category of this layout (defined: STALLS, ACCESS, VIP, CIRCLE)'],
    ["seat category defined", "sections.0.rows.2.seats.2.category", "GOLD", 'category of seat 5 "GOLD" is not a category of this layout'],
    ["every seat has a category", "sections.2.rows.0.seats.1.category", null, 'seat 2 of row "1" has no category: give the row or its section ("BOX_L") a category, or each seat its own', "sections.2.rows.0.category"],
    ["every category used", "categories.4", { key: "GALLERY", label: "Gallery", color: "#000000" }, 'category "GALLERY" is not used by any seat'],
    ["companion beside a wheelchair", "sections.0.rows.0.overrides.1.number", 3, "seat 3 is a COMPANION seat but sits next to no WHEELCHAIR seat", "sections.0.rows.0.overrides.1.accessibility"],
    ["companion not across an aisle", "sections.0.rows.0.overrides", [{ number: 4, category: "ACCESS", accessibility: ["WHEELCHAIR"] }, { number: 3, accessibility: ["COMPANION"] }], "must be a WHEELCHAIR seat of the same run (no aisle or gap between)", "sections.0.rows.0.overrides.1.accessibility"],
    ["companion not across a gap", "sections.0.rows.2.seats", [{ number: 3, accessibility: ["COMPANION"] }, { number: 5, accessibility: ["WHEELCHAIR"] }], "seat 3 is a COMPANION seat", "sections.0.rows.2.seats.0.accessibility"],
    ["not both wheelchair and companion", "sections.0.rows.0.overrides.0.accessibility", ["WHEELCHAIR", "COMPANION"], "seat 1 cannot be both WHEELCHAIR and COMPANION"],
    ["accessibility without duplicates", "sections.0.rows.0.overrides.0.accessibility", ["WHEELCHAIR", "WHEELCHAIR"], 'accessibility lists "WHEELCHAIR" twice', "sections.0.rows.0.overrides.0.accessibility.1"],
    ["a row in every section", "sections.2.rows", [], "there must be at least one row"],
    ["a seat in every row", "sections.2.rows.0.seats", [], "a row needs at least one seat"],
    ["seat numbers unique across sections", "sections.1.seatPrefix", "", 'seat number "A1" (and 5 more) would be given twice: to seat 1 at input.layout.sections.0.rows.0 and to seat 1 at input.layout.sections.1.rows.0. Seat numbers must be unique across the venue: give the sections seatPrefix values that set their seat numbers apart', "sections.1.rows.0"],
    ["seat numbers unique in a section", "sections.0.rows.3", { label: "B1", count: 2 }, 'seat number "B11" (and 1 more) would be given twice: to seat 11 at input.layout.sections.0.rows.1 and to seat 1 at input.layout.sections.0.rows.3. Seat numbers must be unique across the venue: rename one of the rows'],
    ["clashing explicit seats named", "sections.0.rows.3", { label: "B1", seats: [{ number: 2 }] }, 'seat number "B12" would be given twice', "sections.0.rows.3.seats.0"],
  ])("%s", (_rule, path, value, fragment, field = path) => {
    expect(problemsAfter(setting(path, value))).toEqual([problem(field, fragment)]);
  });

  it("refuses, never throws on, a count or firstNumber that is an object without a prototype", () => {
    // Such an object cannot be turned into a number (graphql-js builds input objects this way).
    const bare = Object.create(null) as object;
    expect(problemsAfter(setting("sections.0.rows.1.count", bare))).toEqual([
      problem("sections.0.rows.1.count", "is not valid: a row given by count has a whole number of seats"),
    ]);
    expect(problemsAfter(setting("sections.0.rows.1.firstNumber", bare))).toEqual([
      problem("sections.0.rows.1.firstNumber", "is not a seat number"),
    ]);
  });

  it("keeps row labels unique in a section", () => {
    expect(problemsAfter(setting("sections.1.rows.1.label", "A"))).toEqual([
      problem("sections.1.rows.1.label", 'row label "A" is already used by rows.0 of this section'),
      problem("sections.1.rows.1", 'seat number "C-A1" (and 5 more) would be given twice'),
    ]);
  });

  it.each<[string, Partial<LayoutLimits>, string, string]>([
    ["seats in total", { maxSeats: 30 }, "sections", "the layout has 36 seats; a venue may have at most 30"],
    ["sections", { maxSections: 2 }, "sections", "there are 3 sections; at most 2 are allowed"],
    ["rows per section", { maxRowsPerSection: 2 }, "sections.0.rows", "there are 3 rows; at most 2 are allowed"],
    [
      "seats per row",
      { maxSeatsPerRow: 9 },
      "sections.0.rows.0.count",
      "count 10 is more than the 9 seats a row may have",
    ],
    ["categories", { maxCategories: 3 }, "categories", "there are 4 categories; at most 3 are allowed"],
  ])("holds the layout to its limit of %s", (_limit, changed, field, fragment) => {
    expect(problemsAfter(() => {}, limits(changed))).toEqual([problem(field, fragment)]);
  });

  it("holds rows of explicit seats to the seats-per-row limit", () => {
    const problems = problemsAfter(() => {}, limits({ maxSeatsPerRow: 3 }));
    expect(problems).toContainEqual(
      problem("sections.0.rows.2.seats", "the row lists 4 seats; a row may have at most 3"),
    );
  });

  it("needs a section, and then calls every category unused", () => {
    expect(problemsAfter(setting("sections", []))).toEqual([
      problem("sections", "there must be at least one section"),
      ...[0, 1, 2, 3].map((index) => problem(`categories.${index}`, "is not used by any seat")),
    ]);
  });

  it("reports seat numbers too long for a ticket, once per section, besides the prefix", () => {
    expect(problemsAfter(setting("sections.1.seatPrefix", "C".repeat(30)))).toEqual([
      problem("sections.1.seatPrefix", '"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC" is not valid'),
      problem("sections.1.seatPrefix", 'seat numbers of section "CIRCLE" would be up to 32 characters long'),
    ]);
  });

  it("counts a huge row without expanding it", () => {
    // Expanding a billion seats would run out of memory or past the test's timeout long before answering.
    const problems = problemsAfter(setting("sections.0.rows.1.count", 1e9));
    expect(problems).toEqual([
      problem("sections.0.rows.1.count", "count 1000000000 is more than the 500 seats a row may have"),
      problem("sections", "the layout has 1,000,000,028 seats; a venue may have at most 100,000"),
    ]);
  });

  it(`stops after ${MAX_PROBLEMS} problems and says so`, () => {
    const problems = problemsAfter((layout) => {
      for (let index = 0; index < 200; index++) layout.sections[0]!.rows.push({ label: `row${index}`, count: 1 });
    });
    expect(problems).toHaveLength(MAX_PROBLEMS);
    expect(problems.at(-1)!.message).toContain(`(validation stopped after ${MAX_PROBLEMS} problems; there are more`);
    expect(problems.at(-2)!.message).not.toContain("stopped");
  });

  it("reports every problem, under the path it is given", () => {
    const layout = theatre();
    layout.categories[0]!.color = "blue";
    layout.sections[0]!.rows[1]!.count = 0;
    const problems = validateLayout(layout as LayoutDefinition, DEFAULT_LAYOUT_LIMITS, ["input", "venue", "layout"]);
    expect(problems.map((problem) => problem.field!.join("."))).toEqual([
      "input.venue.layout.categories.0.color",
      "input.venue.layout.sections.0.rows.1.count",
    ]);
  });

  it("reports values of the wrong kind instead of failing on them", () => {
    expect(validateLayout(null as unknown as LayoutDefinition)).toEqual([problem("", "must be an object")]);
    for (const [path, value, field, fragment] of [
      ["sections.0.rows.1", null, "sections.0.rows.1", "a row must be an object"],
      ["sections.0.rows.2.seats.0", "1", "sections.0.rows.2.seats.0", "a seat must be an object"],
      [
        "sections.0.rows.0.overrides.0.accessibility.0",
        "STEP",
        "sections.0.rows.0.overrides.0.accessibility.0",
        '"STEP" is not an accessibility value (allowed: WHEELCHAIR, COMPANION)',
      ],
      ["categories", "STALLS", "categories", "categories must be a list of categories"],
    ] as const) {
      expect(problemsAfter(setting(path, value))).toContainEqual(problem(field, fragment));
    }
  });
});
