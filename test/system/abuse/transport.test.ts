import { getIntrospectionQuery } from "graphql";
import {
  type HostileTarget,
  idleBaselineMs,
  residentBytes,
  startProductionApi,
  worstStallDuring,
} from "../../support/abuse";
import { createShowAt } from "../../support/factories";
import { firstCode, type GraphQLSocket, type OperationMessage, openGraphQLSocket } from "../../support/transport";

jest.setTimeout(120_000);
const MB = 1024 * 1024;
let target: HostileTarget;
beforeAll(async () => {
  // Default caps; TRUST_PROXY so the attacker and the innocent client can come from distinct addresses.
  target = await startProductionApi({ TRUST_PROXY: "1", LOG_LEVEL: "info" });
});
afterAll(() => target.close());

const codeOfRefusal = (messages: OperationMessage[]) =>
  (messages.find((m) => m.type === "error")?.payload as { extensions?: { code?: string } }[] | undefined)?.[0]
    ?.extensions?.code;

const sockets: GraphQLSocket[] = [];
const open = async (from: string, token?: string) => {
  const socket = await openGraphQLSocket(target.api.url, { token, headers: { "x-forwarded-for": from } });
  sockets.push(socket);
  return socket;
};
afterEach(async () => {
  const closing = sockets.splice(0);
  for (const socket of closing) socket.close();
  await Promise.all(closing.map((socket) => socket.closed));
});

describe("GraphQL over WebSocket meets every HTTP protection (production process)", () => {
  it("rate-limits mutations as HTTP does: 30 of 100 run", async () => {
    const show = await createShowAt(target.api.url, target.secret, { rows: 10, seatsPerRow: 10 });
    const ws = await open("198.51.100.10", target.token("hoarder"));
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ws.run({
          query: `mutation { holdSeats(input: { showId: "${show.id}", seatNumbers: ["A${(i % 10) + 1}"] }) { userErrors { code } } }`,
        }),
      ),
    );
    const limited = answers.filter((answer) => firstCode(answer) === "RATE_LIMITED").length;
    expect(limited).toBe(70);
    expect(answers.filter((answer) => answer.results[0]?.data).length).toBe(30);
  });

  it("refuses aliases, over-budget cost and introspection, masks database errors, and logs each operation", async () => {
    const show = await createShowAt(target.api.url, target.secret, { rows: 1, seatsPerRow: 2 });
    const ws = await open("198.51.100.11");
    const aliases = await ws.run({
      query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(" ")} }`,
    });
    expect(firstCode(aliases)).toBe("TOO_MANY_ALIASES");
    const cost = await ws.run({
      query: "query Costly { shows(first: 50) { edges { node { seats { seatNumber } } } } }",
    });
    expect(firstCode(cost)).toBe("QUERY_TOO_COMPLEX");
    const introspection = await ws.run({ query: getIntrospectionQuery() });
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const overflow = await ws.run({
      query: `{ show(id: "${show.id}") { seatsChangedSince(version: "9223372036854775808") { seatNumber } } }`,
    });
    expect(JSON.stringify(overflow)).not.toMatch(/raw query|code: \d|prisma|postgres/i);
    // The log has the operations (with their request ids), and the process printed no unhandled socket errors.
    const requestId = cost.errors?.[0]?.extensions?.requestId as string;
    expect(target.api.output()).toContain(requestId);
    expect(target.api.output()).toMatch(/"operation":"Costly"/);
  });

  it("closes a socket sending a 20 MB message with 1009, without buffering it", async () => {
    const ws = await open("198.51.100.12");
    const before = residentBytes(target.api.child.pid!);
    ws.socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: `{ ${"a".repeat(20 * MB)} }` } }));
    expect(await ws.closed).toBe(1009);
    // Parsed, it would cost several times its size; refused unread, only socket buffers and noise remain.
    expect(residentBytes(target.api.child.pid!) - before).toBeLessThan(32 * MB);
  });
});

describe("WebSocket caps against one client at twice the caps (production process, default caps)", () => {
  it("refuses the extra connections and subscriptions clearly, keeps memory bounded and others served", async () => {
    const show = await createShowAt(target.api.url, target.secret, { rows: 1, seatsPerRow: 2 });
    const subscription = { query: `subscription { seatMapChanged(showId: "${show.id}") { version } }` };
    const baseline = await idleBaselineMs(target.api.url);
    const before = residentBytes(target.api.child.pid!);
    let refusedConnections = 0;
    let refusedOperations = 0;
    const attack = (async () => {
      const attempts = await Promise.allSettled(Array.from({ length: 100 }, () => open("198.51.100.66")));
      refusedConnections = attempts.filter(
        (attempt) => attempt.status === "rejected" && /upgrade refused: 429/.test(String(attempt.reason)),
      ).length;
      const accepted = attempts.flatMap((attempt) => (attempt.status === "fulfilled" ? [attempt.value] : []));
      for (const ws of accepted) {
        const ids = Array.from({ length: 200 }, () => ws.start(subscription));
        // The refusals come back at once; the admitted subscriptions stay open.
        const answers = await Promise.all(ids.slice(100).map((id) => ws.settled(id)));
        refusedOperations += answers.filter((list) => codeOfRefusal(list) === "TOO_MANY_OPERATIONS").length;
      }
    })();
    const worst = await worstStallDuring(target.api.url, attack);
    const grown = residentBytes(target.api.child.pid!) - before;

    expect(refusedConnections).toBe(50);
    expect(refusedOperations).toBe(50 * 100);
    // 5,000 open subscriptions at most from one address: bounded, where unbounded ones grew by a gigabyte.
    expect(grown).toBeLessThan(200 * MB);
    // Another client still connects, subscribes and is answered, and HTTP stayed responsive throughout.
    const innocent = await open("198.51.100.2");
    expect((await innocent.run({ query: "{ __typename }" })).results[0]?.data).toEqual({ __typename: "Query" });
    expect(worst).toBeLessThan(Math.max(20 * baseline, baseline + 2000));
    console.log(
      `transport abuse: +${Math.round(grown / MB)} MB, worst stall ${Math.round(worst)} ms (idle ${Math.round(baseline)} ms)`,
    );
  });
});
