/**
 * Seat naming: rows are lettered A…Z, AA, AB…AZ, BA… (bijective base 26, like spreadsheet columns) from the
 * front; seats are numbered 1…seatsPerRow from the left. A seat number is row label + seat ("A1", "C12", "AB3").
 */
export interface Layout {
  readonly rows: number;
  readonly seatsPerRow: number;
}

export interface SeatPosition {
  /** 0 = the front row. */
  readonly rowIndex: number;
  readonly rowLabel: string;
  /** 1-based, from the left. */
  readonly seatInRow: number;
}

export function rowLabel(rowIndex: number): string {
  if (!Number.isInteger(rowIndex) || rowIndex < 0) throw new RangeError(`Invalid row index ${rowIndex}`);
  let label = "";
  for (let n = rowIndex + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

export function rowIndexOf(label: string): number {
  let n = 0;
  for (const char of label) n = n * 26 + (char.charCodeAt(0) - 64);
  return n - 1;
}

export function rowLabels(rows: number): string[] {
  return Array.from({ length: rows }, (_, index) => rowLabel(index));
}

const SEAT_NUMBER = /^([A-Z]{1,4})([1-9][0-9]{0,5})$/;

/** Parses "AB3" into its position; null when the text is not a seat number at all. Case-insensitive. */
export function parseSeatNumber(text: string): SeatPosition | null {
  const match = SEAT_NUMBER.exec(text.trim().toUpperCase());
  if (!match) return null;
  const [, label, seat] = match as unknown as [string, string, string];
  return { rowLabel: label, rowIndex: rowIndexOf(label), seatInRow: Number(seat) };
}

export function seatNumber(rowIndex: number, seatInRow: number): string {
  return `${rowLabel(rowIndex)}${seatInRow}`;
}

export function isInLayout(position: SeatPosition, layout: Layout): boolean {
  return position.rowIndex < layout.rows && position.seatInRow >= 1 && position.seatInRow <= layout.seatsPerRow;
}
