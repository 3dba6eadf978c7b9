import { type RawGraphQLSocket } from "./raw-ws";
import { seededRandom } from "./random";

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
