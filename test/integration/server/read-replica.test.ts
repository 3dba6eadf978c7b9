import { ConfirmBookingDocument, SeatMapDocument, ShowsDocument } from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // The helper points the "replica" pool at the test database itself; what is tested is which pool each query uses.
  t = await startTestApp({ DATABASE_REPLICA_URL: "postgresql://replica.example/booking" });
});
afterAll(() => t.stop());

const reset = () => {
  t.statements.length = 0;
  t.replicaStatements.length = 0;
};

describe("DATABASE_REPLICA_URL", () => {
  it("sends show lists and seat maps to the replica, and every claim and confirmation to the primary", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 4 });

    reset();
    await t.ok(ShowsDocument, { first: 10 });
    await t.ok(SeatMapDocument, { id: show.id });
    expect(t.replicaStatements.length).toBeGreaterThan(0);
    // Except the show's live seat map, loaded (and repaired every interval) from the primary: "best available"
    // allocates from it, so it must not lag behind the primary.
    const onPrimary = new Set(t.statements.map((sql) => /\/\* (\w+) \*\//.exec(sql)?.[1]));
    expect([...onPrimary].filter((name) => name !== "live_seat_map_repair")).toEqual(["live_seat_map_load"]);

    reset();
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    expect(t.statements.some((sql) => /UPDATE seats/.test(sql))).toBe(true);
    expect(t.replicaStatements.filter((sql) => /UPDATE|INSERT|DELETE/i.test(sql))).toEqual([]);

    // The seat map read from the replica shows the confirmed seat (here it cannot lag).
    const map = await t.ok(SeatMapDocument, { id: show.id, status: "BOOKED" });
    expect(map.show!.seats.map((s) => s.seatNumber)).toEqual(["A1"]);
  });
});
