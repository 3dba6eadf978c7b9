import { getIntrospectionQuery } from "graphql";
import { createShow } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ MAX_QUERY_DEPTH: "5" });
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
  it("refuses 1,000 aliases before executing anything", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const fields = Array.from(
      { length: 1000 },
      (_, i) => `a${i}: show(id: "${show.id}") { seats { seatNumber } }`,
    ).join(" ");
    const { status, body } = await send(`{ ${fields} }`);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: "TOO_MANY_ALIASES", limit: 30, actual: 1000 } });
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
    // What clients need stays well within the limits.
    const fourMaps = await send(
      `{ ${showIds
        .slice(0, 4)
        .map((id, i) => `s${i}: show(id: "${id}") { seats { seatNumber status } }`)
        .join(" ")} }`,
    );
    expect(fourMaps.body.errors).toBeUndefined();
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
