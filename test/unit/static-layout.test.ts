import { allocateBest, type AllocationGrid } from "../../src/bookings/allocation";
import { SeatStatus } from "../../src/domain/seat-change";
import { type LoadedSeat, StaticLayout } from "../../src/seats/live/static-layout";

/** One section: row A split by two aisles into runs of 4, 6 and 4 seats (x 0–3, 5–10, 12–15), row B one run of 16. */
function hall(): LoadedSeat[] {
  const seat = (row: number, n: number, x: number, run: number): LoadedSeat => ({
    id: `${row}-${n}`,
    seatNumber: `${"AB"[row]}${n}`,
    rowLabel: "AB"[row]!,
    rowIndex: row,
    seatInRow: n,
    status: SeatStatus.AVAILABLE,
    version: "1",
    holdExpiresAt: null,
    sectionKey: "STALLS",
    runIndex: run,
    categoryKey: "STANDARD",
    accessibility: 0,
    x,
    y: row,
  });
  const rowA = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15].map((x, k) =>
    seat(0, k + 1, x, x < 4 ? 0 : x < 11 ? 1 : 2),
  );
  const rowB = Array.from({ length: 16 }, (_, k) => seat(1, k + 1, k, 3));
  return [...rowA, ...rowB];
}

describe("StaticLayout", () => {
  it("offers a row's runs nearest the section's centre first, rows front to back", () => {
    const layout = new StaticLayout(hall());
    expect(layout.runs.map((run) => [run.label, run.first, run.length])).toEqual([
      ["A", 0, 4],
      ["A", 4, 6],
      ["A", 10, 4],
      ["B", 14, 16],
    ]);
    // The section spans x 0–16: its centre, 8, lies 3 seats into the middle run, 8 past the left run's start.
    expect([...layout.sectionCentreInRun]).toEqual([8, 3, -4, 8]);
    expect(layout.allocationOrder).toEqual([1, 0, 2, 3]);
  });

  it("lets best available aim a run's block at the section's centre", () => {
    const layout = new StaticLayout(hall());
    const order = layout.allocationOrder;
    const grid: AllocationGrid = {
      rowCount: order.length,
      seatsInRow: (row) => layout.runs[order[row]!]!.length,
      isFree: () => true,
      centreOf: (row) => layout.sectionCentreInRun[order[row]!]!,
    };
    // A pair in the middle run (x 5–10) nearest x 8: x 7–8, the run's seats 2 and 3 (its own centre would give 2–3 too;
    // a pair in the left run, were it first, would hug the aisle).
    expect(allocateBest(grid, 2)).toEqual({
      seats: [
        { rowIndex: 0, seatIndex: 2 },
        { rowIndex: 0, seatIndex: 3 },
      ],
      adjacent: true,
    });
    const left: AllocationGrid = {
      ...grid,
      rowCount: 1,
      seatsInRow: () => 4,
      centreOf: () => layout.sectionCentreInRun[0]!,
    };
    expect(allocateBest(left, 2)!.seats.map((seat) => seat.seatIndex)).toEqual([2, 3]);
  });
});
