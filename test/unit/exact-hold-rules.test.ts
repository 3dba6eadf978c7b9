import { SeatStatus } from "../../src/domain/seat-change";
import { checkExactHold } from "../../src/seats/live/exact-hold-rules";
import { type LoadedSeat, LiveSeatMap } from "../../src/seats/live/live-seat-map";

/**
 * One row "A": seats 1–2 a wheelchair space and its companion, 3–5, an aisle, then 6–8 (runs 0 and 1); B1 booked
 * where given.
 */
function row(taken: number[] = []): LiveSeatMap {
  const seats: LoadedSeat[] = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
    id: String(n),
    seatNumber: `A${n}`,
    rowLabel: "A",
    rowIndex: 0,
    seatInRow: n,
    status: taken.includes(n) ? SeatStatus.BOOKED : SeatStatus.AVAILABLE,
    version: "1",
    holdExpiresAt: null,
    sectionKey: "STALLS",
    runIndex: n <= 5 ? 0 : 1,
    categoryKey: n <= 2 ? "ACCESSIBLE" : "PREMIUM",
    accessibility: n === 1 ? 1 : n === 2 ? 2 : 0,
    x: n <= 5 ? n - 1 : n,
    y: 0,
  }));
  return new LiveSeatMap("show", seats, "1:1:");
}

const check = (map: LiveSeatMap, seats: string[], noOrphanSeats = true) =>
  checkExactHold(map, seats, noOrphanSeats, Date.now());

describe("checkExactHold", () => {
  it("names seats the show does not have", () => {
    expect(check(row(), ["A3", "A9", "B1"])).toEqual({
      code: "NOT_FOUND",
      message: "This show has no seat A9, B1.",
      field: ["input", "seatNumbers"],
      seatNumbers: ["A9", "B1"],
    });
  });

  it("refuses a companion seat without a wheelchair space, and takes the two together", () => {
    expect(check(row(), ["A2"])).toMatchObject({ code: "COMPANION_REQUIRES_ACCESSIBLE", seatNumbers: ["A2"] });
    expect(check(row(), ["A2", "A3"])).toMatchObject({ code: "COMPANION_REQUIRES_ACCESSIBLE" });
    expect(check(row(), ["A1", "A2"])).toBeNull();
  });

  it("refuses a hold that leaves one free seat alone in its run, listing it; the row's end and an aisle close a run", () => {
    // A3 sold: taking A5 leaves A4 between them.
    expect(check(row([3]), ["A5"])).toMatchObject({ code: "ORPHAN_SEAT", seatNumbers: ["A4"] });
    // Taking A7 leaves A6 beside the aisle and A8 at the row's end, each alone.
    expect(check(row(), ["A7"])).toMatchObject({ code: "ORPHAN_SEAT", seatNumbers: ["A6", "A8"] });
    expect(check(row(), ["A6", "A7"])).toMatchObject({ code: "ORPHAN_SEAT", seatNumbers: ["A8"] });
    expect(check(row(), ["A6", "A7", "A8"])).toBeNull();
    // Seats across the aisle are not neighbours: taking A5 strands nothing on the other side.
    expect(check(row(), ["A4", "A5"])).toBeNull();
  });

  it("counts sold seats as taken, and allows orphans when the show does", () => {
    expect(check(row([8]), ["A6"])).toMatchObject({ code: "ORPHAN_SEAT", seatNumbers: ["A7"] });
    expect(check(row([4]), ["A3"])).toBeNull();
    expect(check(row([3]), ["A5"], false)).toBeNull();
  });
});
