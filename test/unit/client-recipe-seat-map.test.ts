import { CompactSeatMap } from "../../examples/clients/live-seat-map";

// The client recipe's compact seat map: the version rule without per-seat versions in the snapshot.

const layout = {
  seatCount: 3,
  rows: [
    {
      label: "A",
      index: 0,
      seats: ["A1", "A2", "A3"].map((seatNumber, x) => ({ id: seatNumber, seatNumber, x, y: 0 })),
    },
  ],
};
const counts = { availableSeats: 2, heldSeats: 1, bookedSeats: 0, blockedSeats: 0 };
/** Read when the highest seat version was 10; A2 held. */
const snapshot = () => new CompactSeatMap(layout, { seatMapVersion: "10@900:905:", statuses: "AHA", ...counts });
const change = (seatNumber: string, status: "AVAILABLE" | "HELD" | "BOOKED", version: string) => ({
  seatNumber,
  status,
  version,
});
const statuses = (map: CompactSeatMap) => map.seatNumbers.map((seatNumber) => map.statusOf(seatNumber));

test("reads the statuses in layout order", () => {
  expect(statuses(snapshot())).toEqual(["AVAILABLE", "HELD", "AVAILABLE"]);
});

test("a live change at or below the snapshot's highest version is left to the gap query (the snapshot may have seen it)", () => {
  const map = snapshot();
  // It may also have taken its number before the snapshot and committed after it: the caller must ask again.
  expect(map.applyLive([change("A2", "AVAILABLE", "10"), change("A1", "HELD", "4")])).toBe(true);
  expect(statuses(map)).toEqual(["AVAILABLE", "HELD", "AVAILABLE"]);
  // The gap query then tells: A1's change committed late (listed), A2's was seen by the snapshot (not listed).
  map.applyGap([change("A1", "HELD", "4")]);
  expect(statuses(map)).toEqual(["HELD", "HELD", "AVAILABLE"]);
});

test("changes the map can judge by itself ask for no gap query", () => {
  const map = snapshot();
  expect(map.applyLive([change("A1", "BOOKED", "12")])).toBe(false);
  expect(map.applyLive([change("A1", "HELD", "11")])).toBe(false); // older than A1's own change: stale
  expect(map.applyLive([change("Z9", "HELD", "3")])).toBe(false); // not a seat of this layout
});

test("a live change above it is applied, and an older one for the same seat then ignored", () => {
  const map = snapshot();
  map.applyLive([change("A1", "BOOKED", "12")]);
  map.applyLive([change("A1", "HELD", "11")]);
  expect(map.statusOf("A1")).toBe("BOOKED");
});

test("the gap query's changes apply over the snapshot even with a lower version (committed after it was read)", () => {
  const map = snapshot();
  map.applyGap([change("A3", "HELD", "8")]);
  expect(map.statusOf("A3")).toBe("HELD");
  // From then on that seat follows its own version: a later change applies, a replay of the older one does not.
  map.applyLive([change("A3", "BOOKED", "9")]);
  map.applyGap([change("A3", "HELD", "8")]);
  expect(map.statusOf("A3")).toBe("BOOKED");
});

test("the gap query does not undo a newer change that arrived first", () => {
  const map = snapshot();
  map.applyLive([change("A2", "BOOKED", "15")]);
  map.applyGap([change("A2", "AVAILABLE", "13")]);
  expect(map.statusOf("A2")).toBe("BOOKED");
});

test("counts come from the event with the highest version", () => {
  const map = snapshot();
  map.applyLive([], { ...counts, heldSeats: 3, version: "14" });
  map.applyLive([], { ...counts, heldSeats: 2, version: "12" });
  expect(map.counts.heldSeats).toBe(3);
});

test("refuses an availability of another layout", () => {
  expect(() => new CompactSeatMap(layout, { seatMapVersion: "1", statuses: "AAAA", ...counts })).toThrow(/reload/);
});
