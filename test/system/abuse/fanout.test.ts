import { type HostileTarget, idleBaselineMs, startProductionApi, worstStallDuring } from "../../support/abuse";
import { createShowAt } from "../../support/factories";
import {
  divergence,
  followSeatMap,
  holdAndRelease,
  onSaleLoad,
  SEAT_MAP_CHANGED,
  seatsInDatabase,
  startCrowd,
} from "../../support/fanout";
import { freePort } from "../../support/ports";
import { openRawGraphQLSocket } from "../../support/raw-ws";
import { waitUntil } from "../../support/time";

const CONNECTIONS = 20;
const SUBSCRIPTIONS_PER_CONNECTION = 100;

let target: HostileTarget;
let metricsUrl: string;
beforeAll(async () => {
  const metricsPort = await freePort();
  target = await startProductionApi({ METRICS_PORT: String(metricsPort) });
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
}, 60_000);
afterAll(() => target?.close());

/** Seat-map subscriptions open in the process, from its /metrics. */
async function subscriptions(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^booking_api_subscriptions (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe("thousands of subscriptions on one show", () => {
  it("leave innocent requests and a healthy subscriber's deliveries within bounds of the idle server", async () => {
    const url = target.api.url;
    const rows = "ABCD";
    const show = await createShowAt(url, target.secret, { rows: rows.length, seatsPerRow: 25 });
    const seatNumbers = [...rows].flatMap((row) => Array.from({ length: 25 }, (_, i) => `${row}${i + 1}`));
    const token = (sub: string) => target.token(sub);

    const since = (await seatsInDatabase(target.database.url, show.id)).reduce(
      (a, s) => (s.version > a ? s.version : a),
      0n,
    );
    const healthySocket = await openRawGraphQLSocket(url);
    healthySocket.subscribe("1", SEAT_MAP_CHANGED, { id: show.id });
    const healthy = followSeatMap(healthySocket);
    await waitUntil(async () => (await subscriptions()) === 1, { message: "the healthy subscription" });
    const idleRequestMs = await idleBaselineMs(url);
    const idleDeliveryMs = await holdAndRelease(url, token, show.id, "A1", healthy);
    const forMs = (ms: number) => {
      const from = Date.now();
      return () => Date.now() - from > ms;
    };
    const sale = { url, token, showId: show.id, seatNumbers: seatNumbers.slice(1), workers: 6 };
    const idleChangesPerSecond = (await onSaleLoad({ ...sale, stop: forMs(2000) })) / 2;

    // The crowd: 2,000 subscriptions over 20 connections, all reading, from a process of their own.
    const crowd = startCrowd(url, show.id, CONNECTIONS, SUBSCRIPTIONS_PER_CONNECTION);
    try {
      const all = 1 + CONNECTIONS * SUBSCRIPTIONS_PER_CONNECTION;
      await waitUntil(async () => (await subscriptions()) === all, {
        timeoutMs: 30_000,
        message: `${all} subscriptions`,
      });

      // A burst of seat changes from concurrent buyers (A1 is left to the delivery probe), while an innocent client
      // keeps asking and the healthy subscriber's deliveries are timed.
      const stop = forMs(3000);
      let changes = 0;
      let worstDeliveryMs = 0;
      const burst = Promise.all([
        onSaleLoad({ ...sale, stop }).then((n) => (changes = n)),
        (async () => {
          while (!stop()) {
            const ms = await holdAndRelease(url, token, show.id, "A1", healthy);
            worstDeliveryMs = Math.max(worstDeliveryMs, ms);
          }
        })(),
      ]);
      const worstRequestMs = await worstStallDuring(url, burst);

      const truth = await seatsInDatabase(target.database.url, show.id);
      await waitUntil(() => divergence(healthy, truth, since) === "", {
        timeoutMs: 15_000,
        message: "the healthy map",
      });
      const measured = {
        idleRequestMs,
        worstRequestMs,
        idleDeliveryMs,
        worstDeliveryMs,
        idleChangesPerSecond,
        changes,
      };
      console.log(JSON.stringify({ ...measured, crowdMessages: crowd.messages() }));
      // The buyers keep selling while their changes fan out to 2,000 subscribers. (How many changes per second depends
      // on the cores left over: each change costs 2,000 sends, so no ratio to the idle rate is asserted.)
      expect(changes).toBeGreaterThan(10);
      expect(crowd.messages()).toBeGreaterThan(changes);
      // Generous bounds (a loaded 2-core machine); before changes were resolved once per show and delivered in slices,
      // one change held the event loop for every subscriber at once and requests waited over 2 s here.
      expect(worstRequestMs).toBeLessThan(Math.max(15 * idleRequestMs, idleRequestMs + 1500));
      // A healthy subscriber's change waits behind the round being delivered to all 2,000 (and the buyers share the
      // same cores): seconds at worst here, not the unbounded backlog of a per-event, per-subscriber resolution.
      expect(worstDeliveryMs).toBeLessThan(Math.max(50 * idleDeliveryMs, idleDeliveryMs + 5000));
      expect(healthy.closedWith).toBeUndefined();
    } finally {
      healthySocket.socket.close();
      await crowd.stop();
    }
  }, 120_000);
});
