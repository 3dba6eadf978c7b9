import { type SeatStatus } from "../../domain/seat-change.js";

/** A seat as the live map is loaded with it (in layout order: front row first, left to right). */
export interface LoadedSeat {
  readonly id: string;
  readonly seatNumber: string;
  readonly rowLabel: string;
  readonly rowIndex: number;
  readonly seatInRow: number;
  readonly status: SeatStatus;
  readonly version: string;
  /** RFC 3339, null unless HELD. */
  readonly holdExpiresAt: string | null;
  readonly sectionKey: string;
  readonly runIndex: number;
  readonly categoryKey: string;
  /** Flags: 1 wheelchair space, 2 companion seat. */
  readonly accessibility: number;
  readonly x: number;
  readonly y: number;
}

/** A run: a block of adjacent seats in one row (an aisle, a gap or the row's end closes it), in layout order. */
export interface LayoutRun {
  /** The row's label. */
  readonly label: string;
  /** The row's index across the venue (0 = the first section's front row). */
  readonly index: number;
  readonly sectionKey: string;
  /** Position of the run's first seat in layout order; its seats follow. */
  readonly first: number;
  readonly length: number;
}

/**
 * What never changes about a show's seats, in layout order: their rows and runs, sections, categories,
 * accessibility and drawing positions. Kept with the live map (typed arrays, a few bytes a seat), so reads of
 * the static layout, per-category counts and allocation filters need no database.
 */
export class StaticLayout {
  readonly runs: readonly LayoutRun[];
  readonly sectionKeys: readonly string[];
  readonly categoryKeys: readonly string[];
  readonly sectionOf: Uint16Array;
  readonly categoryOf: Uint16Array;
  /** Accessibility flags (1 wheelchair, 2 companion). */
  readonly accessibility: Uint8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly runOf: Int32Array;
  /**
   * The runs in the order best available tries them: sections in layout order, rows front to back, and the runs of
   * one row nearest the section's centre first (a row split by aisles offers its middle block before its sides).
   */
  readonly allocationOrder: readonly number[];
  /** Per run: its section's centre, in seats from the run's first seat (see AllocationGrid.centreOf). */
  readonly sectionCentreInRun: Float64Array;

  constructor(seats: readonly LoadedSeat[]) {
    const size = seats.length;
    const sections = new Map<string, number>();
    const categories = new Map<string, number>();
    const indexIn = (keys: Map<string, number>, key: string) => {
      let index = keys.get(key);
      if (index === undefined) keys.set(key, (index = keys.size));
      return index;
    };
    this.sectionOf = new Uint16Array(size);
    this.categoryOf = new Uint16Array(size);
    this.accessibility = new Uint8Array(size);
    this.x = new Float64Array(size);
    this.y = new Float64Array(size);
    this.runOf = new Int32Array(size);
    const runs: LayoutRun[] = [];
    let runIndex = -1;
    seats.forEach((seat, i) => {
      this.sectionOf[i] = indexIn(sections, seat.sectionKey);
      this.categoryOf[i] = indexIn(categories, seat.categoryKey);
      this.accessibility[i] = seat.accessibility;
      this.x[i] = seat.x;
      this.y[i] = seat.y;
      const last = runs[runs.length - 1];
      if (last && runIndex === seat.runIndex) (last as { length: number }).length++;
      else {
        runIndex = seat.runIndex;
        runs.push({ label: seat.rowLabel, index: seat.rowIndex, sectionKey: seat.sectionKey, first: i, length: 1 });
      }
      this.runOf[i] = runs.length - 1;
    });
    this.runs = runs;
    this.sectionKeys = [...sections.keys()];
    this.categoryKeys = [...categories.keys()];
    // A section's centre: midway between its leftmost seat's left edge and its rightmost seat's right edge.
    const left = new Float64Array(sections.size).fill(Infinity);
    const right = new Float64Array(sections.size).fill(-Infinity);
    for (let i = 0; i < size; i++) {
      const section = this.sectionOf[i]!;
      left[section] = Math.min(left[section]!, this.x[i]!);
      right[section] = Math.max(right[section]!, this.x[i]! + 1);
    }
    this.sectionCentreInRun = Float64Array.from(runs, (run) => {
      const section = this.sectionOf[run.first]!;
      return (left[section]! + right[section]!) / 2 - this.x[run.first]!;
    });
    const offCentre = (r: number) => Math.abs(this.sectionCentreInRun[r]! - runs[r]!.length / 2);
    this.allocationOrder = runs
      .map((_, r) => r)
      .sort(
        (a, b) =>
          this.sectionOf[runs[a]!.first]! - this.sectionOf[runs[b]!.first]! ||
          runs[a]!.index - runs[b]!.index ||
          offCentre(a) - offCentre(b) ||
          a - b,
      );
  }
}
