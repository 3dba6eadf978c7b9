import { Lexer } from "graphql";
import * as parser from "graphql/language/parser";
import { createShow } from "../../support/factories";
import { getUrl, persistedQuery, PREFLIGHT, rawRequest } from "../../support/http-reads";
import { capturingLogger } from "../../support/log-capture";
import { startTestApp, type TestApp } from "../../support/test-app";

const { logger, lines } = capturingLogger();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { logger });
});
afterAll(() => t.stop());

const metric = async (series: string): Promise<number> => {
  const text = await (await fetch(t.app.metricsUrl)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};
const post = (body: object, headers: Record<string, string> = {}) =>
  rawRequest(t.app.address, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("answers from the read cache count like any request", () => {
  it("logs hits and 304s with their operation, status, duration and cache outcome, and counts them", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    const query = "query CountedSeatMap($id: ID!) { show(id: $id) { seats { seatNumber status } } }";
    const requests = 'booking_api_graphql_request_duration_seconds_count{operation="CountedSeatMap",outcome="ok"}';
    const hits = 'booking_api_read_cache_responses_total{outcome="hit"}';
    const notModified = 'booking_api_read_cache_responses_total{outcome="not_modified"}';
    const before = {
      requests: await metric(requests),
      hits: await metric(hits),
      notModified: await metric(notModified),
    };
    lines.length = 0;
    const first = await post({ query, variables: { id: show.id } });
    const hit = await post({ query, variables: { id: show.id } }, { "x-request-id": "hit-1" });
    expect(hit.header("x-seat-map-cache")).toBe("hit");
    const revalidated = await rawRequest(getUrl(t.app.address, { query, variables: { id: show.id } }), {
      headers: { ...PREFLIGHT, "if-none-match": first.header("etag")!, "x-request-id": "hit-2" },
    });
    expect(revalidated.status).toBe(304);
    const logged = lines.filter((line) => line.message === "graphql request").map((line) => line.fields);
    expect(logged).toHaveLength(3);
    expect(logged[1]).toMatchObject({
      requestId: "hit-1",
      operation: "CountedSeatMap",
      type: "query",
      outcome: "ok",
      status: 200,
      cache: "hit",
      durationMs: expect.any(Number),
    });
    expect(logged[2]).toMatchObject({ requestId: "hit-2", status: 304, cache: "not_modified" });
    expect(await metric(requests)).toBe(before.requests + 3);
    expect(await metric(hits)).toBe(before.hits + 1);
    expect(await metric(notModified)).toBe(before.notModified + 1);
  });

  it("computes one answer for 32 simultaneous cold reads of a 10,000-seat map", async () => {
    const show = await createShow(t, { rows: 100, seatsPerRow: 100 });
    const query = "query ColdSeatMap($id: ID!) { show(id: $id) { seats { seatNumber status } } }";
    const misses = 'booking_api_read_cache_responses_total{outcome="miss"}';
    const coalesced = 'booking_api_read_cache_responses_total{outcome="coalesced"}';
    const before = { misses: await metric(misses), coalesced: await metric(coalesced) };
    t.statements.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 32 }, () => post({ query, variables: { id: show.id } }, { "accept-encoding": "gzip" })),
    );
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    // One executed; those that came while it ran shared its answer, any that came after it found it stored.
    const outcomes = answers.map((a) => a.header("x-seat-map-cache"));
    expect(outcomes.filter((o) => o === "miss")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "coalesced").length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === "coalesced" || o === "hit")).toHaveLength(31);
    expect(await metric(misses)).toBe(before.misses + 1);
    expect(await metric(coalesced)).toBe(before.coalesced + outcomes.filter((o) => o === "coalesced").length);
    // The seats were read from the database once.
    expect(t.statements.filter((sql) => /FROM "public"\."seats"/i.test(sql) && /seat_number/.test(sql))).toHaveLength(
      1,
    );
  });
});

describe("a query text is parsed once", () => {
  const counting = () => {
    const parse = jest.spyOn(parser, "parse");
    const advance = jest.spyOn(Lexer.prototype, "advance");
    return {
      counts: () => ({ parses: parse.mock.calls.length, tokens: advance.mock.calls.length }),
      reset: () => (parse.mockClear(), advance.mockClear()),
      restore: () => (parse.mockRestore(), advance.mockRestore()),
    };
  };

  it("parses a new text once on a miss, and not at all on a hit, over POST, GET and persisted queries", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const query = "query ParsedOnce($id: ID!) { show(id: $id) { id seatMapVersion seats { seatNumber status } } }";
    const variables = { id: show.id };
    const spy = counting();
    parser.parse(query); // how far the lexer advances in one parse of this text
    const { tokens } = spy.counts();
    spy.reset();
    try {
      const miss = await post({ query, variables, extensions: persistedQuery(query) });
      expect(miss.header("x-seat-map-cache")).toBe("miss");
      expect(spy.counts()).toEqual({ parses: 1, tokens });
      expect((await post({ query, variables })).header("x-seat-map-cache")).toBe("hit");
      const get = await rawRequest(getUrl(t.app.address, { query, variables }), { headers: PREFLIGHT });
      expect(get.header("x-seat-map-cache")).toBe("hit");
      const byHash = await post({ variables, extensions: persistedQuery(query) });
      expect(byHash.header("x-seat-map-cache")).toBe("hit");
      expect(spy.counts()).toEqual({ parses: 1, tokens });
      // Operations the cache does not answer are parsed once too, then never again.
      await post({ query: "{ shows { totalCount } }" });
      await post({ query: "{ shows { totalCount } }" });
      expect(spy.counts().parses).toBe(2);
    } finally {
      spy.restore();
    }
  });
});
