import { SeatStatus } from "../../src/domain/seat-change";
import { type LoadedSeat, LiveSeatMap } from "../../src/seats/live/live-seat-map";

const seat = (rowIndex: number, n: number, status = SeatStatus.AVAILABLE, version = 1): LoadedSeat => ({
  id: String(rowIndex * 100 + n),
  seatNumber: `${"AB"[rowIndex]}${n}`,
  rowLabel: "AB"[rowIndex]!,
  rowIndex,
  seatInRow: n,
  status,
  version: String(version),
  holdExpiresAt: null,
  sectionKey: "MAIN",
  runIndex: rowIndex,
  categoryKey: "STANDARD",
  accessibility: 0,
  x: n - 1,
  y: rowIndex,
});

const hall = () =>
  new LiveSeatMap("show", [seat(0, 1), seat(0, 2), seat(0, 3, SeatStatus.BOOKED, 5), seat(1, 1), seat(1, 2)], "10:10:");
const change = (seatNumber: string, status: SeatStatus, version: number, holdExpiresAt: string | null = null) => ({
  id: "0",
  seatNumber,
  status,
  version: String(version),
  holdExpiresAt,
});

describe("LiveSeatMap", () => {
  it("lays the seats out by row, and answers one status character per seat in layout order", () => {
    const map = hall();
    expect(map.rows.map((r) => [r.label, r.first, r.length])).toEqual([
      ["A", 0, 3],
      ["B", 3, 2],
    ]);
    expect(map.availability()).toBe("AABAA");
    expect(map.seatCounts()).toEqual({ available: 4, held: 0, booked: 1, blocked: 0 });
    expect(map.version).toBe("5@10:10:");
  });

  it("applies a change only when it is newer than the seat's, in whatever order changes arrive", () => {
    const map = hall();
    const revision = map.revision;
    expect(map.apply([change("A1", SeatStatus.HELD, 7, "2030-01-01T00:00:00.000Z")])).toBe(1);
    expect(map.apply([change("A1", SeatStatus.AVAILABLE, 6)])).toBe(0); // older: ignored
    expect(map.apply([change("A1", SeatStatus.HELD, 7)])).toBe(0); // the same again: ignored
    expect(map.apply([change("Z9", SeatStatus.HELD, 8)])).toBe(0); // not a seat of this show
    expect(map.availability()).toBe("HABAA");
    expect(map.seatAt(0)).toEqual({
      status: "held",
      version: "7",
      holdExpiresAt: new Date("2030-01-01T00:00:00.000Z"),
    });
    expect(map.seatCounts()).toEqual({ available: 3, held: 1, booked: 1, blocked: 0 });
    expect(map.revision).toBeGreaterThan(revision);
    expect(map.version).toBe("7@10:10:");
  });

  it("offers free seats and lapsed holds, never a seat promised to another picker until it is given back", () => {
    const map = hall();
    map.apply([change("A2", SeatStatus.HELD, 9, new Date(Date.now() - 60_000).toISOString())]);
    map.apply([change("B1", SeatStatus.HELD, 10, new Date(Date.now() + 60_000).toISOString())]);
    const now = Date.now();
    expect([0, 1, 2, 3, 4].map((i) => map.isOffered(i, now))).toEqual([true, true, false, false, true]);
    const release = map.reserve([0, 4]);
    const again = map.reserve([0]);
    expect([0, 4].map((i) => map.isOffered(i, now))).toEqual([false, false]);
    release();
    release(); // twice is once
    expect([0, 4].map((i) => map.isOffered(i, now))).toEqual([false, true]);
    again();
    expect(map.isOffered(0, now)).toBe(true);
  });

  it("moves its base snapshot forward after a repair, keeping its highest version", () => {
    const map = hall();
    map.rebase("20:22:21");
    expect(map.version).toBe("5@20:22:21");
  });
});

describe("LiveSeatMap row counts", () => {
  it("counts each row's unsold seats as seats are booked and released", () => {
    const map = hall();
    expect([0, 1].map((r) => map.unsoldSeatsInRow(r))).toEqual([2, 2]);
    map.apply([change("B1", SeatStatus.BOOKED, 11), change("A3", SeatStatus.AVAILABLE, 12)]);
    expect([0, 1].map((r) => map.unsoldSeatsInRow(r))).toEqual([3, 1]);
  });
});
