import WebSocket from "ws";
import { cpuMeter } from "../lib/cpu";
import { token } from "../lib/environment";
import { type GraphQLClient, type HoldPayload, OPERATIONS } from "../lib/graphql";
import { now, Recorder, round, sleep } from "../lib/stats";

export interface FanOutOptions {
  readonly subscribers: number;
  /** Subscriptions multiplexed on one WebSocket connection (graphql-ws operation ids). */
  readonly perConnection: number;
  readonly holdsPerSecond: number;
  readonly holds: number;
}

/** Connections opened at once: a burst of thousands of upgrades measures the accept queue, not the fan-out. */
const CONNECT_BATCH = 50;
const READY_TIMEOUT_MS = 60_000;

/**
 * Live fan-out: `subscribers` subscriptions to one show, `perConnection` of them per graphql-ws connection (spoken by
 * hand: a library client per subscription would make the load generator the bottleneck), while a writer holds one
 * seat at a time at a steady rate. A first hold, waited for on every subscription, proves they are all live before the
 * timed part starts. Latency runs from the hold's HTTP response to each subscription's receipt of its event.
 */
export async function fanOut(
  url: string,
  metricsUrl: string,
  client: GraphQLClient,
  showId: string,
  seats: string[],
  options: FanOutOptions,
) {
  const events = Math.min(options.holds, seats.length - 1);
  const eventOf = new Map(seats.slice(1, events + 1).map((seat, i) => [seat, i]));
  const probeSeat = seats[0]!;
  const received = new Uint8Array(options.subscribers * events);
  const ready = new Uint8Array(options.subscribers);
  const respondedAt = new Map<string, number>();
  const latency = new Recorder();
  const problems = new Map<string, number>();
  const problem = (what: string) => problems.set(what, (problems.get(what) ?? 0) + 1);
  let readyCount = 0;

  const onMessage = (offset: number, socket: WebSocket) => (data: WebSocket.RawData) => {
    const at = now();
    const message = JSON.parse(data.toString()) as {
      type: string;
      id?: string;
      payload?: { data?: { seatMapChanged?: { seats: { seatNumber: string }[] } } };
    };
    if (message.type === "ping") socket.send('{"type":"pong"}');
    if (message.type !== "next") {
      if (message.type !== "ping" && message.type !== "pong") problem(message.type);
      return;
    }
    const subscriber = offset + Number(message.id);
    for (const { seatNumber } of message.payload?.data?.seatMapChanged?.seats ?? []) {
      if (seatNumber === probeSeat) {
        if (!ready[subscriber]) readyCount++;
        ready[subscriber] = 1;
        continue;
      }
      const event = eventOf.get(seatNumber);
      if (event === undefined || received[subscriber * events + event]) continue;
      received[subscriber * events + event] = 1;
      const sent = respondedAt.get(seatNumber);
      // The event can beat the HTTP response to the writer; that counts as zero latency.
      latency.record(sent === undefined ? 0 : Math.max(0, at - sent));
    }
  };

  const sockets: WebSocket[] = [];
  const openConnection = async (offset: number, count: number) => {
    const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    sockets.push(socket);
    socket.on("error", () => problem("socket error"));
    socket.on("close", (code) => {
      if (code !== 1000 && code !== 1005) problem(`closed ${code}`);
    });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    socket.send(JSON.stringify({ type: "connection_init" }));
    await new Promise((resolve) => socket.once("message", resolve)); // connection_ack
    socket.on("message", onMessage(offset, socket));
    for (let id = 0; id < count; id++)
      socket.send(
        JSON.stringify({
          id: String(id),
          type: "subscribe",
          payload: { query: OPERATIONS.subscribe, variables: { showId } },
        }),
      );
  };
  const hold = (seat: string, buyer: string) =>
    client.request<HoldPayload>(OPERATIONS.hold, { input: { showId, seats: { seatNumbers: [seat] } } }, token(buyer));

  try {
    const offsets = Array.from({ length: Math.ceil(options.subscribers / options.perConnection) }, (_, i) => i);
    for (let i = 0; i < offsets.length; i += CONNECT_BATCH) {
      await Promise.all(
        offsets.slice(i, i + CONNECT_BATCH).map((c) => {
          const offset = c * options.perConnection;
          return openConnection(offset, Math.min(options.perConnection, options.subscribers - offset)).catch(() =>
            problem("connect failed"),
          );
        }),
      );
    }
    // Subscribing has no answer in the protocol: hold the probe seat until every subscription has seen it.
    const readyDeadline = Date.now() + READY_TIMEOUT_MS;
    await sleep(200);
    await hold(probeSeat, "fan-out-probe");
    while (readyCount < options.subscribers && Date.now() < readyDeadline) await sleep(50);

    const cpu = await cpuMeter(metricsUrl);
    const interval = 1000 / options.holdsPerSecond;
    const started = now();
    const written: number[] = [];
    for (const [seat, event] of eventOf) {
      const target = started + event * interval;
      if (now() < target) await sleep(target - now());
      // One buyer per hold, as in an on-sale (a single user may only have a few pending holds).
      const result = await hold(seat, `fan-out-buyer-${event}`);
      respondedAt.set(seat, now());
      if (result.data?.holdSeats.booking?.status === "PENDING") written.push(event);
    }
    const expected = written.length * readyCount;
    // Wait for the stragglers: until every delivery arrived, or none arrived for two seconds.
    for (let last = -1, quietSince = now(); latency.count < expected && now() - quietSince < 2000; await sleep(100)) {
      if (latency.count !== last) [last, quietSince] = [latency.count, now()];
    }
    const cpuUsed = await cpu.read();
    let missed = 0;
    for (let s = 0; s < options.subscribers; s++)
      for (const event of written) if (!received[s * events + event]) missed++;
    return {
      subscribers: options.subscribers,
      perConnection: options.perConnection,
      connections: sockets.length,
      ready: readyCount,
      events: written.length,
      holdsPerSecond: options.holdsPerSecond,
      deliveries: latency.count,
      missed,
      problems: Object.fromEntries(problems),
      /** From the first timed hold until the last delivery (or the wait for it ended). */
      cpu: cpuUsed,
      latency: {
        p50: round(latency.percentile(50)),
        p95: round(latency.percentile(95)),
        p99: round(latency.percentile(99)),
        max: round(latency.percentile(100)),
      },
    };
  } finally {
    for (const socket of sockets) socket.close(1000);
  }
}
