/** A show's seats as the allocator sees them: rows front (0) to back, seats left (0) to right within a row. */
export interface AllocationGrid {
  readonly rowCount: number;
  /** Rows may differ in length. */
  seatsInRow(rowIndex: number): number;
  /** Claimable and not promised to another picker. */
  isFree(rowIndex: number, seatIndex: number): boolean;
  /**
   * Optional: at most how many seats of the row are free (an upper bound is enough, e.g. the row's available seats
   * counting those promised to other pickers). When a grid knows it cheaply, rows that cannot hold the quantity are
   * skipped without reading their seats: in a hall sold from the front, most of them.
   */
  freeSeatsInRow?(rowIndex: number): number;
  /**
   * Optional: where the centre a block should be nearest lies, in seats from the row's left edge (seat k spans k to
   * k + 1). A row that is one run of a longer row split by aisles aims at its section's centre, which may lie beyond
   * its ends; by default, the row's own centre (length / 2).
   */
  centreOf?(rowIndex: number): number;
}

export interface SeatPick {
  readonly rowIndex: number;
  readonly seatIndex: number;
}

export interface Allocation {
  /** Front to back, left to right. */
  readonly seats: readonly SeatPick[];
  /** Whether the seats are one block of adjacent seats in one row. */
  readonly adjacent: boolean;
}
