import { createShow } from "../../support/factories";
import { gql } from "../../support/graphql";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // Batching is measured with pages bigger than the query-cost limit lets clients ask for.
  t = await startTestApp({ MAX_QUERY_COMPLEXITY: "1000000" });
});
afterAll(() => t.stop());

type ShowsWithSeatMapsData = { shows: { edges: { node: { seats: unknown[]; heldSeats: number } }[] } };
const ShowsWithSeatMaps = gql<ShowsWithSeatMapsData, { first: number }>(`
  query ShowsWithSeatMaps($first: Int!) {
    shows(first: $first) {
      edges { node { id heldSeats seats(status: HELD) { seatNumber } allSeats: seats { seatNumber } } }
    }
  }
`);

describe("DataLoader batching", () => {
  it("loads the seat maps of a whole page with one query per status filter", async () => {
    // Twenty shows, so a page of 20 has ten times the seat maps of a page of 2.
    for (let i = 0; i < 20; i++) await createShow(t, { rows: 1, seatsPerRow: 3 });
    await t.ok(ShowsWithSeatMaps, { first: 20 }); // every show's counts read once: both pages only check them
    const few = await statementsDuring(t, () => t.ok(ShowsWithSeatMaps, { first: 2 }));
    const many = await statementsDuring(t, () => t.ok(ShowsWithSeatMaps, { first: 20 }));
    expect(many.length).toBe(few.length);
    // snapshot + page + totalCount + counts (checked) + one seat-map query per status filter
    expect(many.length).toBeLessThanOrEqual(6);
  });
});
