import { ConfirmBookingDocument, MyBookingsDocument, ShowsDocument } from "../../__generated__/graphql";
import { gql } from "../../support/graphql";
import { createShow, hold } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // Batching is measured with pages bigger than the query-cost limit lets clients ask for.
  t = await startTestApp({ MAX_QUERY_COMPLEXITY: "1000000" });
});
afterAll(() => t.stop());

/** SQL statements one operation sends (the pool reports every statement). */
async function statementsFor(run: () => Promise<unknown>): Promise<string[]> {
  t.statements.length = 0;
  await run();
  return [...t.statements];
}

const ShowsWithSeatMaps = gql<{ shows: { edges: { node: { seats: unknown[]; heldSeats: number } }[] } }, { first: number }>(`
  query ShowsWithSeatMaps($first: Int!) {
    shows(first: $first) { edges { node { id heldSeats seats(status: HELD) { seatNumber } allSeats: seats { seatNumber } } } }
  }
`);

describe("DataLoader batching", () => {
  it("lists shows with their counts in a constant number of statements, whatever the page size", async () => {
    for (let i = 0; i < 20; i++) await createShow(t, { rows: 1, seatsPerRow: 3 });
    const small = await statementsFor(() => t.ok(ShowsDocument, { first: 2 }));
    const large = await statementsFor(() => t.ok(ShowsDocument, { first: 20 }));
    expect(large.length).toBe(small.length);
    // page + totalCount + one grouped count query for every show's availableSeats/heldSeats/bookedSeats
    expect(large.length).toBeLessThanOrEqual(3);
    expect(large.filter((sql) => /GROUP BY/i.test(sql))).toHaveLength(1);
  });

  it("loads the seat maps of a whole page with one query per status filter", async () => {
    const few = await statementsFor(() => t.ok(ShowsWithSeatMaps, { first: 2 }));
    const many = await statementsFor(() => t.ok(ShowsWithSeatMaps, { first: 20 }));
    expect(many.length).toBe(few.length);
    // snapshot + page + totalCount + counts + one seat-map query per status filter
    expect(many.length).toBeLessThanOrEqual(6);
  });

  it("loads the shows and seats of a page of bookings in a constant number of statements", async () => {
    const user = "loader-user";
    const showIds = [];
    for (let i = 0; i < 8; i++) {
      const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
      showIds.push(show.id);
      const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
      // Confirmed, so the user's active-hold limit does not cap how many bookings the page shows.
      await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    }
    const two = await statementsFor(() => t.ok(MyBookingsDocument, { first: 2 }, { as: user }));
    const eight = await statementsFor(() => t.ok(MyBookingsDocument, { first: 8 }, { as: user }));
    expect(eight.length).toBe(two.length);
    expect(eight.length).toBeLessThanOrEqual(5);
  });
});
