import { type AllocationGrid, allocateBest } from "../../src/bookings/allocation";

/** A hall drawn one row per string, front row first: `.` a free seat, `x` a seat that is not. */
function hall(...rows: string[]): AllocationGrid {
  return {
    rowCount: rows.length,
    seatsInRow: (row) => rows[row]!.length,
    isFree: (row, seat) => rows[row]![seat] === ".",
  };
}

/** The allocation drawn like the hall: `#` for the picked seats, rows without picks left out. */
function picked(grid: AllocationGrid, quantity: number): { rows: Record<number, string>; adjacent: boolean } | null {
  const allocation = allocateBest(grid, quantity);
  if (!allocation) return null;
  const rows: Record<number, string> = {};
  for (const { rowIndex, seatIndex } of allocation.seats) {
    const row =
      rows[rowIndex] ??
      ".".repeat(grid.seatsInRow(rowIndex)).replace(/./g, (_, i: number) => {
        return grid.isFree(rowIndex, i) ? "." : "x";
      });
    rows[rowIndex] = row.slice(0, seatIndex) + "#" + row.slice(seatIndex + 1);
  }
  return { rows, adjacent: allocation.adjacent };
}

describe("allocateBest: an adjacent block first (rule 1)", () => {
  it("takes a block in the frontmost row that has one, even when a row behind it has a better one", () => {
    expect(picked(hall("x.x.x.x.", "...xxxxx", "........"), 3)).toEqual({ rows: { 1: "###xxxxx" }, adjacent: true });
  });

  it("skips rows too short for the quantity; rows may differ in length", () => {
    expect(picked(hall("...", "......"), 4)).toEqual({ rows: { 1: "####.." }, adjacent: true });
    expect(picked(hall("", "..", "....."), 2)).toEqual({ rows: { 1: "##" }, adjacent: true });
  });

  it("never strands a single seat when a block that strands none exists: 4 of an empty 6-seat row", () => {
    // 0–3 and 2–5 are equally near the centre (1–4 is nearer, but strands seats 0 and 5): the leftmost.
    expect(picked(hall("......"), 4)).toEqual({ rows: { 0: "####.." }, adjacent: true });
  });

  it("takes the block nearest the row's centre among those that strand nobody", () => {
    expect(picked(hall(".........."), 2)).toEqual({ rows: { 0: "....##...." }, adjacent: true });
    expect(picked(hall("........."), 3)).toEqual({ rows: { 0: "...###..." }, adjacent: true });
    // The centre block 3–5 would leave seat 6 alone between it and the taken seat 7.
    expect(picked(hall("..x....x.."), 3)).toEqual({ rows: { 0: "..x###.x.." }, adjacent: true });
  });

  it("weighs nearness to the row's centre, not to the centre of the free run", () => {
    // The row's centre is seat 6; the free run's centre is seat 7.5.
    expect(picked(hall("xxx.........."), 1)).toEqual({ rows: { 0: "xxx...#......" }, adjacent: true });
  });

  it("leaves runs the same quantity can fill: pairs one seat off the middle of an even row", () => {
    // Of a 10-seat row the middle pair (4–5) leaves 4 and 4 free: fine. Of a 14-seat row the middle pair (6–7)
    // leaves 6 and 6; of a 12-seat row it (5–6) leaves 5 and 5, each ending in a single seat, so 4–5 it is.
    expect(picked(hall(".........."), 2)).toEqual({ rows: { 0: "....##...." }, adjacent: true });
    expect(picked(hall("............"), 2)).toEqual({ rows: { 0: "....##......" }, adjacent: true });
    // Three of an empty 12-seat row: 4–6 leaves 4 and 5; 3–5 leaves 3 and 6, both multiples of three.
    expect(picked(hall("............"), 3)).toEqual({ rows: { 0: "...###......" }, adjacent: true });
  });

  it("goes off-centre to avoid an orphan: 2 of a row free at seats 0–4", () => {
    // Taking 1–2 or 2–3 (nearest the centre) strands seat 0 or 4; taking 0–1 or 3–4 leaves a run of three.
    expect(picked(hall("....."), 2)).toEqual({ rows: { 0: "##..." }, adjacent: true });
  });

  it("takes the fewest orphans when every block creates one, then the nearest the centre", () => {
    // Any pair of three free seats strands the third.
    expect(picked(hall("x...x"), 2)).toEqual({ rows: { 0: "x##.x" }, adjacent: true });
    // Every pair strands one seat here: the one nearest the centre.
    expect(picked(hall("...x...xxx"), 2)).toEqual({ rows: { 0: "...x##.xxx" }, adjacent: true });
    // Seats 2–3 and 3–4 are nearest the centre but strand seat 1 or 5; 1–2 and 4–5 strand none: the leftmost.
    expect(picked(hall("x.....x"), 2)).toEqual({ rows: { 0: "x##...x" }, adjacent: true });
    // Seat 0 was alone already: it does not count against taking 2–4, as near the centre as 6–8.
    expect(picked(hall(".x...x....."), 3)).toEqual({ rows: { 0: ".x###x....." }, adjacent: true });
  });

  it("lets no nearness to the centre outweigh an orphan", () => {
    // Seat 4 is the centre but strands seat 3; seat 5 strands nobody.
    expect(picked(hall("xx....xxx"), 1)).toEqual({ rows: { 0: "xx...#xxx" }, adjacent: true });
    expect(picked(hall("x.....xx"), 2)).toEqual({ rows: { 0: "x...##xx" }, adjacent: true });
    // Both pairs of the centre run strand a seat; the far ends of the row strand none.
    expect(picked(hall("....x...x...."), 2)).toEqual({ rows: { 0: "..##x...x...." }, adjacent: true });
  });

  it("counts a block of exactly one run as stranding nobody", () => {
    expect(picked(hall("x.x..x...."), 2)).toEqual({ rows: { 0: "x.x##x...." }, adjacent: true });
  });

  it("treats a single seat as a block", () => {
    expect(picked(hall("xxxx", "x..x"), 1)).toEqual({ rows: { 1: "x#.x" }, adjacent: true });
    // Seat 3 is the centre and strands nobody (seat 1 was alone already).
    expect(picked(hall("x.x...x"), 1)).toEqual({ rows: { 0: "x.x#..x" }, adjacent: true });
    expect(picked(hall("x.x.x..x"), 1)).toEqual({ rows: { 0: "x.x#x..x" }, adjacent: true });
  });

  it("returns the block's seats left to right", () => {
    expect(allocateBest(hall("xx....xx"), 4)).toEqual({
      seats: [2, 3, 4, 5].map((seatIndex) => ({ rowIndex: 0, seatIndex })),
      adjacent: true,
    });
  });
});

describe("allocateBest: rows the grid counts", () => {
  it("reads no seat of a row that has too few free seats for the quantity", () => {
    const rows = [
      { free: 0, seats: "xxxxxx" },
      { free: 1, seats: "xx.xxx" },
      { free: 4, seats: "x.x..." },
    ];
    const rowsRead = new Set<number>();
    const grid: AllocationGrid = {
      rowCount: rows.length,
      seatsInRow: (row) => rows[row]!.seats.length,
      freeSeatsInRow: (row) => rows[row]!.free,
      isFree: (row, seat) => rowsRead.add(row) && rows[row]!.seats[seat] === ".",
    };
    expect(allocateBest(grid, 2)?.seats).toEqual([
      { rowIndex: 2, seatIndex: 3 },
      { rowIndex: 2, seatIndex: 4 },
    ]);
    expect([...rowsRead]).toEqual([2]);

    rowsRead.clear();
    expect(allocateBest(grid, 4)).toEqual({
      seats: [
        { rowIndex: 1, seatIndex: 2 },
        { rowIndex: 2, seatIndex: 1 },
        { rowIndex: 2, seatIndex: 3 },
        { rowIndex: 2, seatIndex: 4 },
      ],
      adjacent: false,
    });
    expect([...rowsRead].sort()).toEqual([1, 2]);
  });
});

describe("allocateBest: scattered seats when no row has a block (rule 2)", () => {
  it("takes the free seats nearest the front-centre, row by row", () => {
    expect(picked(hall(".x.x.x.", "x.x.x.x", ".x.x.x."), 5)).toEqual({
      rows: { 0: "#x#x#x#", 1: "x.x#x.x" },
      adjacent: false,
    });
  });

  it("prefers the left of two seats equally near the centre", () => {
    expect(picked(hall(".x.x.x."), 3)).toEqual({ rows: { 0: "#x#x#x." }, adjacent: false });
    expect(picked(hall("x.x.x.x."), 2)).toEqual({ rows: { 0: "x.x#x#x." }, adjacent: false });
  });

  it("uses every free seat when exactly enough are free", () => {
    expect(allocateBest(hall("x.x", ".x.", "x.x"), 4)).toEqual({
      seats: [
        { rowIndex: 0, seatIndex: 1 },
        { rowIndex: 1, seatIndex: 0 },
        { rowIndex: 1, seatIndex: 2 },
        { rowIndex: 2, seatIndex: 1 },
      ],
      adjacent: false,
    });
    expect(picked(hall("x.x", ".x.", ".x."), 5)).toEqual({ rows: { 0: "x#x", 1: "#x#", 2: "#x#" }, adjacent: false });
  });
});

describe("allocateBest: not enough free seats (rule 3)", () => {
  it("answers null when fewer seats than the quantity are free", () => {
    expect(allocateBest(hall("x.x", ".xx"), 3)).toBeNull();
    expect(allocateBest(hall("xxx"), 1)).toBeNull();
    expect(allocateBest(hall(), 1)).toBeNull();
    expect(allocateBest(hall("", ""), 2)).toBeNull();
  });

  it("rejects a quantity that is not a positive integer", () => {
    expect(() => allocateBest(hall("...."), 0)).toThrow(RangeError);
    expect(() => allocateBest(hall("...."), 1.5)).toThrow(RangeError);
  });
});
