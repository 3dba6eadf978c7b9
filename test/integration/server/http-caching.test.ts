import { createShow, hold, uniqueUser } from "../../support/factories";
import { getUrl, persistedQuery, PREFLIGHT, rawRequest } from "../../support/http-reads";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const SEAT_MAP = "query SeatMap($id: ID!) { show(id: $id) { seatMapVersion seats { seatNumber status } } }";
const post = (body: object, headers: Record<string, string> = {}) =>
  rawRequest(t.app.address, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const get = (operation: Parameters<typeof getUrl>[1], headers: Record<string, string> = PREFLIGHT) =>
  rawRequest(getUrl(t.app.address, operation), { headers });

describe("GET and automatic persisted queries", () => {
  it("serves GET from the same versioned cache as POST", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 3 });
    const variables = { id: show.id };
    const first = await get({ query: SEAT_MAP, variables });
    expect(first.status).toBe(200);
    expect(first.header("x-seat-map-cache")).toBe("miss");
    const again = await get({ query: SEAT_MAP, variables });
    expect(again.header("x-seat-map-cache")).toBe("hit");
    expect(again.text).toBe(first.text);
    // The same operation over POST is the same entry.
    const posted = await post({ query: SEAT_MAP, variables });
    expect(posted.header("x-seat-map-cache")).toBe("hit");
    expect(posted.text).toBe(first.text);
    // A seat change is a new answer, over either method.
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    const changed = await get({ query: SEAT_MAP, variables });
    expect(changed.header("x-seat-map-cache")).toBe("miss");
    expect(JSON.parse(changed.text).data.show.seats[0]).toEqual({ seatNumber: "A1", status: "HELD" });
  });

  it("answers a hash-only persisted query from the cache, over GET and POST", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const query = `query PersistedSeatMap($id: ID!) { show(id: $id) { seats { seatNumber } } }`;
    const extensions = persistedQuery(query);
    const variables = { id: show.id };
    // Unknown hash: the client is told to send the text (Apollo's PERSISTED_QUERY_NOT_FOUND).
    const unknown = await get({ variables, extensions });
    expect(JSON.parse(unknown.text).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // Registered with its text (over POST), then named by its hash alone.
    const registered = await post({ query, variables, extensions });
    expect(registered.header("x-seat-map-cache")).toBe("miss");
    const byHash = await get({ variables, extensions });
    expect(byHash.header("x-seat-map-cache")).toBe("hit");
    expect(byHash.text).toBe(registered.text);
    expect((await post({ variables, extensions })).header("x-seat-map-cache")).toBe("hit");
    // A hash that is not the text's is refused by Apollo, never answered from the cache.
    const wrong = await post({ query: `${query} `, variables, extensions });
    expect(wrong.status).toBe(400);
    expect(wrong.header("x-seat-map-cache")).toBeNull();
  });

  it("keeps Apollo's CSRF prevention, the GET refusal of mutations and the query limits over GET", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const variables = { id: show.id };
    expect((await post({ query: SEAT_MAP, variables })).status).toBe(200); // cached now
    // Without a preflight-forcing header a GET is refused, cached answer or not.
    const simple = await get({ query: SEAT_MAP, variables }, {});
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/Cross-Site Request Forgery/);
    expect(simple.header("x-seat-map-cache")).toBeNull();
    // A simple (unpreflighted) content type is no preflight; a GET may name no other type than JSON.
    expect((await get({ query: SEAT_MAP, variables }, { "content-type": "text/plain" })).status).toBe(400);
    const xml = await get({ query: SEAT_MAP, variables }, { ...PREFLIGHT, "content-type": "application/xml" });
    expect(xml.status).toBe(415);
    expect((await get({ query: SEAT_MAP, variables }, { "content-type": "application/json" })).status).toBe(200);
    const mutation = await get({
      query: `mutation { holdSeats(input: { showId: "${show.id}", seatNumbers: ["A1"] }) { userErrors { code } } }`,
    });
    expect(mutation.status).toBe(405);
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(" ");
    const tooMany = await get({ query: `{ ${aliases} }` });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).errors[0].extensions.code).toBe("TOO_MANY_ALIASES");
  });

  it("refuses reads over GET once an address has read its rows, as over POST", async () => {
    await withTestApp({ RATE_LIMIT_IP_ROWS: "10" }, async (limited) => {
      const show = await createShow(limited, { rows: 2, seatsPerRow: 6 });
      const read = (n: number) =>
        rawRequest(getUrl(limited.app.address, { query: `{ show(id: "${show.id}") { s${n}: seats { id } } }` }), {
          headers: PREFLIGHT,
        });
      expect((await read(1)).status).toBe(200); // 12 rows read: over the allowance of 10
      const refused = await read(2);
      expect(refused.status).toBe(429);
      expect(refused.header("retry-after")).toEqual(expect.any(String));
    });
  });
});

describe("validators and Cache-Control", () => {
  it("lets browsers' scripts read the validators and remember a GET's preflight", async () => {
    const origin = "https://tickets.example.com";
    await withTestApp({ CORS_ORIGINS: origin }, async (cors) => {
      const preflight = await rawRequest(cors.app.address, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "apollo-require-preflight, if-none-match",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.header("access-control-allow-headers")).toMatch(/apollo-require-preflight/);
      expect(preflight.header("access-control-max-age")).toBe("600");
      const show = await createShow(cors, { rows: 1, seatsPerRow: 2 });
      const answer = await rawRequest(getUrl(cors.app.address, { query: SEAT_MAP, variables: { id: show.id } }), {
        headers: { ...PREFLIGHT, origin },
      });
      expect(answer.header("access-control-allow-origin")).toBe(origin);
      expect(answer.header("access-control-expose-headers")).toMatch(/ETag/i);
      expect(answer.header("vary")).toMatch(/Origin.*Accept-Encoding/i);
    });
  });

  it("tags a show read with its versions and answers 304 without a body while they hold", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 2 });
    const variables = { id: show.id };
    const first = await get({ query: SEAT_MAP, variables });
    const tag = first.header("etag")!;
    expect(tag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.header("cache-control")).toBe("public, no-cache");
    expect(first.header("vary")).toMatch(/Accept-Encoding/i);
    const notModified = await get({ query: SEAT_MAP, variables }, { ...PREFLIGHT, "if-none-match": tag });
    expect(notModified.status).toBe(304);
    expect(notModified.wire.byteLength).toBe(0);
    expect(notModified.header("etag")).toBe(tag);
    expect(notModified.header("cache-control")).toBe("public, no-cache");
    // The same over POST (for clients that keep their own copy).
    expect((await post({ query: SEAT_MAP, variables }, { "if-none-match": tag })).status).toBe(304);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B2"] });
    const changed = await get({ query: SEAT_MAP, variables }, { ...PREFLIGHT, "if-none-match": tag });
    expect(changed.status).toBe(200);
    expect(changed.header("etag")).not.toBe(tag);
    expect(JSON.parse(changed.text).data.show.seats).toContainEqual({ seatNumber: "B2", status: "HELD" });
  });

  it("keys reads of a show's layout by the layout, revalidated (never immutable), and everything else by its seats", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const idRead = await get({ query: `{ show(id: "${show.id}") { id __typename } }` });
    expect(idRead.header("cache-control")).toBe("public, no-cache");
    expect((await get({ query: `{ show(id: "${show.id}") { id __typename } }` })).header("x-seat-map-cache")).toBe(
      "hit",
    );
    // The layout, through a fragment too; a seat change does not touch it (same tag, a hit, a 304 for its tag).
    const layout = `query Layout($id: ID!) { show(id: $id) { id ...Hall } } fragment Hall on Show { layout { seatCount } }`;
    const first = await get({ query: layout, variables: { id: show.id } });
    expect(first.header("cache-control")).toBe("public, no-cache");
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
    const after = await get({ query: layout, variables: { id: show.id } });
    expect(after.header("x-seat-map-cache")).toBe("hit");
    expect(after.header("etag")).toBe(first.header("etag"));
    const revalidated = await get(
      { query: layout, variables: { id: show.id } },
      { ...PREFLIGHT, "if-none-match": first.header("etag")! },
    );
    expect(revalidated.status).toBe(304);
    // Asking for anything that changes (here the counts) makes it a read to revalidate.
    const counts = await get({ query: `{ show(id: "${show.id}") { layout { seatCount } heldSeats } }` });
    expect(counts.header("cache-control")).toBe("public, no-cache");
    // A show that does not exist (yet, on this replica) is never keyed by a layout.
    const missing = await get({ query: `{ show(id: "00000000-0000-4000-8000-000000000000") { id } }` });
    expect(missing.header("cache-control")).toBe("public, no-cache");
    // Authenticated: kept by the browser only.
    const mine = await post(
      { query: SEAT_MAP, variables: { id: show.id } },
      { authorization: `Bearer ${t.token("u")}` },
    );
    expect(mine.header("cache-control")).toBe("private, no-cache");
    // Other reads, mutations and errors are not stored anywhere.
    expect((await get({ query: "{ shows { totalCount } }" })).header("cache-control")).toBe("no-store");
    const mutation = await post(
      { query: `mutation { holdSeats(input: { showId: "${show.id}", seatNumbers: ["A1"] }) { userErrors { code } } }` },
      { authorization: `Bearer ${t.token("u")}` },
    );
    expect(mutation.header("cache-control")).toBe("no-store");
    expect(mutation.header("etag")).toBeNull();
    const invalid = await get({ query: `{ show(id: "${show.id}") { nope } }` });
    expect(invalid.status).toBe(400);
    expect(invalid.header("cache-control")).toBe("no-store");
  });
});
