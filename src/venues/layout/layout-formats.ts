/**
 * The formats and bounds of a layout's single values. Each check returns why a value breaks its rule, saying what is
 * allowed, or null when the value is fine; `what` names the value in the message.
 */

export const MAX_SEAT_NUMBER = 9999;
export const MAX_COORDINATE = 100_000;
export const MAX_ROW_OFFSET = 1000;
export const MAX_LABEL_LENGTH = 60;
export const MAX_SEAT_NUMBER_LENGTH = 24;

const KEY = /^[A-Z][A-Z0-9_]{0,31}$/;
const COLOR = /^#[0-9A-Fa-f]{6}$/;
const ROW_LABEL = /^[A-Z0-9]{1,4}$/;
const SEAT_PREFIX = /^[A-Z0-9-]{0,6}$/;
// Same range as the GraphQL inputs refuse: PostgreSQL cannot store NUL, and the others have no place in a label.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** A value for a message: quoted, and cut short so that a hostile megabyte string does not make a megabyte message. */
export function quote(value: unknown): string {
  if (typeof value !== "string") return typeof value === "number" ? String(value) : `a ${kindOf(value)}`;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "list" : typeof value;
}

export function keyProblem(value: unknown, what: string): string | null {
  if (typeof value === "string" && KEY.test(value)) return null;
  return (
    `${what} ${quote(value)} is not a valid key: use 1–32 characters, an upper-case letter A–Z first, ` +
    `then upper-case letters, digits or "_" (e.g. "STALLS_LEFT")`
  );
}

export function labelProblem(value: unknown, what: string): string | null {
  if (typeof value !== "string") return `${what} must be text of 1–${MAX_LABEL_LENGTH} characters, not ${quote(value)}`;
  if (value.trim() === "") return `${what} must not be blank: give 1–${MAX_LABEL_LENGTH} characters`;
  // Characters as people count them (code points), not UTF-16 units; a long string is refused before it is split.
  if (value.length > MAX_LABEL_LENGTH * 2 || Array.from(value).length > MAX_LABEL_LENGTH) {
    return `${what} ${quote(value)} is too long: at most ${MAX_LABEL_LENGTH} characters`;
  }
  if (CONTROL_CHARACTER.test(value)) return `${what} ${quote(value)} must not contain control characters`;
  return null;
}

export function colorProblem(value: unknown, what: string): string | null {
  if (typeof value === "string" && COLOR.test(value)) return null;
  return `${what} ${quote(value)} is not a colour: write it as "#RRGGBB", six hexadecimal digits (e.g. "#4F7CAC")`;
}

export function rowLabelProblem(value: unknown): string | null {
  if (typeof value === "string" && ROW_LABEL.test(value)) return null;
  const allowed = `1–4 upper-case letters A–Z or digits (e.g. "A", "AB", "12")`;
  if (typeof value === "string" && ROW_LABEL.test(value.toUpperCase())) {
    return `row label ${quote(value)} must be upper-case (${quote(value.toUpperCase())}): ${allowed}`;
  }
  return `row label ${quote(value)} is not valid: use ${allowed}`;
}

export function seatPrefixProblem(value: unknown): string | null {
  if (typeof value === "string" && SEAT_PREFIX.test(value)) return null;
  const upperCase = typeof value === "string" && SEAT_PREFIX.test(value.toUpperCase()) ? " (upper-case only)" : "";
  return `seatPrefix ${quote(value)} is not valid: use at most 6 upper-case letters A–Z, digits or "-"${upperCase} (e.g. "L-")`;
}

export function seatNumberProblem(value: unknown, what: string): string | null {
  if (isWholeNumberIn(value, 1, MAX_SEAT_NUMBER)) return null;
  return `${what} ${quote(value)} is not a seat number: use a whole number from 1 to ${MAX_SEAT_NUMBER}`;
}

export function coordinateProblem(value: unknown, what: string): string | null {
  if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_COORDINATE) return null;
  return `${what} ${quote(value)} is not a position: use a number from -${MAX_COORDINATE} to ${MAX_COORDINATE}`;
}

export function offsetProblem(value: unknown): string | null {
  // Fractions are allowed: staggered rows commonly start half a seat further right.
  if (typeof value === "number" && value >= 0 && value <= MAX_ROW_OFFSET) return null;
  return `offset ${quote(value)} is not valid: use a number of seat widths from 0 to ${MAX_ROW_OFFSET}`;
}

export function isWholeNumberIn(value: unknown, least: number, most: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= least && value <= most;
}

/** "1, 2, 3 and 7 more": a few examples of a list whose size is known. */
export function examples(values: readonly (string | number)[], total: number): string {
  const shown = values.join(", ");
  return total > values.length ? `${shown} and ${total - values.length} more` : shown;
}
