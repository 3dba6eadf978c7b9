import { idleBaselineMs, startProductionApi, type HostileTarget, worstStallDuring } from "../../support/abuse";
import { createShowAt } from "../../support/factories";

/**
 * Expensive reads and hostile documents against the API in production mode: each is refused as a client error, and
 * an innocent request sent meanwhile is not held up much longer than on the idle server.
 */
let target: HostileTarget;
let showId: string;
beforeAll(async () => {
  target = await startProductionApi();
  // 50,000 seats: half the largest show allowed by default.
  showId = (await createShowAt(target.api.url, target.secret, { rows: 100, seatsPerRow: 500 })).id;
}, 60_000);
afterAll(() => target.close());

interface Answer {
  status: number;
  body: { data?: { show?: { seats?: unknown[] } }; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(body: string): Promise<Answer> {
  const response = await fetch(target.api.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

/** A stall bound relative to the idle server, generous for a loaded 2-core machine (before: stalls of up to 10 s). */
const stallBound = (baseline: number) => Math.max(10 * baseline, baseline + 1500);

it("serves one whole seat map of a 50,000-seat show", async () => {
  const { status, body } = await post(
    JSON.stringify({ query: `{ show(id: "${showId}") { seatMapVersion seats { seatNumber status version } } }` }),
  );
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  expect(body.data?.show?.seats).toHaveLength(50_000);
});

it("refuses four concurrent requests for 7 aliases of its seats, without stalling others", async () => {
  const sevenMaps = Array.from({ length: 7 }, (_, i) => `s${i}: show(id: "${showId}") { seats { seatNumber } }`);
  const attack = JSON.stringify({ query: `{ ${sevenMaps.join(" ")} }` });
  const baseline = await idleBaselineMs(target.api.url);
  let answers: Answer[] = [];
  const worst = await worstStallDuring(
    target.api.url,
    (async () => {
      answers = await Promise.all(Array.from({ length: 4 }, () => post(attack)));
    })(),
  );
  for (const answer of answers) {
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: "RESPONSE_TOO_LARGE", limit: 100_000 });
  }
  expect(worst).toBeLessThan(stallBound(baseline));
});

it("refuses a 1.7 MB document of 100,000 directives in milliseconds, without stalling others", async () => {
  const directives = Array.from({ length: 100_000 }, () => "@include(if: true)").join(" ");
  const document = JSON.stringify({ query: `{ __typename ${directives} }` });
  expect(document.length).toBeGreaterThan(1_700_000);
  const baseline = await idleBaselineMs(target.api.url);
  let answers: Answer[] = [];
  const worst = await worstStallDuring(
    target.api.url,
    (async () => {
      answers = await Promise.all(Array.from({ length: 4 }, () => post(document)));
    })(),
  );
  for (const answer of answers) {
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  }
  expect(worst).toBeLessThan(stallBound(baseline));
});

it("answers a 4,000-fragment chain and 5,000 levels of nested variables with client errors", async () => {
  const chain =
    `query { show(id: "${showId}") { ...F1 } }\n` +
    Array.from({ length: 4000 }, (_, i) => `fragment F${i + 1} on Show { id ${i < 3999 ? `...F${i + 2}` : ""} }`).join(
      "\n",
    );
  const fragments = await post(JSON.stringify({ query: chain }));
  expect(fragments.status).toBe(400);
  expect(fragments.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");

  const levels = 5000;
  const query = JSON.stringify(`query($v: Int) { show(id: "${showId}") { id } shows(first: $v) { totalCount } }`);
  const nested = await post(`{"query":${query},"variables":{"v":${"[".repeat(levels)}1${"]".repeat(levels)}}}`);
  expect(nested.status).toBe(400);
  expect(nested.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
});
