import { getIntrospectionQuery, Lexer } from "graphql";
import { createShow } from "../../support/factories";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  // Small halls and a row budget of one hall, so the row budget binds with shows of a few hundred seats.
  t = await startTestApp({ MAX_QUERY_DEPTH: "5", MAX_SEATS_PER_SHOW: "300", MAX_ROWS_PER_REQUEST: "300" });
});
afterAll(() => t.stop());

const send = async (query: string, token?: string) => {
  const { status, text } = await t.post(JSON.stringify({ query }), token ? { authorization: `Bearer ${token}` } : {});
  return {
    status,
    body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] },
  };
};

describe("query cost limits", () => {
  it("refuses 100 aliases before executing anything", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const fields = Array.from({ length: 100 }, (_, i) => `a${i}: show(id: "${show.id}") { seats { seatNumber } }`).join(
      " ",
    );
    const { status, body } = await send(`{ ${fields} }`);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: "TOO_MANY_ALIASES", limit: 30, actual: 100 } });
  });

  it("refuses the seat maps of many shows at once, by estimated cost", async () => {
    const showIds = [];
    for (let i = 0; i < 10; i++) showIds.push((await createShow(t, { rows: 1, seatsPerRow: 2 })).id);
    const tenMaps = showIds.map((id, i) => `s${i}: show(id: "${id}") { seats { seatNumber status } }`).join(" ");
    const refused = await send(`{ ${tenMaps} }`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: 2000 });
    expect(refused.body.errors?.[0]?.message).toMatch(/fewer items or fewer seat maps/);
    const fiftyMaps = await send(`{ shows(first: 50) { edges { node { seats { seatNumber } } } } }`);
    expect(fiftyMaps.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    // What clients need stays within the limits (a seat map costs per seat field: three of these fit).
    const threeMaps = await send(
      `{ ${showIds
        .slice(0, 3)
        .map((id, i) => `s${i}: show(id: "${id}") { seats { seatNumber status } }`)
        .join(" ")} }`,
    );
    expect(threeMaps.body.errors).toBeUndefined();
    const page = await send(
      `{ shows(first: 100) { totalCount edges { node { id name availableSeats heldSeats bookedSeats } } } }`,
    );
    expect(page.body.errors).toBeUndefined();
  });

  it("estimates again when a variable sets the page size", async () => {
    const query = "query Maps($first: Int) { shows(first: $first) { edges { node { seats { seatNumber } } } } }";
    const asked = async (first: number) => {
      const { text } = await t.post(JSON.stringify({ query, variables: { first } }));
      return (JSON.parse(text) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code;
    };
    expect(await asked(2)).toBeUndefined();
    expect(await asked(50)).toBe("QUERY_TOO_COMPLEX");
    expect(await asked(2)).toBeUndefined();
  });

  it("refuses queries nested deeper than MAX_QUERY_DEPTH, counting through fragments, but not introspection", async () => {
    const deep = await send(
      `query { myBookings { edges { ...E } } } fragment E on BookingEdge { node { show { seats { seatNumber } } } }`,
      t.token("deep"),
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_DEEP", limit: 5, actual: 6 });
    const introspection = await send(getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
  });

  it("refuses batched requests", async () => {
    const { status, text } = await t.post(
      JSON.stringify([{ query: "{ shows { totalCount } }" }, { query: "{ shows { totalCount } }" }]),
    );
    expect(status).toBe(400);
    expect(text).toMatch(/batch/i);
  });
});

type Body = { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };
const posted = async (target: TestApp, body: unknown) => {
  const { status, text } = await target.post(JSON.stringify(body));
  return { status, body: JSON.parse(text) as Body };
};

describe("row budget: what an operation may return, by the size of the hall", () => {
  it("serves one seat map of the largest show but refuses several, whole, before reading them", async () => {
    const show = await createShow(t, { rows: 10, seatsPerRow: 30 });
    const one = await send(`{ show(id: "${show.id}") { seatMapVersion seats { seatNumber status } } }`);
    expect(one.body.errors).toBeUndefined();
    expect((one.body.data as { show: { seats: unknown[] } }).show.seats).toHaveLength(300);

    // Two aliases cost little by the static estimate (they ask for one field), but return the hall twice.
    t.statements.length = 0;
    const two = await send(
      `{ a: show(id: "${show.id}") { seats { seatNumber } } b: show(id: "${show.id}") { seats { seatNumber } } }`,
    );
    expect(two.status).toBe(400);
    expect(two.body.data).toBeUndefined();
    expect(two.body.errors).toEqual([
      {
        message: expect.stringMatching(/would return 600 rows \(seats\); at most 300/),
        extensions: { code: "RESPONSE_TOO_LARGE", unit: "rows", limit: 300, actual: 600 },
      },
    ]);
  });

  it("charges seatsChangedSince the whole hall before reading it", async () => {
    const show = await createShow(t, { rows: 10, seatsPerRow: 30 });
    const { data } = (await send(`{ show(id: "${show.id}") { seatMapVersion } }`)).body as {
      data: { show: { seatMapVersion: string } };
    };
    const changedSince = `seatsChangedSince(version: "${data.show.seatMapVersion}") { seatNumber }`;
    expect((await send(`{ show(id: "${show.id}") { ${changedSince} } }`)).body.errors).toBeUndefined();
    // Every seat may have changed, so with the map itself it is two halls, whatever it returns in the end.
    const both = await send(`{ show(id: "${show.id}") { ${changedSince} seats { seatNumber } } }`);
    expect(both.body.errors?.[0]?.extensions).toMatchObject({ code: "RESPONSE_TOO_LARGE", limit: 300, actual: 600 });
  });

  it("refuses an answer larger than MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE instead of sending it", async () => {
    await withTestApp({ MAX_RESPONSE_BYTES: String(64 * 1024) }, async (small) => {
      const show = await createShow(small, { rows: 20, seatsPerRow: 50 });
      const query = (fields: string) => ({ query: `{ show(id: "${show.id}") { seats { ${fields} } } }` });
      expect((await posted(small, query("status"))).body.errors).toBeUndefined();
      const big = await posted(small, query("id seatNumber row number status version"));
      expect(big.status).toBe(400);
      expect(big.body).toEqual({
        errors: [
          {
            message: expect.stringMatching(/more than 65536 bytes/),
            extensions: { code: "RESPONSE_TOO_LARGE", unit: "bytes", limit: 65536 },
          },
        ],
      });
    });
  });
});

describe("hostile documents are refused as client errors, quickly", () => {
  const chain = (length: number) =>
    `query { shows(first: 1) { edges { node { ...F1 } } } }\n` +
    Array.from({ length }, (_, i) => `fragment F${i + 1} on Show { id ${i + 1 < length ? `...F${i + 2}` : ""} }`).join(
      "\n",
    );

  it("refuses long fragment chains before validation recurses along them", async () => {
    const refused = await send(chain(150));
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_FRAGMENTS", limit: 100, actual: 150 });
    expect((await send(chain(20))).body.errors).toBeUndefined();
    // With a token limit high enough to let 4,000 fragments be parsed, they are still refused, not a stack overflow.
    await withTestApp({ MAX_QUERY_TOKENS: "100000" }, async (lenient) => {
      const long = await posted(lenient, { query: chain(4000) });
      expect(long.status).toBe(400);
      expect(long.body.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_FRAGMENTS", actual: 4000 });
    });
  });

  it("refuses fragments that multiply fields when inlined, without inlining them", async () => {
    const fan =
      `query { shows(first: 1) { edges { node { ...F1 } } } }\n` +
      Array.from(
        { length: 40 },
        (_, i) => `fragment F${i + 1} on Show { id ${i < 39 ? `...F${i + 2} ...F${i + 2}` : ""} }`,
      ).join("\n");
    const started = performance.now();
    const refused = await send(fan);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: 2000 });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses documents of more than MAX_QUERY_TOKENS tokens before parsing them", async () => {
    const directives = Array.from({ length: 100_000 }, () => "@include(if: true)").join(" ");
    const { status, body } = await send(`{ __typename ${directives} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/more than 5000 tokens/),
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
    });
  });

  it("lexes no more than MAX_QUERY_TOKENS of a 1.7 MB directive flood, and /healthz answers alongside it", async () => {
    // Not the flood of the test above (verdicts are kept by text: that one would not be parsed again).
    const flood = `{ __typename ${Array.from({ length: 100_000 }, () => "@skip(if: false)").join(" ")} }`;
    expect(flood.length).toBeGreaterThan(1_600_000); // 500,000 tokens
    const advance = jest.spyOn(Lexer.prototype, "advance");
    try {
      const [refused, health] = await Promise.all([send(flood), fetch(t.app.address.replace("/graphql", "/healthz"))]);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.message).toMatch(/more than 5000 tokens\. Parsing aborted/);
      expect(health.status).toBe(200);
      // The parse that stopped at the limit and the recount that named the reason: at most the limit each, in all.
      expect(advance.mock.calls.length).toBeGreaterThanOrEqual(5000);
      expect(advance.mock.calls.length).toBeLessThanOrEqual(2 * (5000 + 2));
    } finally {
      advance.mockRestore();
    }
  });

  it("refuses documents nested thousands of levels deep as client errors", async () => {
    for (const levels of [40, 2400]) {
      const { status, body } = await send(`{ ${"a { ".repeat(levels)}b${" }".repeat(levels)} }`); // under 5,000 tokens
      expect(status).toBe(400);
      expect(["QUERY_TOO_DEEP", "GRAPHQL_PARSE_FAILED"]).toContain(body.errors?.[0]?.extensions?.code);
    }
  });

  it("refuses deeply nested variables with BAD_USER_INPUT, over POST and GET", async () => {
    // Built as text: JSON.stringify itself cannot write 5,000 levels.
    const nested = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
    const query = "query Shows($v: Int) { shows(first: $v) { totalCount } }";
    const deep = await t
      .post(`{"query":${JSON.stringify(query)},"variables":{"v":${nested(5000)}}}`)
      .then(({ status, text }) => ({ status, body: JSON.parse(text) as Body }));
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/nest deeper than 32 levels/),
      extensions: { code: "BAD_USER_INPUT", field: ["variables"] },
    });
    const search = new URLSearchParams({ query, variables: `{"v":${nested(1000)}}` }); // a URL holds fewer
    const viaGet = await fetch(`${t.app.address}?${search}`, { headers: { "apollo-require-preflight": "1" } });
    expect(viaGet.status).toBe(400);
    expect(await viaGet.text()).toMatch(/BAD_USER_INPUT/);
    // Shallow variables of the wrong type still get GraphQL's own precise answer.
    const wrongType = await posted(t, { query, variables: { v: [[[1]]] } });
    expect(wrongType.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(wrongType.body.errors?.[0]?.message).toMatch(/Int/);
  });
});
