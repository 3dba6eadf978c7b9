import pg from "pg";
import { ConfirmBookingDocument, HoldSeatsDocument } from "../__generated__/graphql";
import { startApiProcess } from "../support/api-process";
import { createShow, createShowAt } from "../support/factories";
import { checkInvariants, signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { JWT_SECRET, startTestApp } from "../support/test-app";
import { createTestDatabase } from "../support/test-database";
import { sleep, waitUntil } from "../support/time";
import { databaseIds } from "../support/ids";

jest.setTimeout(60_000);
const SECRET = "fault-tests-secret-long-enough";
const seatsOf = (rows: string, perRow: number) =>
  [...rows].flatMap((r) => Array.from({ length: perRow }, (_, i) => `${r}${i + 1}`));

/** Buyers looping hold → confirm against `url` until `stop()`; remembers every booking it was told is CONFIRMED. */
function buyers(url: () => string, showId: string, seats: string[], count: number, secret = SECRET) {
  const confirmed = new Set<string>();
  const failures: string[] = [];
  let stopped = false;
  const loops = Array.from({ length: count }, async (_, n) => {
    for (let round = 0; !stopped; round++) {
      const token = signToken(secret, { sub: `buyer-${n}-${round}`, role: "user" });
      try {
        const seatNumbers = [
          ...new Set([seats[(n * 7 + round * 13) % seats.length]!, seats[(n * 3 + round * 5) % seats.length]!]),
        ];
        const held = await postGraphQL(url(), HoldSeatsDocument, { input: { showId, seatNumbers } }, token);
        if (held.errors) failures.push(String(held.errors[0]?.extensions?.code));
        const booking = held.data?.holdSeats.booking;
        if (booking?.status !== "PENDING") continue;
        const answer = await postGraphQL(url(), ConfirmBookingDocument, { id: booking.id }, token);
        if (answer.errors) failures.push(String(answer.errors[0]?.extensions?.code));
        if (answer.data?.confirmBooking.booking?.status === "CONFIRMED") confirmed.add(booking.id);
      } catch {
        await sleep(20); // connection refused or reset while the server is down
      }
    }
  });
  return {
    confirmed,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

async function expectConfirmedKept(databaseUrl: string, confirmed: Set<string>) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; status: string }>(
      "SELECT id, status FROM bookings WHERE id = ANY($1::uuid[])",
      [databaseIds([...confirmed])],
    );
    expect(rows).toHaveLength(confirmed.size);
    expect(rows.every((r) => r.status === "CONFIRMED")).toBe(true);
  } finally {
    await client.end();
  }
}

describe("faults", () => {
  it("kill -9 of an API process in a burst loses nothing a client was told succeeded, and a restart carries on", async () => {
    const database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: SECRET,
      RATE_LIMIT_IP_POINTS: "0",
      MAX_HELD_SEATS_PER_ADDRESS: "0",
    };
    try {
      let api = await startApiProcess(env);
      const { id: showId } = await createShowAt(api.url, SECRET, { rows: 10, seatsPerRow: 20 });
      const load = buyers(() => api.url, showId, seatsOf("ABCDEFGHIJ", 20), 24);
      // Crash once bookings are going through (how long that takes depends on the machine), not after a guess.
      await waitUntil(() => load.confirmed.size > 0, { timeoutMs: 15_000, message: "a first confirmed booking" });
      api.child.kill("SIGKILL");
      await new Promise((resolve) => api.child.once("exit", resolve));
      await sleep(300);
      // Counted after the process is gone, so every answer it sent before dying is in; later ones are the restart's.
      const beforeCrash = load.confirmed.size;
      api = await startApiProcess(env);
      const tookOver = () => load.confirmed.size > beforeCrash;
      await waitUntil(tookOver, { timeoutMs: 10_000, message: "a booking confirmed by the restarted process" });
      await load.stop();
      await api.stop();

      expect(beforeCrash).toBeGreaterThan(0);
      expect(load.confirmed.size).toBeGreaterThan(beforeCrash); // the restarted process took over
      await expectConfirmedKept(database.url, load.confirmed);
      expect((await checkInvariants(database.url)).violations).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it("database connections killed during load give clean errors, and the API recovers without a restart", async () => {
    const t = await startTestApp({ RATE_LIMIT_IP_POINTS: "0", MAX_HELD_SEATS_PER_ADDRESS: "0" });
    const admin = new pg.Client({ connectionString: t.database.url });
    await admin.connect();
    try {
      const { id: showId } = await createShow(t, { rows: 10, seatsPerRow: 20 });
      const url = t.app.address;
      const load = buyers(() => url, showId, seatsOf("ABCDEFGHIJ", 20), 16, JWT_SECRET);
      await waitUntil(() => load.confirmed.size > 0, { timeoutMs: 15_000, message: "a first confirmed booking" });
      // Kill every server connection of the API, several times over half a second.
      for (let i = 0; i < 5; i++) {
        await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        await sleep(100);
      }
      const confirmedAtOutageEnd = load.confirmed.size;
      const recovered = () => load.confirmed.size > confirmedAtOutageEnd;
      await waitUntil(recovered, { timeoutMs: 1500, message: "a booking confirmed after the outage" });
      await load.stop();

      // Clients saw masked errors only (no SQL, no stack), and bookings went on after the outage.
      expect(load.failures.length).toBeGreaterThan(0); // the outage was real
      expect(load.failures.every((code) => code === "INTERNAL_SERVER_ERROR")).toBe(true);
      expect(load.confirmed.size).toBeGreaterThan(confirmedAtOutageEnd);
      await expectConfirmedKept(t.database.url, load.confirmed);
      expect((await checkInvariants(t.database.url)).violations).toEqual([]);
    } finally {
      await admin.end();
      await t.stop();
    }
  });
});
