import {
  AdminShowDocument,
  CancelShowDocument,
  HoldSeatsDocument,
  SeatMapChangedDocument,
  UpdateShowDocument,
} from "../__generated__/graphql";
import { type ApiProcess, twoApiProcesses } from "../support/api-process";
import { describeNeeding, redisUrl } from "../support/external-services";
import { createShowAt, uniqueUser } from "../support/factories";
import { signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { subscribe } from "../support/subscriptions";
import { sleep, waitUntil } from "../support/time";

jest.setTimeout(60_000);
const SECRET = "multi-instance-secret-long-enough";

// Any Redis will do (REDIS_URL, a local one, or the run's own): channels are per show, and shows are new.
// What happens while Redis is down is tested in redis-outages.test.ts.
describeNeeding("redis", "several API processes sharing one database and Redis", () => {
  // The release by the expiry task is part of what is tested, so holds really lapse here (1 s).
  const { processes } = twoApiProcesses(() => ({
    REDIS_URL: redisUrl(),
    JWT_SECRET: SECRET,
    HOLD_TTL_SECONDS: "1",
    EXPIRY_INTERVAL_MS: "200",
  }));

  it("delivers a hold made through process 1 to a subscriber of process 2, and the expiry release too", async () => {
    const [first, second] = processes as [ApiProcess, ApiProcess];
    const layout = { rows: 2, seatsPerRow: 4, createdBy: uniqueUser("admin") };
    const { id: showId } = await createShowAt(first.url, SECRET, layout);
    const sub = subscribe(second.url, SeatMapChangedDocument, { showId });
    // Probe through process 1 until process 2 delivers (its Redis subscription is then in place).
    let probe = 0;
    await sub.untilLive(() =>
      postGraphQL(
        first.url,
        HoldSeatsDocument,
        { input: { showId, seatNumbers: [`A${(probe++ % 4) + 1}`] } },
        signToken(SECRET, { sub: `probe-${probe}`, role: "user" }),
      ),
    );
    await sleep(1500); // the probe holds lapse (1 s) and are released before the real test starts
    sub.events.length = 0;
    try {
      const held = await postGraphQL(
        first.url,
        HoldSeatsDocument,
        { input: { showId, seatNumbers: ["B2", "B3"] } },
        signToken(SECRET, { sub: "u1", role: "user" }),
      );
      expect(held.data!.holdSeats.booking!.status).toBe("PENDING");
      const [event] = await sub.waitFor(1);
      expect(event!.seatMapChanged.seats.map((s) => [s.seatNumber, s.status])).toEqual([
        ["B2", "HELD"],
        ["B3", "HELD"],
      ]);
      // One of the two expiry tasks releases the lapsed hold; exactly one release event arrives.
      const events = await sub.waitFor(2, 5000);
      expect(events[1]!.seatMapChanged.seats.map((s) => [s.seatNumber, s.status]).sort()).toEqual([
        ["B2", "AVAILABLE"],
        ["B3", "AVAILABLE"],
      ]);
      await sleep(500);
      expect(sub.events).toHaveLength(2);
    } finally {
      await sub.close();
    }
    for (const api of processes) expect(api.output()).not.toMatch(/ERROR/);
  });

  it("serves a show changed or cancelled through process 1 afresh from process 2, which had it cached", async () => {
    const [first, second] = processes as [ApiProcess, ApiProcess];
    const admin = signToken(SECRET, { sub: uniqueUser("admin"), role: "admin" });
    const { id: showId } = await createShowAt(first.url, SECRET, { rows: 1, seatsPerRow: 4, createdBy: "admin-2" });
    const readThroughSecond = async () =>
      (await postGraphQL(second.url, AdminShowDocument, { id: showId })).data!.show!;
    expect((await readThroughSecond()).status).toBe("ON_SALE"); // now kept by process 2 (record, catalog, live map)

    const prices = [{ category: "STANDARD", amount: 2500, currency: "EUR" }];
    const updated = await postGraphQL(
      first.url,
      UpdateShowDocument,
      { input: { id: showId, name: "Renamed", prices } },
      admin,
    );
    expect(updated.data!.updateShow.userErrors).toEqual([]);
    await waitUntil(
      async () => {
        const show = await readThroughSecond();
        return show.name === "Renamed" && show.categories[0]?.price?.amount === 2500;
      },
      { message: "process 2 to serve the new name and price" },
    );

    const cancelled = await postGraphQL(
      first.url,
      CancelShowDocument,
      { input: { id: showId, reason: "Storm" } },
      admin,
    );
    expect(cancelled.data!.cancelShow.userErrors).toEqual([]);
    await waitUntil(
      async () => {
        const show = await readThroughSecond();
        return show.status === "CANCELLED" && show.blockedSeats === 4;
      },
      { message: "process 2 to serve the cancellation" },
    );
    const refused = await postGraphQL(
      second.url,
      HoldSeatsDocument,
      { input: { showId, seatNumbers: ["A1"] } },
      signToken(SECRET, { sub: uniqueUser(), role: "user" }),
    );
    expect(refused.data!.holdSeats.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
  });
});
