import { MAX_SEAT_NUMBER, MAX_SEAT_NUMBER_LENGTH, quote } from "./layout-formats.js";
import { type CheckedRow } from "./validate-row.js";
import { type FieldPath, type ProblemCollector } from "./validation-context.js";

/** Where a seat is: a row of the list and the seat's number, packed into one number so a seat costs no object. */
const ROW_SCALE = MAX_SEAT_NUMBER + 1;

interface Clash {
  readonly seatNumber: string;
  readonly earlier: number;
  readonly later: number;
  count: number;
}

/**
 * Every seat number (seatPrefix + row label + number) must be unique across the venue; "A" + "12" and "A1" + "2"
 * collide, and so do two sections without prefixes that both have a row "A". One problem per pair of clashing rows,
 * however many of their seats clash. Expects the venue's total already checked: it may walk every seat.
 */
export function checkVenueSeatNumbers(rows: readonly CheckedRow[], problems: ProblemCollector): void {
  const owners = new Map<string, number>();
  const clashes = new Map<number, Clash>();
  for (const rowIndex of rowsThatMayClash(rows)) {
    const { stem, shape } = rows[rowIndex]!;
    const claim = (number: number) => {
      const seatNumber = stem! + number;
      const owner = owners.get(seatNumber);
      const seat = rowIndex * ROW_SCALE + number;
      if (owner === undefined) owners.set(seatNumber, seat);
      else recordClash(clashes, seatNumber, owner, seat, rows.length);
    };
    if (shape!.range === null) for (const number of shape!.defined.keys()) claim(number);
    else for (let number = shape!.range.first; number <= shape!.range.last; number++) claim(number);
  }
  for (const clash of clashes.values()) reportClash(clash, rows, problems);
}

const SEAT_DIGITS = /^[1-9][0-9]*$/;

/**
 * The rows (in order) whose seat numbers could meet another row's: those sharing a stem, and those whose stem is
 * another's plus digits that could start a seat number ("A1" and "A"). Two other stems differ before the digits of
 * any seat number begin, so only these rows need their seats walked; in most venues that is none of them.
 */
function rowsThatMayClash(rows: readonly CheckedRow[]): number[] {
  const rowsByStem = new Map<string, number[]>();
  rows.forEach(({ stem, shape }, rowIndex) => {
    // A stem past the length limit is reported with its section, and would only make long keys here.
    if (stem === null || shape === null || stem.length > MAX_SEAT_NUMBER_LENGTH) return;
    const sharing = rowsByStem.get(stem);
    if (sharing === undefined) rowsByStem.set(stem, [rowIndex]);
    else sharing.push(rowIndex);
  });
  const mayClash = new Set<number>();
  for (const [stem, sharing] of rowsByStem) {
    if (sharing.length > 1) for (const rowIndex of sharing) mayClash.add(rowIndex);
    for (let cut = 1; cut < stem.length; cut++) {
      const shorter = rowsByStem.get(stem.slice(0, cut));
      if (shorter === undefined || !SEAT_DIGITS.test(stem.slice(cut))) continue;
      for (const rowIndex of [...sharing, ...shorter]) mayClash.add(rowIndex);
    }
  }
  return [...mayClash].sort((a, b) => a - b);
}

function recordClash(clashes: Map<number, Clash>, seatNumber: string, earlier: number, later: number, rows: number) {
  const pair = Math.floor(earlier / ROW_SCALE) * rows + Math.floor(later / ROW_SCALE);
  const clash = clashes.get(pair);
  if (clash === undefined) clashes.set(pair, { seatNumber, earlier, later, count: 1 });
  else clash.count++;
}

function reportClash(clash: Clash, rows: readonly CheckedRow[], problems: ProblemCollector): void {
  const [earlierRow, earlierNumber] = [Math.floor(clash.earlier / ROW_SCALE), clash.earlier % ROW_SCALE];
  const [laterRow, laterNumber] = [Math.floor(clash.later / ROW_SCALE), clash.later % ROW_SCALE];
  const more = clash.count > 1 ? ` (and ${clash.count - 1} more)` : "";
  const fix =
    rows[earlierRow]!.sectionIndex === rows[laterRow]!.sectionIndex
      ? "rename one of the rows (a row label ending in a digit runs into the seat numbers of another row)"
      : `give the sections seatPrefix values that set their seat numbers apart (e.g. "L-" and "R-")`;
  const problem =
    `seat number ${quote(clash.seatNumber)}${more} would be given twice: to seat ${earlierNumber} at ` +
    `${problems.describe(seatPath(rows[earlierRow]!, earlierNumber))} and to seat ${laterNumber} at ` +
    `${problems.describe(seatPath(rows[laterRow]!, laterNumber))}. Seat numbers must be unique across the venue: ${fix}`;
  problems.report(seatPath(rows[laterRow]!, laterNumber), problem);
}

/** The seat's own entry when the row lists its seats; else the row, whose count makes it. */
function seatPath(row: CheckedRow, number: number): FieldPath {
  const index = row.shape?.range === null ? row.shape.defined.get(number) : undefined;
  return index === undefined ? row.path : [...row.path, "seats", index];
}
