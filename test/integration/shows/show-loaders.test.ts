import { ShowsDocument } from "../../__generated__/graphql";
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
});
