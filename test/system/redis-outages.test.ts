import { SeatMapChangedDocument } from "../__generated__/graphql";
import { describeNeeding } from "../support/external-services";
import { createShow, hold, uniqueUser } from "../support/factories";
import { readiness } from "../support/health";
import { startTestAppWithPrivateRedis, type TestAppWithRedis } from "../support/redis-app";
import { subscribe } from "../support/subscriptions";
import { sleep } from "../support/time";
import { databaseId } from "../support/ids";

// Each test stops its own redis-server and starts it again, so these need the binary, not just a reachable Redis.

describeNeeding("redis-server", "health endpoints during a Redis outage", () => {
  let app: TestAppWithRedis;
  beforeAll(async () => {
    app = await startTestAppWithPrivateRedis();
  });
  afterAll(() => app.stop());

  it("/readyz answers 503 naming the failed check while Redis is down, and recovers", async () => {
    const { t, redis } = app;
    expect((await readiness(t, "/readyz", { settled: true })).status).toBe(200);
    await redis.stop();
    const down = await readiness(t, "/readyz");
    expect(down.status).toBe(503);
    expect(down.body.checks!.find((c) => c.name === "redis")).toMatchObject({ ok: false });
    expect((await readiness(t, "/healthz")).status).toBe(200);
    await redis.start();
    expect((await readiness(t, "/readyz", { settled: true })).status).toBe(200);
  });
});

describeNeeding("redis-server", "Redis outages", () => {
  let app: TestAppWithRedis;
  beforeAll(async () => {
    app = await startTestAppWithPrivateRedis();
  });
  afterAll(() => app.stop());

  it("never fail a booking, and events flow again once Redis is back", async () => {
    const { t, redis } = app;
    const show = await createShow(t, { rows: 3, seatsPerRow: 10 });
    const sub = subscribe(t.app.address, SeatMapChangedDocument, { showId: show.id });
    let probe = 0;
    await sub.untilLive(() => hold(t, uniqueUser(), { showId: show.id, seatNumbers: [`C${++probe}`] }));
    try {
      await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
      await sub.waitFor(1);

      await redis.stop();
      const duringOutage = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
      expect(duringOutage.booking!.status).toBe("PENDING");
      expect(await t.prisma.seat.findFirst({ where: { showId: databaseId(show.id), seatNumber: "A2" } })).toMatchObject(
        {
          status: "held",
        },
      );
      await t.app.container.seatEvents.drain();

      await redis.start();
      // The subscriber connection re-subscribes by itself; keep making changes until one gets through.
      const deadline = Date.now() + 15_000;
      let seat = 3;
      while (
        !sub.events.some((e) => e.seatMapChanged.seats.some((s) => s.seatNumber !== "A1" && s.seatNumber !== "A2"))
      ) {
        if (Date.now() > deadline) throw new Error("no event after Redis came back");
        await hold(t, uniqueUser(), { showId: show.id, seatNumbers: [`A${seat++}`] });
        await sleep(300);
      }
      // The event of the hold made during the outage was lost, not delayed: clients repair it by version.
      expect(sub.events.some((e) => e.seatMapChanged.seats.some((s) => s.seatNumber === "A2"))).toBe(false);
    } finally {
      await sub.close();
    }
  });
});
