import {
  MAX_SEAT_NUMBER,
  examples,
  isWholeNumberIn,
  offsetProblem,
  quote,
  rowLabelProblem,
  seatNumberProblem,
} from "./layout-formats.js";
import { type RowDefinition, type SeatDefinition, type SectionDefinition } from "./layout.types.js";
import { checkSeatValues, hasAccessibility } from "./validate-seat.js";
import { type FieldPath, type ValidationContext } from "./validation-context.js";

/**
 * Which seats a row has, once its form checks out: numbers first…last of a count row, or exactly the numbers in
 * `defined` of a row of explicit seats. `defined` maps the numbers of `list` (the row's overrides or seats) to their
 * index there; the first of a duplicate wins.
 */
export interface RowShape {
  readonly range: { readonly first: number; readonly last: number } | null;
  readonly list: readonly SeatDefinition[];
  readonly listName: "seats" | "overrides";
  readonly defined: ReadonlyMap<number, number>;
  readonly last: number;
}

/** What the venue-wide checks need of a row. */
export interface CheckedRow {
  readonly path: FieldPath;
  readonly sectionIndex: number;
  /** seatPrefix + label, when both are text: every seat number of the row is stem + number. */
  readonly stem: string | null;
  /** The seats the row asks for, even past the limits, so that the venue's total is checked before any expansion. */
  readonly size: number;
  /** Null when the row's seats cannot be told (no or both forms, a bad count): later checks then skip it. */
  readonly shape: RowShape | null;
}

/** Checks a row on its own (label, form, numbers, aisles, categories, companions) and marks the categories it uses. */
export function checkRow(
  row: RowDefinition,
  path: FieldPath,
  section: SectionDefinition,
  sectionIndex: number,
  context: ValidationContext,
): CheckedRow {
  const labelProblem = rowLabelProblem(row.label);
  if (labelProblem !== null) context.problems.report([...path, "label"], labelProblem);
  if (row.category != null) {
    const problem = context.categories.referenceProblem(row.category, "row category");
    if (problem !== null) context.problems.report([...path, "category"], problem);
  }
  if (row.offset != null) {
    const problem = offsetProblem(row.offset);
    if (problem !== null) context.problems.report([...path, "offset"], problem);
  }
  const { shape, size } = checkForm(row, path, context);
  if (shape === null) {
    markReferencedCategories(row, section, context);
  } else {
    const aisles = checkAisles(row, path, shape, context);
    checkCategoryCoverage(row, path, section, shape, context);
    checkCompanions(path, shape, aisles, context);
  }
  const prefix = section.seatPrefix ?? "";
  const stem = typeof prefix === "string" && typeof row.label === "string" ? prefix + row.label : null;
  return { path, sectionIndex, stem, size, shape };
}

export function seatAt(shape: RowShape, number: number): SeatDefinition | undefined {
  const index = shape.defined.get(number);
  return index === undefined ? undefined : shape.list[index];
}

export function hasSeat(shape: RowShape, number: number): boolean {
  return shape.range === null ? shape.defined.has(number) : number >= shape.range.first && number <= shape.range.last;
}

function checkForm(row: RowDefinition, path: FieldPath, context: ValidationContext) {
  const byCount = row.count != null;
  const bySeats = row.seats != null;
  if (byCount === bySeats) {
    context.problems.report(
      path,
      byCount
        ? "a row gives either count (seats numbered on from firstNumber) or seats (each seat listed), not both"
        : "a row needs its seats: give count (seats numbered on from firstNumber, default 1) or seats (each seat listed)",
    );
    return { shape: null, size: 0 };
  }
  return byCount ? checkCountRow(row, path, context) : checkSeatsRow(row, path, context);
}

function checkCountRow(row: RowDefinition, path: FieldPath, context: ValidationContext) {
  const { count, firstNumber } = row;
  const maxSeats = context.limits.maxSeatsPerRow;
  let valid = isWholeNumberIn(count, 1, Infinity);
  if (!valid) {
    const problem = `count ${quote(count)} is not valid: a row given by count has a whole number of seats, at least 1`;
    context.problems.report([...path, "count"], problem);
  } else if (count! > maxSeats) {
    context.problems.report([...path, "count"], `count ${count} is more than the ${maxSeats} seats a row may have`);
  }
  const first = firstNumber ?? 1;
  const firstProblem = seatNumberProblem(first, "firstNumber");
  if (firstProblem !== null) {
    context.problems.report([...path, "firstNumber"], firstProblem);
    valid = false;
  }
  // Only from numbers that checked out: a corrupted count or firstNumber (any JSON value) is never computed with.
  const last = valid ? first + count! - 1 : 0;
  if (valid && last > MAX_SEAT_NUMBER) {
    // A count past the row limit is already reported, and is the likelier mistake.
    if (count! <= maxSeats) {
      const problem = `seats ${first}–${last} go past the highest seat number, ${MAX_SEAT_NUMBER}: lower count or firstNumber`;
      context.problems.report([...path, "count"], problem);
    }
    valid = false;
  }
  const range = valid ? { first, last } : null;
  const overrides = Array.isArray(row.overrides) ? row.overrides : [];
  const defined = checkDefinedSeats(row.overrides, "overrides", path, range, context);
  const shape: RowShape | null =
    range === null ? null : { range, list: overrides, listName: "overrides", defined, last };
  return { shape, size: Number.isInteger(count) && count! > 0 ? count! : 0 };
}

function checkSeatsRow(row: RowDefinition, path: FieldPath, context: ValidationContext) {
  const seats: unknown = row.seats;
  if (!Array.isArray(seats)) {
    context.problems.report([...path, "seats"], "seats must be a list of seats, each with its number");
    return { shape: null, size: 0 };
  }
  const maxSeats = context.limits.maxSeatsPerRow;
  if (seats.length === 0) {
    context.problems.report([...path, "seats"], "a row needs at least one seat: list its seats, or remove the row");
  } else if (seats.length > maxSeats) {
    const problem = `the row lists ${seats.length} seats; a row may have at most ${maxSeats}`;
    context.problems.report([...path, "seats"], problem);
  }
  if (row.firstNumber != null) {
    const problem = "firstNumber applies only to a row given by count; each of these seats has its own number";
    context.problems.report([...path, "firstNumber"], problem);
  }
  if (row.overrides != null && (!Array.isArray(row.overrides) || row.overrides.length > 0)) {
    const problem = "overrides apply only to a row given by count; give category, accessibility, x and y on the seats";
    context.problems.report([...path, "overrides"], problem);
  }
  const defined = checkDefinedSeats(seats as SeatDefinition[], "seats", path, null, context);
  let last = 0;
  for (const number of defined.keys()) if (number > last) last = number;
  const shape: RowShape | null =
    defined.size === 0 ? null : { range: null, list: seats, listName: "seats", defined, last };
  return { shape, size: seats.length };
}

/** Checks a row's `seats` or `overrides`: each seat's values, numbers unique (and, for overrides, in the range). */
function checkDefinedSeats(
  seats: readonly SeatDefinition[] | null | undefined,
  listName: "seats" | "overrides",
  rowPath: FieldPath,
  range: RowShape["range"],
  context: ValidationContext,
): Map<number, number> {
  const defined = new Map<number, number>();
  if (seats == null) return defined;
  if (!Array.isArray(seats)) {
    context.problems.report([...rowPath, listName], `${listName} must be a list of seats, each with its number`);
    return defined;
  }
  seats.forEach((seat: SeatDefinition, index) => {
    checkSeatValues(seat, rowPath, listName, index, context);
    const number = seat?.number;
    if (!isWholeNumberIn(number, 1, MAX_SEAT_NUMBER)) return;
    const earlier = defined.get(number);
    if (range !== null && (number < range.first || number > range.last)) {
      const problem = `override for seat ${number} is not a seat of this row: its seats are ${range.first}–${range.last}`;
      context.problems.report([...rowPath, listName, index, "number"], problem);
    } else if (earlier !== undefined) {
      const fix = listName === "seats" ? "each seat number once in a row" : "merge them into one";
      const problem = `seat ${number} appears twice in ${listName} (also at ${listName}.${earlier}): ${fix}`;
      context.problems.report([...rowPath, listName, index, "number"], problem);
    } else {
      defined.set(number, index);
    }
  });
  return defined;
}

function checkAisles(row: RowDefinition, rowPath: FieldPath, shape: RowShape, context: ValidationContext) {
  const aisles = new Set<number>();
  const listed: unknown = row.aisleAfter;
  if (listed == null) return aisles;
  if (!Array.isArray(listed)) {
    context.problems.report([...rowPath, "aisleAfter"], "aisleAfter must be a list of seat numbers of the row");
    return aisles;
  }
  const seats = shape.range === null ? "the numbers listed in its seats" : `${shape.range.first}–${shape.range.last}`;
  listed.forEach((number: unknown, index) => {
    const path = [...rowPath, "aisleAfter", index];
    if (!isWholeNumberIn(number, 1, MAX_SEAT_NUMBER) || !hasSeat(shape, number)) {
      context.problems.report(path, `aisleAfter ${quote(number)} is not a seat of this row (its seats: ${seats})`);
    } else if (number === shape.last) {
      const problem = `aisleAfter ${number} is the row's last seat: an aisle runs between two seats of the row`;
      context.problems.report(path, problem);
    } else if (aisles.has(number)) {
      context.problems.report(path, `aisleAfter lists ${number} twice: list it once`);
    } else {
      aisles.add(number);
    }
  });
  return aisles;
}

/** Every seat needs a category, its own or the row's or the section's; marks the ones in use. */
function checkCategoryCoverage(
  row: RowDefinition,
  rowPath: FieldPath,
  section: SectionDefinition,
  shape: RowShape,
  context: ValidationContext,
): void {
  let ownCategories = 0;
  for (const index of shape.defined.values()) {
    const seat = shape.list[index]!;
    if (seat.category == null) continue;
    ownCategories++;
    context.categories.use(seat.category);
  }
  const seatCount = shape.range === null ? shape.defined.size : shape.range.last - shape.range.first + 1;
  if (ownCategories === seatCount) return;
  const fallback = row.category ?? section.category;
  if (fallback != null) {
    context.categories.use(fallback);
    return;
  }
  const withoutCategory = seatCount - ownCategories;
  const seats = `${examples(seatsWithoutCategory(shape, 3), withoutCategory)} of row ${quote(row.label)}`;
  const problem =
    `${withoutCategory === 1 ? `seat ${seats} has` : `seats ${seats} have`} no category: ` +
    `give the row or its section (${quote(section.key)}) a category, or each seat its own`;
  context.problems.report([...rowPath, "category"], problem);
}

/** Up to `wanted` seat numbers without a category of their own, without walking a huge range. */
function seatsWithoutCategory(shape: RowShape, wanted: number): number[] {
  const missing: number[] = [];
  const lacksCategory = (number: number) => seatAt(shape, number)?.category == null;
  if (shape.range === null) {
    const numbers = [...shape.defined.keys()].sort((a, b) => a - b);
    for (const number of numbers) if (missing.length < wanted && lacksCategory(number)) missing.push(number);
  } else {
    for (let number = shape.range.first; number <= shape.range.last && missing.length < wanted; number++) {
      if (lacksCategory(number)) missing.push(number);
    }
  }
  return missing;
}

/** A COMPANION seat sits next to a WHEELCHAIR seat of its run: the next number either side, no aisle between. */
function checkCompanions(rowPath: FieldPath, shape: RowShape, aisles: ReadonlySet<number>, context: ValidationContext) {
  // Only listed seats (a count row's overrides) can be wheelchair seats, and only seats of the row are listed.
  const isWheelchair = (number: number) => hasAccessibility(seatAt(shape, number), "WHEELCHAIR");
  for (const [number, index] of shape.defined) {
    const seat = shape.list[index]!;
    if (!hasAccessibility(seat, "COMPANION") || hasAccessibility(seat, "WHEELCHAIR")) continue;
    const besideLeft = !aisles.has(number - 1) && isWheelchair(number - 1);
    const besideRight = !aisles.has(number) && isWheelchair(number + 1);
    if (besideLeft || besideRight) continue;
    const problem =
      `seat ${number} is a COMPANION seat but sits next to no WHEELCHAIR seat: seat ${number - 1} or ` +
      `${number + 1} must be a WHEELCHAIR seat of the same run (no aisle or gap between)`;
    context.problems.report([...rowPath, shape.listName, index, "accessibility"], problem);
  }
}

/** A row whose seats cannot be told still counts its categories as used, so that they are not also called unused. */
function markReferencedCategories(row: RowDefinition, section: SectionDefinition, context: ValidationContext) {
  context.categories.use(row.category);
  context.categories.use(section.category);
  for (const seats of [row.seats, row.overrides]) {
    if (Array.isArray(seats)) for (const seat of seats as unknown[]) context.categories.use(categoryOf(seat));
  }
}

function categoryOf(seat: unknown): string | null {
  if (typeof seat !== "object" || seat === null || !("category" in seat)) return null;
  return typeof seat.category === "string" ? seat.category : null;
}
