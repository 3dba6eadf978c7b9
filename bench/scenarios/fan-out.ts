import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { type GraphQLClient, type HoldPayload, OPERATIONS } from "../lib/graphql";
import { token } from "../lib/environment";
import { now, Recorder, round, sleep } from "../lib/stats";

/**
 * Live fan-out: `subscribers` graphql-ws clients watch one show while a writer holds one seat at a time at a steady
 * rate. Latency runs from the hold's HTTP response to each subscriber's receipt of its event.
 */
export async function fanOut(
  url: string,
  client: GraphQLClient,
  showId: string,
  seats: string[],
  options: { subscribers: number; holdsPerSecond: number; holds: number },
) {
  const respondedAt = new Map<string, number>();
  const latency = new Recorder();
  const received: Set<string>[] = [];
  const clients = [];
  let connected = 0;
  for (let i = 0; i < options.subscribers; i++) {
    const seen = new Set<string>();
    received.push(seen);
    const ws = createClient({
      url: url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
    });
    ws.on("connected", () => connected++);
    ws.subscribe<{ seatMapChanged: { seats: { seatNumber: string }[] } }>(
      { query: OPERATIONS.subscribe, variables: { showId } },
      {
        next: (result) => {
          const at = now();
          for (const seat of result.data?.seatMapChanged.seats ?? []) {
            seen.add(seat.seatNumber);
            const sent = respondedAt.get(seat.seatNumber);
            // The event can beat the HTTP response to the writer; that counts as zero latency.
            latency.record(sent === undefined ? 0 : Math.max(0, at - sent));
          }
        },
        error: () => {},
        complete: () => {},
      },
    );
    clients.push(ws);
  }
  const deadline = Date.now() + 30_000;
  while (connected < options.subscribers && Date.now() < deadline) await sleep(50);
  await sleep(500);

  const interval = 1000 / options.holdsPerSecond;
  const started = now();
  const written: string[] = [];
  for (let i = 0; i < options.holds && i < seats.length; i++) {
    const target = started + i * interval;
    if (now() < target) await sleep(target - now());
    const seat = seats[i]!;
    // One buyer per hold, as in an on-sale (a single user may only have a few pending holds).
    const result = await client.request<HoldPayload>(
      OPERATIONS.hold,
      { input: { showId, seatNumbers: [seat] } },
      token(`fan-out-buyer-${i}`),
    );
    respondedAt.set(seat, now());
    if (result.data?.holdSeats.booking?.status === "PENDING") written.push(seat);
  }
  await sleep(2000);
  const missed = received.reduce((sum, seen) => sum + written.filter((s) => !seen.has(s)).length, 0);
  await Promise.all(clients.map((c) => c.dispose()));
  return {
    subscribers: options.subscribers,
    connected,
    events: written.length,
    deliveries: latency.count,
    missed,
    latency: {
      p50: round(latency.percentile(50)),
      p95: round(latency.percentile(95)),
      p99: round(latency.percentile(99)),
    },
  };
}
