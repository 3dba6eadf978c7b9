import { seatMapChanges, SeatStatus } from "../../src/domain/seat-change";

describe("seatMapChanges", () => {
  it("groups one statement's seat changes by show, each with its highest version", () => {
    const changes = seatMapChanges([
      { showId: "s1", seatNumber: "A1", status: SeatStatus.HELD, version: "9" },
      { showId: "s2", seatNumber: "B2", status: SeatStatus.AVAILABLE, version: "11" },
      { showId: "s1", seatNumber: "A2", status: SeatStatus.HELD, version: "10" },
    ]);
    expect(changes).toEqual([
      {
        showId: "s1",
        version: "10",
        seats: [
          { seatNumber: "A1", status: "held", version: "9" },
          { seatNumber: "A2", status: "held", version: "10" },
        ],
      },
      { showId: "s2", version: "11", seats: [{ seatNumber: "B2", status: "available", version: "11" }] },
    ]);
  });

  it("compares versions as numbers, not text", () => {
    const [change] = seatMapChanges([
      { showId: "s", seatNumber: "A1", status: SeatStatus.BOOKED, version: "99" },
      { showId: "s", seatNumber: "A2", status: SeatStatus.BOOKED, version: "100" },
    ]);
    expect(change!.version).toBe("100");
  });
});
