import { getIntrospectionQuery } from "graphql";
import { createShow } from "../../support/factories";
import { SeatStatus } from "../../support/from-src";
import { capturingLogger } from "../../support/log-capture";
import { startTestApp, type TestApp } from "../../support/test-app";
import { firstCode, type GraphQLSocket, openGraphQLSocket } from "../../support/transport";
import { databaseId } from "../../support/ids";

const { logger, lines } = capturingLogger();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      NODE_ENV: "production",
      RATE_LIMIT_USER_POINTS: "3",
      RATE_LIMIT_USER_WINDOW_SECONDS: "3600",
      WS_MAX_OPERATIONS_PER_CONNECTION: "3",
      WS_MAX_MESSAGE_BYTES: "4096",
      WS_MAX_CONNECTIONS_PER_ADDRESS: "3",
      TRUST_PROXY: "1",
    },
    { logger },
  );
});
afterAll(() => t.stop());

const sockets: GraphQLSocket[] = [];
const open = async (token?: string, from?: string) => {
  const socket = await openGraphQLSocket(t.app.address, { token, headers: from ? { "x-forwarded-for": from } : {} });
  sockets.push(socket);
  return socket;
};
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

// Each show by its own admin: the per-user mutation limit here is tiny.
let admins = 0;
const newShow = () => createShow(t, { createdBy: `admin-${++admins}`, rows: 1, seatsPerRow: 10 });

const holdMutation = (showId: string, seat: string) => ({
  query: `mutation Hold { holdSeats(input: { showId: "${showId}", seatNumbers: ["${seat}"] }) { userErrors { code } } }`,
});

describe("GraphQL over WebSocket goes through the same pipeline as HTTP", () => {
  it("answers queries and mutations as next + complete, with the same rate limit on mutations", async () => {
    const show = await newShow();
    const ws = await open(t.token("ws-rate"));
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push(await ws.run(holdMutation(show.id, `A${i}`)));
    expect(answers.slice(0, 3).map((a) => a.results[0]?.data)).toEqual(
      Array.from({ length: 3 }, () => ({ holdSeats: { userErrors: [] } })),
    );
    // Nothing ran for the refused ones: the protocol's `error` message, with the same code as HTTP's 429.
    expect(answers.slice(3).map(firstCode)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    expect(await t.prisma.seat.count({ where: { showId: databaseId(show.id), status: "held" } })).toBe(3);
  });

  it("runs HTTP's pre-parse checks: fragment chains and deeply nested variables are refused before validation", async () => {
    const ws = await open();
    const chain = Array.from(
      { length: 110 },
      (_, i) => `fragment F${i} on Query { ${i < 109 ? `...F${i + 1}` : "__typename"} }`,
    );
    const fragments = await ws.run({ query: `{ ...F0 } ${chain.join(" ")}` });
    expect(firstCode(fragments)).toBe("TOO_MANY_FRAGMENTS");
    const deep = await ws.run({ query: "query Deep($v: [ID!]) { __typename }", variables: { v: nested(40) } });
    expect(firstCode(deep)).toBe("BAD_USER_INPUT");
    expect(deep.errors![0]!.extensions!.requestId).toEqual(expect.any(String));
  });

  it("applies the query limits, the introspection switch and masking, with a request id on every error", async () => {
    const show = await newShow();
    const ws = await open();
    const aliases = await ws.run({
      query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(" ")} }`,
    });
    expect(firstCode(aliases)).toBe("TOO_MANY_ALIASES");
    expect(aliases.errors![0]!.extensions!.requestId).toEqual(expect.any(String));

    const introspection = await ws.run({ query: getIntrospectionQuery() });
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);

    // A version past PostgreSQL's bigint: whatever the database says must not reach the client.
    const overflow = await ws.run({
      query: `{ show(id: "${show.id}") { seatsChangedSince(version: "9223372036854775808") { seatNumber } } }`,
    });
    expect(JSON.stringify(overflow)).not.toMatch(/raw query|code: \d|prisma|postgres|bigint/i);
    const error = overflow.results[0]?.errors?.[0];
    expect(["INTERNAL_SERVER_ERROR", "BAD_USER_INPUT"]).toContain(error?.extensions?.code);
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
  });

  it("logs and counts WebSocket operations like HTTP requests", async () => {
    const ws = await open();
    lines.length = 0;
    await ws.run({ query: "query SocketListing { shows { totalCount } }" });
    expect(lines.filter((l) => l.message === "graphql request")).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ operation: "SocketListing", outcome: "ok" }) }),
    ]);
    const metrics = await (await fetch(t.app.metricsUrl)).text();
    expect(metrics).toMatch(/graphql_request_duration_seconds_count\{operation="SocketListing",outcome="ok"\} 1/);
  });

  it("admits subscriptions through the same limits, and refuses them over HTTP with a clear 400", async () => {
    const show = await newShow();
    const ws = await open();
    const tooMany = await ws.run({
      query: `subscription { seatMapChanged(showId: "${show.id}") { ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(" ")} } }`,
    });
    expect(firstCode(tooMany)).toBe("TOO_MANY_ALIASES");

    const overHttp = await t.post(
      JSON.stringify({ query: `subscription { seatMapChanged(showId: "${show.id}") { version } }` }),
    );
    expect(overHttp.status).toBe(400);
    expect(JSON.parse(overHttp.text).errors[0]).toMatchObject({
      message: expect.stringMatching(/WebSocket/),
      extensions: { code: "BAD_REQUEST" },
    });
  });
});

describe("errors while a subscription streams", () => {
  it("are masked as over HTTP, with the operation's request id, and logged in full under it", async () => {
    const show = await newShow();
    const ws = await open();
    const id = ws.start({
      query: `subscription { seatMapChanged(showId: "${show.id}") { seats { seatNumber status } } }`,
    });
    const publish = async (status: string) => {
      const seats = [{ id: "1", seatNumber: "A1", status: status as SeatStatus, version: "0", holdExpiresAt: null }];
      t.app.container.seatEvents.publish([{ showId: databaseId(show.id), version: "0", seats }]);
      await t.app.container.seatEvents.drain();
    };
    // graphql-ws does not acknowledge a subscription: publish until an event arrives.
    while (!(ws.messages.get(id) ?? []).some((m) => m.type === "next")) {
      await publish(SeatStatus.AVAILABLE);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seen = ws.messages.get(id)!.length;
    lines.length = 0;
    await publish("NOT_A_STATUS"); // the schema cannot serialize it: an unexpected error
    while (ws.messages.get(id)!.length === seen) await new Promise((resolve) => setTimeout(resolve, 20));
    const { errors } = ws.messages.get(id)!.at(-1)!.payload as { errors: { message: string; extensions: object }[] };
    expect(errors[0]).toMatchObject({
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) },
    });
    expect(JSON.stringify(errors)).not.toMatch(/NOT_A_STATUS|SeatStatus/);
    const logged = lines.find((l) => l.message === "unexpected error");
    expect(logged?.fields?.requestId).toBe((errors[0]!.extensions as { requestId: string }).requestId);
  });
});

describe("WebSocket caps", () => {
  it("refuses operations past the per-connection cap with an error message, and the connection stays usable", async () => {
    const show = await newShow();
    const ws = await open();
    const subscription = `subscription { seatMapChanged(showId: "${show.id}") { version } }`;
    const open3 = [
      ws.start({ query: subscription }),
      ws.start({ query: subscription }),
      ws.start({ query: subscription }),
    ];
    const refused = await ws.run({ query: subscription });
    expect(firstCode(refused)).toBe("TOO_MANY_OPERATIONS");
    // Completing one frees a place; the three subscriptions never errored.
    ws.socket.send(JSON.stringify({ id: open3[0], type: "complete" }));
    const after = await ws.run({ query: "{ __typename }" });
    expect(after.results[0]?.data).toEqual({ __typename: "Query" });
    for (const id of open3) expect((ws.messages.get(id) ?? []).filter((m) => m.type === "error")).toEqual([]);
  });

  it("closes a connection whose message is over the size cap (1009) without parsing it", async () => {
    const ws = await open();
    ws.socket.send(JSON.stringify({ id: "big", type: "subscribe", payload: { query: `{ ${"a".repeat(8192)} }` } }));
    expect(await ws.closed).toBe(1009);
  });
});

describe("WebSocket connections per address", () => {
  it("refuses the upgrade past the cap with 429, per client address as HTTP sees it (X-Forwarded-For)", async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await open(undefined, "203.0.113.7"));
    await expect(open(undefined, "203.0.113.7")).rejects.toThrow("upgrade refused: 429");
    // Another client is not affected, and the open ones still work.
    const other = await open(undefined, "203.0.113.8");
    expect((await other.run({ query: "{ __typename }" })).results).toHaveLength(1);
    expect((await first[0]!.run({ query: "{ __typename }" })).results).toHaveLength(1);
    // A closed connection gives its place back.
    first[0]!.close();
    await first[0]!.closed;
    await open(undefined, "203.0.113.7");
  });
});

/** A value nested `levels` arrays deep. */
function nested(levels: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}
