import { MAX_SEAT_NUMBER, isWholeNumberIn } from "./layout-formats.js";
import {
  type Accessibility,
  DEFAULT_LAYOUT_LIMITS,
  type ExpandedLayout,
  type LayoutDefinition,
  type LayoutLimits,
  type LayoutRun,
  type LayoutSeat,
  type LayoutSectionSeats,
  type RowDefinition,
  type SeatDefinition,
  type SectionDefinition,
} from "./layout.types.js";

/**
 * The seats of a layout that validateLayout accepted, in layout order, with their runs and sections. It does not
 * repeat validation: it throws a RangeError only where it could not go on (a row with no or both forms, a number out
 * of range or twice in a row, a seat without a known category, more than `limits.maxSeats` seats, counted before
 * anything is allocated).
 */
export function expandLayout(
  layout: LayoutDefinition,
  limits: Pick<LayoutLimits, "maxSeats"> = DEFAULT_LAYOUT_LIMITS,
): ExpandedLayout {
  const total = countSeats(layout);
  if (total > limits.maxSeats) throw new RangeError(`The layout has ${total} seats; at most ${limits.maxSeats}`);
  const expansion = new Expansion(new Set(layout.categories.map((category) => category.key)));
  const sections: LayoutSectionSeats[] = [];
  for (const section of layout.sections) {
    const first = expansion.seats.length;
    section.rows.forEach((row, rowInSection) => expansion.addRow(section, row, rowInSection));
    sections.push({ key: section.key, label: section.label, first, length: expansion.seats.length - first });
  }
  const categories = layout.categories.map(({ key, label, color }) => ({ key, label, color }));
  return { seats: expansion.seats, runs: expansion.runs, sections, categories };
}

/** The layout's seat count from the rows' counts and list lengths alone, so that a huge count allocates nothing. */
function countSeats(layout: LayoutDefinition): number {
  let total = 0;
  for (const section of layout.sections) {
    for (const row of section.rows) {
      if ((row.count == null) === (row.seats == null)) {
        throw new RangeError(`Row ${row.label} of section ${section.key} needs exactly one of count and seats`);
      }
      total += row.count ?? row.seats!.length;
    }
  }
  return total;
}

/** Appends rows' seats and runs; plain loops and one object per seat, since a venue may have 100,000 seats. */
class Expansion {
  readonly seats: LayoutSeat[] = [];
  readonly runs: LayoutRun[] = [];
  private rowIndex = 0;

  constructor(private readonly categoryKeys: ReadonlySet<string>) {}

  addRow(section: SectionDefinition, row: RowDefinition, rowInSection: number): void {
    const cursor =
      row.count != null
        ? this.addCountedSeats(section, row, rowInSection, row.count)
        : this.addListedSeats(section, row, rowInSection, row.seats!);
    this.closeRun(cursor);
    this.rowIndex++;
  }

  private addCountedSeats(section: SectionDefinition, row: RowDefinition, rowInSection: number, count: number) {
    const first = row.firstNumber ?? 1;
    if (!isWholeNumberIn(count, 1, MAX_SEAT_NUMBER) || !isWholeNumberIn(first, 1, MAX_SEAT_NUMBER)) {
      throw new RangeError(`Row ${row.label} of section ${section.key}: ${count} seats from ${first}`);
    }
    const last = first + count - 1;
    checkSeatNumber(last, row, section);
    const overrides = row.overrides?.length ? bySeatNumber(row.overrides) : null;
    const cursor = new RowCursor(section, row, rowInSection, first, this.categoryKeys);
    for (let number = first; number <= last; number++) this.addSeat(cursor, number, overrides?.get(number) ?? null);
    return cursor;
  }

  private addListedSeats(
    section: SectionDefinition,
    row: RowDefinition,
    rowInSection: number,
    listed: readonly SeatDefinition[],
  ) {
    const seats = [...listed].sort((a, b) => a.number - b.number);
    const cursor = new RowCursor(section, row, rowInSection, seats[0]?.number ?? 1, this.categoryKeys);
    for (let index = 0; index < seats.length; index++) {
      const seat = seats[index]!;
      checkSeatNumber(seat.number, row, section);
      if (index > 0 && seat.number === seats[index - 1]!.number) {
        throw new RangeError(`Row ${row.label} of section ${section.key} has seat ${seat.number} twice`);
      }
      this.addSeat(cursor, seat.number, seat);
    }
    return cursor;
  }

  private addSeat(row: RowCursor, number: number, seat: SeatDefinition | null): void {
    const categoryKey = seat?.category ?? row.fallbackCategory;
    // The row's fallback is looked up once per row, not once per seat.
    const known = categoryKey === row.fallbackCategory ? row.fallbackIsKnown : this.categoryKeys.has(categoryKey!);
    if (categoryKey == null || !known) {
      throw new RangeError(`Seat ${row.stem}${number} has no category of the layout (${categoryKey})`);
    }
    if (number !== row.previous + 1 || row.aisleBefore) {
      this.closeRun(row);
      row.runStart = this.seats.length;
    }
    this.seats.push({
      ordinal: this.seats.length,
      seatNumber: row.stem + number,
      sectionKey: row.sectionKey,
      rowLabel: row.label,
      rowIndex: this.rowIndex,
      seatInRow: number,
      runIndex: this.runs.length,
      categoryKey,
      accessibility: accessibilityOf(seat),
      x: seat?.x ?? row.x + number - row.first + row.aislesPassed,
      y: seat?.y ?? row.y,
    });
    row.aisleBefore = row.aisles !== null && row.aisles.has(number);
    if (row.aisleBefore) row.aislesPassed++;
    row.previous = number;
  }

  /** The run that ends here (at the row's end, an aisle, or a gap), if one has begun. */
  private closeRun(row: RowCursor): void {
    if (row.runStart < 0) return;
    const { sectionKey, label: rowLabel } = row;
    const length = this.seats.length - row.runStart;
    this.runs.push({
      index: this.runs.length,
      sectionKey,
      rowLabel,
      rowIndex: this.rowIndex,
      first: row.runStart,
      length,
    });
    row.runStart = -1;
  }
}

/** Where the expansion is in a row: what its seats share, and where the current run and slot are. */
class RowCursor {
  readonly stem: string;
  readonly sectionKey: string;
  readonly label: string;
  readonly fallbackCategory: string | null;
  readonly fallbackIsKnown: boolean;
  readonly x: number;
  readonly y: number;
  readonly aisles: ReadonlySet<number> | null;
  /** No seat yet: no number follows on from it. */
  previous = Number.NaN;
  runStart = -1;
  aisleBefore = false;
  aislesPassed = 0;

  /** `first` is the row's lowest seat number: slots count from it. */
  constructor(
    section: SectionDefinition,
    row: RowDefinition,
    rowInSection: number,
    readonly first: number,
    categoryKeys: ReadonlySet<string>,
  ) {
    this.stem = `${section.seatPrefix ?? ""}${row.label}`.toUpperCase();
    this.sectionKey = section.key;
    this.label = row.label;
    this.fallbackCategory = row.category ?? section.category ?? null;
    this.fallbackIsKnown = this.fallbackCategory !== null && categoryKeys.has(this.fallbackCategory);
    this.x = (section.x ?? 0) + (row.offset ?? 0);
    this.y = (section.y ?? 0) + rowInSection;
    this.aisles = row.aisleAfter?.length ? new Set(row.aisleAfter) : null;
  }
}

function bySeatNumber(seats: readonly SeatDefinition[]): Map<number, SeatDefinition> {
  const byNumber = new Map<number, SeatDefinition>();
  for (const seat of seats) byNumber.set(seat.number, seat);
  return byNumber;
}

function checkSeatNumber(number: number, row: RowDefinition, section: SectionDefinition): void {
  if (!isWholeNumberIn(number, 1, MAX_SEAT_NUMBER)) {
    throw new RangeError(`Row ${row.label} of section ${section.key} has seat number ${number}; 1–${MAX_SEAT_NUMBER}`);
  }
}

/** The seat's own sorted, duplicate-free copy: callers may keep or change it. */
function accessibilityOf(seat: SeatDefinition | null): Accessibility[] {
  const values = seat?.accessibility;
  if (values == null || values.length === 0) return [];
  if (values.length === 1) return [values[0]!];
  return [...new Set(values)].sort();
}
