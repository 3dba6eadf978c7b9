import { ConfirmBookingDocument, MyBookingsDocument } from "../../__generated__/graphql";
import { createShow, hold } from "../../support/factories";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // Batching is measured with pages bigger than the query-cost limit lets clients ask for; statements are counted,
  // so the live seat maps' periodic repair (every second by default) must not land inside a count.
  t = await startTestApp({ MAX_QUERY_COMPLEXITY: "1000000", LIVE_SEAT_MAP_REPAIR_MS: "600000" });
});
afterAll(() => t.stop());

describe("DataLoader batching", () => {
  it("loads the shows and seats of a page of bookings in a constant number of statements", async () => {
    const user = "loader-user";
    for (let i = 0; i < 8; i++) {
      const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
      const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
      // Confirmed, so the user's active-hold limit does not cap how many bookings the page shows.
      await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    }
    const two = await statementsDuring(t, () => t.ok(MyBookingsDocument, { first: 2 }, { as: user }));
    const eight = await statementsDuring(t, () => t.ok(MyBookingsDocument, { first: 8 }, { as: user }));
    expect(eight.length).toBe(two.length);
    expect(eight.length).toBeLessThanOrEqual(5);
  });
});
