import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { seededRandom } from "./random";
import { type RawGraphQLSocket } from "./raw-ws";
import { waitUntil } from "./time";
import { databaseId } from "./ids";

/** The live seat-map subscription as a frontend writes it (seats with versions, plus the counts hint). */
export const SEAT_MAP_CHANGED =
  "subscription ($id: ID!) { seatMapChanged(showId: $id) { version seats { seatNumber status version } availableSeats } }";

/** A seat map built only from live events, as a frontend keeps it: a seat's change applies if its version is newer. */
export interface LiveSeatMap {
  readonly seats: Map<string, { status: string; version: bigint }>;
  /** Events received (after conflation, one event may stand for several). */
  events: number;
  /** Close code once closed. */
  closedWith?: number;
}

interface NextMessage {
  type: string;
  payload?: { data?: { seatMapChanged?: { seats: { seatNumber: string; status: string; version: string }[] } } };
}

/** Follows the events of `socket` (already subscribed) into a LiveSeatMap. */
export function followSeatMap(socket: RawGraphQLSocket): LiveSeatMap {
  const map: LiveSeatMap = { seats: new Map(), events: 0 };
  socket.socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as NextMessage;
    const change = message.payload?.data?.seatMapChanged;
    if (message.type !== "next" || !change) return;
    map.events++;
    for (const seat of change.seats) {
      const known = map.seats.get(seat.seatNumber);
      if (!known || BigInt(seat.version) > known.version)
        map.seats.set(seat.seatNumber, { status: seat.status, version: BigInt(seat.version) });
    }
  });
  void socket.closed.then((code) => (map.closedWith = code));
  return map;
}

/** Seats whose live state differs from the database's (only seats changed after `since`; "" when all agree). */
export function divergence(
  map: LiveSeatMap,
  truth: readonly { seatNumber: string; status: string; version: bigint }[],
  since: bigint,
): string {
  return truth
    .filter((seat) => seat.version > since)
    .filter((seat) => {
      const live = map.seats.get(seat.seatNumber);
      return live?.version !== seat.version || live.status !== seat.status.toUpperCase();
    })
    .map((seat) => `${seat.seatNumber}@${seat.version}`)
    .join(" ");
}

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, { booking?: { id: string; status: string } | null }> };
}

const HOLD =
  "mutation ($input: HoldSeatsInput!) { holdSeats(input: $input) { booking { id status } userErrors { code } } }";
const CANCEL = "mutation ($id: ID!) { cancelBooking(id: $id) { booking { id status } userErrors { code } } }";

/**
 * An on-sale on one show: `workers` concurrent buyers (each a new user, as many people would be) holding one or two
 * random seats and letting them go again (so seats keep changing hands), until `stop()` says so. Resolves with the
 * number of committed seat-map changes.
 */
export async function onSaleLoad(options: {
  url: string;
  token: (sub: string) => string;
  showId: string;
  seatNumbers: readonly string[];
  workers: number;
  stop: () => boolean;
}): Promise<number> {
  const random = seededRandom(4242);
  const pick = () => options.seatNumbers[Math.floor(random() * options.seatNumbers.length)]!;
  let changes = 0;
  let n = 0;
  const worker = async () => {
    while (!options.stop()) {
      const user = options.token(`buyer-${n++}`);
      const seatNumbers = [...new Set([pick(), pick()])];
      const held = await graphql(options.url, user, HOLD, { input: { showId: options.showId, seatNumbers } });
      const booking = held.data?.holdSeats?.booking;
      if (booking?.status !== "PENDING") continue;
      changes++;
      if ((await graphql(options.url, user, CANCEL, { id: booking.id })).data?.cancelBooking?.booking) changes++;
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return changes;
}

/**
 * Milliseconds from asking to hold `seatNumber` until `map` has the change (the delivery a subscriber waits for);
 * the hold is released again afterwards, and that change awaited too.
 */
export async function holdAndRelease(
  url: string,
  token: (sub: string) => string,
  showId: string,
  seatNumber: string,
  map: LiveSeatMap,
): Promise<number> {
  const user = token(`probe-${seatNumber}-${Date.now()}`);
  const started = performance.now();
  const held = await graphql(url, user, HOLD, { input: { showId, seatNumbers: [seatNumber] } });
  const booking = held.data?.holdSeats?.booking;
  if (booking?.status !== "PENDING") throw new Error(`probe hold of ${seatNumber} failed: ${JSON.stringify(held)}`);
  await waitUntil(() => map.seats.get(seatNumber)?.status === "HELD", { timeoutMs: 30_000, intervalMs: 2 });
  const elapsed = performance.now() - started;
  await graphql(url, user, CANCEL, { id: booking.id });
  await waitUntil(() => map.seats.get(seatNumber)?.status === "AVAILABLE", { timeoutMs: 30_000 });
  return elapsed;
}

/** A show's seats as the database has them (the truth live maps must converge on). */
export async function seatsInDatabase(databaseUrl: string, showId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seatNumber: string; status: string; version: string }>(
      'SELECT seat_number AS "seatNumber", status, version::text AS version FROM seats WHERE show_id = $1',
      [databaseId(showId)],
    );
    return rows.map((row) => ({ ...row, version: BigInt(row.version) }));
  } finally {
    await client.end();
  }
}

/** A crowd of subscribers in a process of its own, so their reading costs the test process nothing. */
export interface Crowd {
  /** Events the crowd has received so far (as of its last report, every 100 ms). */
  messages(): number;
  stop(): Promise<void>;
}

const CROWD_SCRIPT = `
const WebSocket = require("ws");
const { URL: url, SHOW_ID, CONNECTIONS, PER_CONNECTION, QUERY } = process.env;
let messages = 0;
setInterval(() => process.stdout.write(messages + "\\n"), 100);
for (let c = 0; c < Number(CONNECTIONS); c++) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
  socket.on("error", () => process.exit(2));
  socket.once("message", () => {
    socket.on("message", () => messages++);
    for (let s = 0; s < Number(PER_CONNECTION); s++)
      socket.send(JSON.stringify({ id: String(s), type: "subscribe", payload: { query: QUERY, variables: { id: SHOW_ID } } }));
  });
}`;

/** Opens `connections` × `perConnection` subscriptions to the show, from a child process that only counts events. */
export function startCrowd(url: string, showId: string, connections: number, perConnection: number): Crowd {
  const child = spawn(process.execPath, ["-e", CROWD_SCRIPT], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      URL: url.replace(/^http/, "ws"),
      SHOW_ID: showId,
      CONNECTIONS: String(connections),
      PER_CONNECTION: String(perConnection),
      QUERY: SEAT_MAP_CHANGED,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let messages = 0;
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = chunk.toString().trim().split("\n");
    messages = Number(lines[lines.length - 1]);
  });
  return {
    messages: () => messages,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
