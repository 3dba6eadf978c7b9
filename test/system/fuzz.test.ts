import { readFileSync } from "node:fs";
import jwt from "jsonwebtoken";
import { ShowsDocument } from "../__generated__/graphql";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { createShowAt } from "../support/factories";
import { signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { seededRandom } from "../support/random";
import { type GraphQLSocket, openGraphQLSocket } from "../support/transport";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

jest.setTimeout(120_000);
const JWT_SECRET = "fuzz-secret-that-is-long-enough";
let database: TestDatabase;
let api: ApiProcess;
beforeAll(async () => {
  database = await createTestDatabase();
  // A separate process, so its memory is measured alone; rate limits off, so the fuzzer meets the validators.
  api = await startApiProcess({
    DATABASE_URL: database.url,
    JWT_SECRET,
    RATE_LIMIT_USER_POINTS: "0",
    RATE_LIMIT_IP_POINTS: "0",
  });
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

/** The hostile material both transports are fuzzed with: tokens, argument values and operations. Seeded (replayable). */
function hostileInputs(showId: string, seed: number) {
  const rand = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const user = signToken(JWT_SECRET, { sub: "fuzzer", role: "user" });
  const now = Math.floor(Date.now() / 1000);
  const tokens = [
    user,
    "",
    "Bearer",
    "garbage",
    jwt.sign({ sub: "eve", role: "admin", exp: now - 60 }, JWT_SECRET, { algorithm: "HS256" }),
    jwt.sign({ sub: "eve", role: "admin" }, "another-secret-that-is-long-enough", { algorithm: "HS256" }),
    `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"eve","role":"admin"}').toString("base64url")}.`,
    jwt.sign({ sub: "x".repeat(5000), role: "user" }, JWT_SECRET, { algorithm: "HS256" }),
    jwt.sign({ sub: "nul\u0000", role: "user", exp: now + 60 }, JWT_SECRET, { algorithm: "HS256" }),
    jwt.sign({ sub: "eve", role: "admin" }, JWT_SECRET, { algorithm: "HS256" }),
    jwt.sign({ sub: "eve", role: "admin", exp: now + 100 * 365 * 86_400 }, JWT_SECRET, { algorithm: "HS256" }),
  ];
  const values: unknown[] = [
    null,
    true,
    -1,
    0,
    2 ** 31,
    2 ** 53,
    1e308,
    -1e308,
    3.14,
    "",
    " ",
    "A1",
    "a".repeat(100_000),
    "\u0000",
    "😀",
    "'; DROP TABLE seats; --",
    [],
    ["A1", "A1"],
    Array.from({ length: 5000 }, (_, i) => `A${i}`),
    {},
    { $gt: "" },
    showId,
    "00000000-0000-4000-8000-000000000000",
  ];
  const queries = [
    () => ({
      query: `mutation ($i: HoldSeatsInput!) { holdSeats(input: $i) { booking { id } userErrors { code } } }`,
      variables: {
        i: { showId: pick(values), seatNumbers: pick(values), quantity: pick(values), idempotencyKey: pick(values) },
      },
    }),
    () => ({
      query: `mutation ($id: ID!) { confirmBooking(id: $id) { userErrors { code } } }`,
      variables: { id: pick(values) },
    }),
    () => ({
      query: `mutation ($i: CreateShowInput!) { createShow(input: $i) { userErrors { code } } }`,
      variables: { i: { name: pick(values), startsAt: pick(values), rows: pick(values), seatsPerRow: pick(values) } },
    }),
    () => ({
      query: `query ($id: ID!, $v: String!) { show(id: $id) { seatsChangedSince(version: $v) { seatNumber } } }`,
      variables: { id: pick(values), v: pick(values) },
    }),
    () => ({
      query: `{ shows(first: ${pick(["-1", "0", "1e9", '"x"', "null", "100"])}, after: ${JSON.stringify(String(pick(values)))}) { totalCount } }`,
    }),
    () => ({
      query: `{ ${'show(id: "x") { '.repeat(1 + Math.floor(rand() * 40))}id${" }".repeat(1 + Math.floor(rand() * 40))} }`,
    }),
    () => ({ query: "{".repeat(Math.floor(rand() * 3000)) }),
    () => ({ query: `query { ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(" ")} }` }),
    () => ({ query: pick(values) as string, variables: pick(values) }),
    () => ({
      query: `subscription ($id: ID!) { seatMapChanged(showId: $id) { version seats { seatNumber } } }`,
      variables: { id: pick(values) },
    }),
  ];
  return { rand, pick, tokens, queries };
}

describe("hostile and malformed requests", () => {
  it("never crash the server or answer 5xx, keep memory bounded, and leave it serving", async () => {
    const show = await createShowAt(api.url, JWT_SECRET, { name: "Fuzz", rows: 3, seatsPerRow: 5 });
    const { rand, pick, tokens, queries } = hostileInputs(show.id, 20261121);
    const bodies = [
      () => JSON.stringify(pick(queries)()),
      () => "{not json",
      () => JSON.stringify(pick(queries)()).slice(0, Math.floor(rand() * 40)),
      () => Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]).toString("latin1"),
      () => JSON.stringify([pick(queries)(), pick(queries)()]),
      () => JSON.stringify({ query: "{ shows { totalCount } }", extra: "x".repeat(3 * 1024 * 1024) }),
    ];

    const statuses = new Map<number, number>();
    const pid = api.child.pid!;
    const before = rssOf(pid);
    const batches = 60;
    for (let batch = 0; batch < batches; batch++) {
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          const token = pick(tokens);
          const response = await fetch(api.url, {
            method: "POST",
            headers: {
              "content-type": pick([
                "application/json",
                "application/json",
                "text/plain",
                "application/x-www-form-urlencoded",
              ]),
              ...(rand() < 0.5 && token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: pick(bodies)(),
          }).catch(() => null);
          const status = response?.status ?? 0;
          await response?.arrayBuffer().catch(() => null);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }),
      );
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(batches * 40);
    // No server error and no dropped connection: every hostile request got a 2xx/4xx answer.
    expect([...statuses.keys()].filter((s) => s === 0 || s >= 500)).toEqual([]);
    expect(statuses.get(413)).toBeGreaterThan(0); // oversized bodies are refused as such
    // The server's own memory stays bounded (it buffered no more than the body limit per request).
    expect(rssOf(pid) - before).toBeLessThan(150 * 1024 * 1024);
    expect(api.child.exitCode).toBeNull();
    // Still serving normally.
    const after = await postGraphQL(api.url, ShowsDocument, { first: 5 });
    expect(after.status).toBe(200);
    expect(after.errors).toBeUndefined();
  });

  it("over WebSocket too: every operation answered with a clean error or result, no internals, memory bounded", async () => {
    const show = await createShowAt(api.url, JWT_SECRET, { name: "Fuzz WS", rows: 3, seatsPerRow: 5 });
    const { rand, pick, tokens, queries } = hostileInputs(show.id, 20261122);
    const frames = [
      () => JSON.stringify({ id: String(rand()), type: "subscribe", payload: pick(queries)() }),
      () => "{not json",
      () => JSON.stringify({ id: "x", type: pick(["subscribe", "complete", "ping", "nonsense", 7]), payload: null }),
      () => JSON.stringify({ type: "subscribe", payload: { query: "{ __typename }" } }),
      () => JSON.stringify({ id: "big", type: "subscribe", payload: { query: `{ ${"a".repeat(200_000)} }` } }),
    ];
    const errors: { message: string; extensions?: Record<string, unknown> }[] = [];
    const serverCloses = new Map<number, number>();
    let answered = 0;
    const pid = api.child.pid!;
    const before = rssOf(pid);
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const token = pick(tokens);
          let ws: GraphQLSocket;
          try {
            ws = await openGraphQLSocket(api.url, rand() < 0.5 && token ? { token } : {});
          } catch (refusal) {
            const code = Number(/closed: (\d+)/.exec(String(refusal))?.[1] ?? 0);
            serverCloses.set(code, (serverCloses.get(code) ?? 0) + 1);
            return;
          }
          let closedByServer = false;
          void ws.closed.then((code) => {
            if (!closedByServer) return;
            serverCloses.set(code, (serverCloses.get(code) ?? 0) + 1);
          });
          for (let i = 0; i < 8 && ws.socket.readyState === ws.socket.OPEN; i++) {
            if (rand() < 0.8) {
              const operation = pick(queries)();
              const id = ws.start(operation as { query: string });
              if (String(operation.query).startsWith("subscription")) continue; // may stay open: closing ends it
              const settled = await ws.settled(id, 20_000).catch(() => null);
              if (!settled) break; // the socket was closed (a malformed message): counted below
              answered++;
              for (const message of settled) {
                const payload = message.payload as { errors?: typeof errors } | typeof errors | undefined;
                errors.push(...(Array.isArray(payload) ? payload : (payload?.errors ?? [])));
              }
            } else {
              ws.socket.send(pick(frames)());
            }
          }
          closedByServer = ws.socket.readyState !== ws.socket.OPEN;
          ws.close();
          await ws.closed;
        }),
      );
    }
    expect(answered).toBeGreaterThan(100);
    // Every error is a clean GraphQL error with a code, and none carries the database's or the runtime's words.
    expect(errors.filter((error) => typeof error.extensions?.code !== "string")).toEqual([]);
    expect(JSON.stringify(errors)).not.toMatch(/prisma|postgres|raw query|code: \d|\.js:\d|\.ts:\d/i);
    // The server only ever closes with documented protocol codes: bad message (4400), bad token (4403), too big (1009).
    expect([...serverCloses.keys()].filter((code) => ![4400, 4403, 1009].includes(code))).toEqual([]);
    expect(rssOf(pid) - before).toBeLessThan(150 * 1024 * 1024);
    expect(api.child.exitCode).toBeNull();
    const after = await openGraphQLSocket(api.url);
    expect((await after.run({ query: "{ shows { totalCount } }" })).results[0]?.errors).toBeUndefined();
    after.close();
  });
});
