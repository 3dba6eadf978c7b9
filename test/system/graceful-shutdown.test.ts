import { SeatMapDocument } from "../__generated__/graphql";
import { startApiProcess } from "../support/api-process";
import { createShowAt } from "../support/factories";
import { postGraphQL } from "../support/graphql";
import { openRawGraphQLSocket } from "../support/raw-ws";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { sleep } from "../support/time";

jest.setTimeout(30_000);
const SECRET = "graceful-shutdown-secret-long";
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("SIGTERM", () => {
  it("finishes in-flight requests, closes WebSockets with 1001 and exits 0 within 10 s", async () => {
    const api = await startApiProcess({ DATABASE_URL: database.url, JWT_SECRET: SECRET, LOG_LEVEL: "info" });
    const { id: showId } = await createShowAt(api.url, SECRET, { rows: 100, seatsPerRow: 100 });
    const { closed } = await openRawGraphQLSocket(api.url);

    // A 10,000-seat map takes a while to read and send: SIGTERM arrives while it is in flight.
    let respondedAt = 0;
    const inFlight = postGraphQL(api.url, SeatMapDocument, { id: showId }).then((r) => {
      respondedAt = Date.now();
      return r;
    });
    await sleep(5);
    const started = Date.now();
    const exit = api.stop("SIGTERM");

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(respondedAt).toBeGreaterThanOrEqual(started); // it really was in flight when SIGTERM came
    expect(response.data?.show?.seats).toHaveLength(10_000);
    expect(await closed).toBe(1001);
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(api.output()).toMatch(/SIGTERM received/);
    // It no longer accepts work.
    await expect(
      fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"query":"{__typename}"}',
      }),
    ).rejects.toThrow();
  });
});
