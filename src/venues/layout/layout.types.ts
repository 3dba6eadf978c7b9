/**
 * A venue's layout as an admin defines it (categories, sections of rows of seats) and as it expands into seats.
 * Plain data: the GraphQL layer passes its input objects straight in, and shows materialise the expanded seats.
 */

/** What a seat offers beyond sitting: a space for a wheelchair, or the seat of the person accompanying one. */
export const ACCESSIBILITY = ["WHEELCHAIR", "COMPANION"] as const;
export type Accessibility = (typeof ACCESSIBILITY)[number];

/** A price band; `color` is "#RRGGBB". */
export interface CategoryDefinition {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

/** One seat of a row given seat by seat, or an override of some seats of a row given by count. */
export interface SeatDefinition {
  readonly number: number;
  readonly category?: string | null;
  readonly accessibility?: readonly Accessibility[] | null;
  readonly x?: number | null;
  readonly y?: number | null;
}

/** A row, given either by `count` (numbered firstNumber…firstNumber+count-1) or by explicit `seats`, never both. */
export interface RowDefinition {
  readonly label: string;
  readonly count?: number | null;
  /** Count form only; default 1. */
  readonly firstNumber?: number | null;
  /** A number missing between two seats is a gap of one seat width. */
  readonly seats?: readonly SeatDefinition[] | null;
  /** Where the row's first seat sits, in seat widths from the section's left; default 0. */
  readonly offset?: number | null;
  /** Seat numbers after which an aisle (one seat width) runs; seats of the row, never its last. */
  readonly aisleAfter?: readonly number[] | null;
  /** Default for the row's seats; else the section's. */
  readonly category?: string | null;
  /** Count form only: category, accessibility or position of some of the row's seats. */
  readonly overrides?: readonly SeatDefinition[] | null;
}

export interface SectionDefinition {
  readonly key: string;
  readonly label: string;
  /** Put before every seat number of the section ("C-" makes "C-B3"); default "". */
  readonly seatPrefix?: string | null;
  /** Default for the section's rows. */
  readonly category?: string | null;
  readonly x?: number | null;
  readonly y?: number | null;
  readonly rows: readonly RowDefinition[];
}

export interface LayoutDefinition {
  readonly categories: readonly CategoryDefinition[];
  readonly sections: readonly SectionDefinition[];
}

export interface LayoutLimits {
  readonly maxSeats: number;
  readonly maxSections: number;
  readonly maxRowsPerSection: number;
  readonly maxSeatsPerRow: number;
  readonly maxCategories: number;
}

export const DEFAULT_LAYOUT_LIMITS: LayoutLimits = Object.freeze({
  maxSeats: 100_000,
  maxSections: 50,
  maxRowsPerSection: 200,
  maxSeatsPerRow: 500,
  maxCategories: 20,
});

/** One seat of the expanded layout: what a show stores per seat. */
export interface LayoutSeat {
  /** 0… in layout order: sections in order, rows in order, seats by number ascending. */
  readonly ordinal: number;
  /** seatPrefix + row label + number, e.g. "A12" or "C-B3"; unique in the venue. */
  readonly seatNumber: string;
  readonly sectionKey: string;
  readonly rowLabel: string;
  /** 0… across the whole venue (every row of every section, in order). */
  readonly rowIndex: number;
  /** The seat's number within its row. */
  readonly seatInRow: number;
  /** 0… across the venue; a run is a maximal sequence of adjacent seats (consecutive numbers, no aisle between). */
  readonly runIndex: number;
  /** The seat's own category, else its row's, else its section's. */
  readonly categoryKey: string;
  /** Sorted, without duplicates; the seat's own array. */
  readonly accessibility: Accessibility[];
  /** In seat widths: explicit, else section x + row offset + the seat's slot (gaps and aisles count one each). */
  readonly x: number;
  /** In rows: explicit, else section y + the row's index within its section. */
  readonly y: number;
}

/** Seats side by side: `first` is the ordinal of its first seat, `length` how many follow on from it. */
export interface LayoutRun {
  readonly index: number;
  readonly sectionKey: string;
  readonly rowLabel: string;
  readonly rowIndex: number;
  readonly first: number;
  readonly length: number;
}

/** A section's seats: ordinals first…first+length-1. */
export interface LayoutSectionSeats {
  readonly key: string;
  readonly label: string;
  readonly first: number;
  readonly length: number;
}

export interface ExpandedLayout {
  readonly seats: LayoutSeat[];
  readonly runs: LayoutRun[];
  readonly sections: LayoutSectionSeats[];
  readonly categories: CategoryDefinition[];
}
