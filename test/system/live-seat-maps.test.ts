import { HoldSeatsAdjacentDocument, SeatAvailabilityDocument } from "../__generated__/graphql";
import { type ApiProcess, twoApiProcesses } from "../support/api-process";
import { describeNeeding } from "../support/external-services";
import { createShowAt, uniqueUser } from "../support/factories";
import { signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { type RedisServer, startRedisServer } from "../support/redis-server";

// The live seat map's freshness contract, across two API processes sharing one database: a process reads its own
// writes at once; another process's changes arrive through the event bus, and without it (Redis down, or no Redis
// at all) within one repair interval.
jest.setTimeout(90_000);
const SECRET = "live-seat-maps-secret-long-enough";
const REPAIR_MS = 500;

const as = (user: string) => signToken(SECRET, { sub: user, role: "user" });

async function statuses(api: ApiProcess, showId: string): Promise<string> {
  const response = await postGraphQL(api.url, SeatAvailabilityDocument, { id: showId });
  expect(response.errors).toBeUndefined();
  return response.data!.show!.availability.statuses;
}

async function holdAt(api: ApiProcess, showId: string, input: { seatNumbers?: string[]; quantity?: number }) {
  const response = await postGraphQL(
    api.url,
    HoldSeatsAdjacentDocument,
    { input: { showId, ...input } },
    as(uniqueUser()),
  );
  expect(response.errors).toBeUndefined();
  return response.data!.holdSeats;
}

/** How long until `api` shows seat `index` as held (polled every 10 ms; fails after `limitMs`). */
async function msUntilHeld(api: ApiProcess, showId: string, index: number, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await statuses(api, showId))[index] === "H") return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`seat ${index} not seen held after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function twoProcesses(env: () => Record<string, string>) {
  return twoApiProcesses(() => ({
    JWT_SECRET: SECRET,
    LIVE_SEAT_MAP_REPAIR_MS: String(REPAIR_MS),
    MAX_HELD_SEATS_PER_ADDRESS: "0",
    ...env(),
  }));
}

/** Read-your-writes on the writer, then the reader's lag. */
async function writeHereSeeThere(first: ApiProcess, second: ApiProcess, showId: string, seat: number, limitMs: number) {
  const held = await holdAt(first, showId, { seatNumbers: [`A${seat + 1}`] });
  expect(held.booking!.status).toBe("PENDING");
  expect((await statuses(first, showId))[seat]).toBe("H");
  return msUntilHeld(second, showId, seat, limitMs);
}

describe("live seat maps of two processes without an event bus", () => {
  const state = twoProcesses(() => ({}));

  it("each reads its own writes at once and the other's within one repair interval", async () => {
    const [first, second] = state.processes as [ApiProcess, ApiProcess];
    const { id: showId } = await createShowAt(first.url, SECRET, {
      rows: 4,
      seatsPerRow: 10,
      createdBy: uniqueUser("admin"),
    });
    await Promise.all([statuses(first, showId), statuses(second, showId)]); // both maps live
    const lags = [];
    for (let seat = 0; seat < 5; seat++) lags.push(await writeHereSeeThere(first, second, showId, seat, 4 * REPAIR_MS));
    console.log(`no event bus: other process's change seen after ${lags.map(Math.round).join(", ")} ms`);
    expect(Math.max(...lags)).toBeLessThanOrEqual(2 * REPAIR_MS + 200);
  });

  it("best available in the other process never picks a seat taken there, nor answers sold out falsely", async () => {
    const [first, second] = state.processes as [ApiProcess, ApiProcess];
    const { id: showId } = await createShowAt(first.url, SECRET, {
      rows: 2,
      seatsPerRow: 10,
      createdBy: uniqueUser("admin"),
    });
    await statuses(second, showId);
    // Process 1 takes the middle of row A; process 2's map has not seen it yet and would pick those seats first.
    const taken = await holdAt(first, showId, { seatNumbers: ["A4", "A5", "A6", "A7"] });
    expect(taken.booking!.status).toBe("PENDING");
    const picked = await holdAt(second, showId, { quantity: 2 });
    expect(picked.booking!.status).toBe("PENDING");
    expect(picked.adjacent).toBe(true);
    expect(picked.booking!.seatNumbers.filter((n) => ["A4", "A5", "A6", "A7"].includes(n))).toEqual([]);
    // 14 seats left for 7 pairs from the stale-map process: none refused while seats remain.
    const rest = await Promise.all(Array.from({ length: 7 }, () => holdAt(second, showId, { quantity: 2 })));
    expect(rest.map((r) => r.booking!.status)).toEqual(Array(7).fill("PENDING"));
  });
});

describeNeeding("redis-server", "live seat maps of two processes sharing Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const state = twoProcesses(() => ({ REDIS_URL: redis.url }));

  it("another process's change arrives through Redis, and within a repair interval while Redis is down", async () => {
    const [first, second] = state.processes as [ApiProcess, ApiProcess];
    const { id: showId } = await createShowAt(first.url, SECRET, {
      rows: 4,
      seatsPerRow: 10,
      createdBy: uniqueUser("admin"),
    });
    await Promise.all([statuses(first, showId), statuses(second, showId)]);
    const viaBus = [];
    for (let seat = 0; seat < 5; seat++)
      viaBus.push(await writeHereSeeThere(first, second, showId, seat, 4 * REPAIR_MS));
    await redis.stop();
    const whileDown = [];
    for (let seat = 5; seat < 10; seat++)
      whileDown.push(await writeHereSeeThere(first, second, showId, seat, 4 * REPAIR_MS));
    await redis.start();
    console.log(
      `Redis up: seen after ${viaBus.map(Math.round).join(", ")} ms; Redis down: ${whileDown.map(Math.round).join(", ")} ms`,
    );
    expect(Math.max(...whileDown)).toBeLessThanOrEqual(2 * REPAIR_MS + 200);
  });
});
