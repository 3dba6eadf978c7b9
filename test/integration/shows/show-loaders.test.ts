import { ShowsDocument, ShowsWithVenuesDocument } from "../../__generated__/graphql";
import { createShow } from "../../support/factories";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // Batching is measured with pages bigger than the query-cost limit lets clients ask for.
  t = await startTestApp({ MAX_QUERY_COMPLEXITY: "1000000" });
});
afterAll(() => t.stop());

describe("DataLoader batching", () => {
  it("lists shows with their counts in a constant number of statements, whatever the page size", async () => {
    for (let i = 0; i < 20; i++) await createShow(t, { rows: 1, seatsPerRow: 3 });
    // page + totalCount + one check of every show's counts (read when it was created; index probes, no count)
    const small = await statementsDuring(t, () => t.ok(ShowsDocument, { first: 2 }));
    const large = await statementsDuring(t, () => t.ok(ShowsDocument, { first: 20 }));
    expect(large.length).toBe(small.length);
    expect(large.length).toBeLessThanOrEqual(3);
    expect(large.filter((sql) => sql.includes("/* seat_counts_changed */"))).toHaveLength(1);
    expect(large.filter((sql) => /GROUP BY/i.test(sql))).toHaveLength(0);
  });

  it("reads the venues, layout versions and prices of a page of shows in a constant number of statements", async () => {
    // (Another admin than the test above: rate limits count mutations per user.)
    for (let i = 0; i < 20; i++) await createShow(t, { rows: 1, seatsPerRow: 3, createdBy: "admin-2" });
    // The page of 2 reads their catalogs; the page of 20 reads the 18 others', still in one batch.
    const catalogReads = (statements: string[]) =>
      statements.filter((sql) => /venue_layouts|show_prices|"venues"/.test(sql)).length;
    const small = await statementsDuring(t, () => t.ok(ShowsWithVenuesDocument, { first: 2 }));
    const large = await statementsDuring(t, () => t.ok(ShowsWithVenuesDocument, { first: 20 }));
    expect(catalogReads(small)).toBeGreaterThan(0);
    expect(catalogReads(large)).toBe(catalogReads(small));
  });
});
