import { seatMapChanges, SeatStatus } from "../../src/domain/seat-change";

describe("seatMapChanges", () => {
  it("groups one statement's seat changes by show, each with its highest version", () => {
    const changes = seatMapChanges([
      { showId: "s1", id: "9", seatNumber: "A1", status: SeatStatus.HELD, version: "9", holdExpiresAt: null },
      { showId: "s2", id: "11", seatNumber: "B2", status: SeatStatus.AVAILABLE, version: "11", holdExpiresAt: null },
      { showId: "s1", id: "10", seatNumber: "A2", status: SeatStatus.HELD, version: "10", holdExpiresAt: null },
    ]);
    expect(changes).toEqual([
      {
        showId: "s1",
        version: "10",
        seats: [
          { id: "9", seatNumber: "A1", status: "held", version: "9", holdExpiresAt: null },
          { id: "10", seatNumber: "A2", status: "held", version: "10", holdExpiresAt: null },
        ],
      },
      {
        showId: "s2",
        version: "11",
        seats: [{ id: "11", seatNumber: "B2", status: "available", version: "11", holdExpiresAt: null }],
      },
    ]);
  });

  it("compares versions as numbers, not text", () => {
    const [change] = seatMapChanges([
      { showId: "s", id: "99", seatNumber: "A1", status: SeatStatus.BOOKED, version: "99", holdExpiresAt: null },
      { showId: "s", id: "100", seatNumber: "A2", status: SeatStatus.BOOKED, version: "100", holdExpiresAt: null },
    ]);
    expect(change!.version).toBe("100");
  });
});
