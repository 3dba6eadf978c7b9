import WebSocket from "ws";
import { createShow } from "../support/factories";
import { divergence, followSeatMap, onSaleLoad, SEAT_MAP_CHANGED } from "../support/fanout";
import { SLOW_SUBSCRIBER_CLOSE_CODE } from "../support/from-src";
import { openRawGraphQLSocket, type RawGraphQLSocket } from "../support/raw-ws";
import { startTestApp, type TestApp } from "../support/test-app";
import { waitUntil } from "../support/time";
import { databaseId } from "../support/ids";

let t: TestApp;
beforeAll(async () => {
  // The stalled client's subscriptions ask for the seats 41 times each: over the default alias and cost limits, which
  // subscriptions pass through like any operation.
  t = await startTestApp({ WS_MAX_BUFFERED_BYTES: "65536", MAX_QUERY_ALIASES: "100", MAX_QUERY_COMPLEXITY: "1000000" });
});
afterAll(() => t.stop());

/** A hand-driven connection (so the test can stop reading) with `count` subscriptions to the show, once registered. */
async function rawSubscriber(showId: string, count = 1, query = SEAT_MAP_CHANGED): Promise<RawGraphQLSocket> {
  const before = t.app.container.seatEvents.activeSubscriptions();
  const subscriber = await openRawGraphQLSocket(t.app.address);
  for (let i = 0; i < count; i++) subscriber.subscribe(String(i), query, { id: showId });
  await waitUntil(() => t.app.container.seatEvents.activeSubscriptions() >= before + count, {
    message: "the subscriptions",
  });
  return subscriber;
}

const BULKY_SEAT_MAP_CHANGED = `subscription ($id: ID!) { seatMapChanged(showId: $id) { version seats { seatNumber status version }
  ${Array.from({ length: 40 }, (_, i) => `copy${i}: seats { seatNumber status version }`).join(" ")} } }`;

describe("subscribers of a show during an on-sale", () => {
  it("healthy ones keep up with every change (or a conflated equivalent); a stalled one is cut off", async () => {
    const rows = "ABCD";
    const show = await createShow(t, { rows: rows.length, seatsPerRow: 50 });
    const seatNumbers = [...rows].flatMap((row) => Array.from({ length: 50 }, (_, i) => `${row}${i + 1}`));
    const since = (await t.prisma.seat.aggregate({ where: { showId: databaseId(show.id) }, _max: { version: true } }))
      ._max.version!;

    const healthy = await Promise.all([1, 2, 3].map(() => rawSubscriber(show.id)));
    const maps = healthy.map(followSeatMap);
    // The stalled client watches the show many times over one connection, each asking for its seats many times over
    // (aliases), so its kernel buffers fill within seconds.
    const stalled = await rawSubscriber(show.id, 20, BULKY_SEAT_MAP_CHANGED);
    stalled.pauseReading();
    expect(t.app.webSocketConnections()).toBe(4);

    const started = Date.now();
    const stalledCut = () => t.app.webSocketConnections() < 4;
    const changes = await onSaleLoad({
      url: t.app.address,
      token: (sub) => t.token(sub),
      showId: show.id,
      seatNumbers,
      workers: 12,
      // Sustained load: at least 4 s, and on until the stalled client is cut off (20 s at most).
      stop: () => Date.now() - started > 20_000 || (Date.now() - started > 4000 && stalledCut()),
    });
    expect(changes).toBeGreaterThan(50);
    expect(stalledCut()).toBe(true);

    // Every healthy subscriber converges on the database, seat by seat and version by version.
    const truth = await t.prisma.seat.findMany({ where: { showId: databaseId(show.id) } });
    await waitUntil(() => maps.every((map) => divergence(map, truth, since) === ""), {
      timeoutMs: 10_000,
      message: `healthy subscribers to converge (${maps.map((map) => divergence(map, truth, since)).join(" | ")})`,
    });
    for (const [i, map] of maps.entries()) {
      expect(map.closedWith).toBeUndefined();
      expect(healthy[i]!.socket.readyState).toBe(WebSocket.OPEN);
      expect(map.events).toBeGreaterThan(0);
    }

    stalled.resumeReading();
    expect([SLOW_SUBSCRIBER_CLOSE_CODE, 1006]).toContain(await stalled.closed);
    await Promise.all(healthy.map((subscriber) => (subscriber.socket.close(), subscriber.closed)));
  });
});
