import { getIntrospectionQuery } from "graphql";
import { HoldSeatsDocument } from "../__generated__/graphql";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { createShowAt } from "../support/factories";
import { signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { getUrl, PREFLIGHT, rawRequest } from "../support/http-reads";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

jest.setTimeout(90_000);
const SECRET = "http-revalidation-secret-long-enough";

/**
 * Entity tags as browsers and CDNs use them, against the compiled API in production mode: a tag is only ever
 * confirmed (304) where it still describes the client's copy, across processes and restarts.
 */
describe("revalidating show reads across processes and restarts", () => {
  let database: TestDatabase;
  const running: ApiProcess[] = [];
  const start = async () => {
    const api = await startApiProcess({ NODE_ENV: "production", DATABASE_URL: database.url, JWT_SECRET: SECRET });
    running.push(api);
    return api;
  };
  const stop = async (api: ApiProcess) => {
    await api.stop();
    running.splice(running.indexOf(api), 1);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(running.map((api) => api.stop()));
    await database.drop();
  });

  const SEATS = "query Seats($id: ID!) { show(id: $id) { seats { seatNumber status } } }";
  const LAYOUT = "query Layout($id: ID!) { show(id: $id) { layout { seatCount } } }";
  const read = (api: ApiProcess, query: string, showId: string, ifNoneMatch?: string) =>
    rawRequest(getUrl(api.url, { query, variables: { id: showId } }), {
      headers: { ...PREFLIGHT, ...(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {}) },
    });

  it("never confirms a tag made before a restart or by another process for seats that change", async () => {
    const first = await start();
    const { id: showId } = await createShowAt(first.url, SECRET, { rows: 2, seatsPerRow: 4 });
    const before = await read(first, SEATS, showId);
    const layoutBefore = await read(first, LAYOUT, showId);
    expect((await read(first, SEATS, showId, before.header("etag")!)).status).toBe(304);
    const held = await postGraphQL(
      first.url,
      HoldSeatsDocument,
      { input: { showId, seatNumbers: ["A1"] } },
      signToken(SECRET, { sub: "holder", role: "user" }),
    );
    expect(held.data?.holdSeats.userErrors).toEqual([]);
    await stop(first);

    // A new process numbers its live maps' changes from the start again: the old tag must not match by chance.
    const second = await start();
    const after = await read(second, SEATS, showId, before.header("etag")!);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).data.show.seats[0]).toEqual({ seatNumber: "A1", status: "HELD" });
    // Another process at the same seats answers in full rather than confirm a tag it cannot vouch for.
    const third = await start();
    expect((await read(third, SEATS, showId, after.header("etag")!)).status).toBe(200);
    // A layout's tag names the layout itself: it holds in every process while the show keeps that layout (it is
    // revalidated, not immutable: updateShow may move a show to another layout version).
    const layoutAfter = await read(third, LAYOUT, showId, layoutBefore.header("etag")!);
    expect(layoutAfter.status).toBe(304);
    expect(layoutAfter.header("cache-control")).toBe("public, no-cache");
  });

  it("refuses introspection over GET and POST in production, whoever parsed the document first", async () => {
    const api = running[0] ?? (await start());
    const overGet = await rawRequest(getUrl(api.url, { query: getIntrospectionQuery() }), { headers: PREFLIGHT });
    expect(overGet.status).toBe(400);
    expect(overGet.text).toMatch(/introspection is not allowed/i);
    const overPost = await rawRequest(api.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });
    expect(overPost.status).toBe(400);
    expect(overPost.text).toMatch(/introspection is not allowed/i);
  });
});
