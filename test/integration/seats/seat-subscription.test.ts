import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  HoldSeatsDocument,
  type SeatMapChangedSubscription,
  SeatMapChangedDocument,
  SeatMapSnapshotDocument,
  SeatsChangedSinceDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { SeatStatus, toGlobalId } from "../../support/from-src";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { databaseId } from "../../support/ids";
import { seededRandom } from "../../support/random";
import { subscribe } from "../../support/subscriptions";
import { startTestApp, type TestApp } from "../../support/test-app";
import { sleep, waitUntil } from "../../support/time";

let t: TestApp;
beforeAll(async () => {
  // Long holds: the expiry test makes its holds lapse when it wants to (lapseHolds), nothing lapses on its own.
  t = await startTestApp({ HOLD_TTL_SECONDS: "300" });
});
afterAll(() => t.stop());

/** Subscribes and waits until the server delivers to it (probed with a synthetic event, then discarded). */
const watch = async (showId: string, token?: string) => {
  const sub = subscribe(t.app.address, SeatMapChangedDocument, { showId }, token);
  await sub.untilLive(async () => {
    t.app.container.seatEvents.publish([
      {
        showId: databaseId(showId),
        version: "0",
        seats: [{ id: "0", seatNumber: "PROBE", status: SeatStatus.AVAILABLE, version: "0", holdExpiresAt: null }],
      },
    ]);
    await t.app.container.seatEvents.drain();
  });
  return sub;
};
const changeOf = (event: SeatMapChangedSubscription) => event.seatMapChanged;

describe("seatMapChanged", () => {
  it("publishes each committed change once, with every seat it touched and the counts after it", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const sub = await watch(show.id);
    try {
      const user = uniqueUser();
      const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2", "A3", "A4"] });
      const [held] = await sub.waitFor(1);
      expect(changeOf(held!)).toMatchObject({ showId: show.id, availableSeats: 6, heldSeats: 4, bookedSeats: 0 });
      expect(changeOf(held!).seats.map((s) => [s.seatNumber, s.status])).toEqual([
        ["A1", "HELD"],
        ["A2", "HELD"],
        ["A3", "HELD"],
        ["A4", "HELD"],
      ]);
      const versions = changeOf(held!).seats.map((s) => BigInt(s.version));
      expect(changeOf(held!).version).toBe(versions.reduce((a, b) => (a > b ? a : b)).toString());

      await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
      const [, confirmed] = await sub.waitFor(2);
      expect(changeOf(confirmed!)).toMatchObject({ availableSeats: 6, heldSeats: 0, bookedSeats: 4 });
      expect(changeOf(confirmed!).seats.every((s) => s.status === "BOOKED")).toBe(true);
      expect(BigInt(changeOf(confirmed!).version)).toBeGreaterThan(BigInt(changeOf(held!).version));

      const second = await hold(t, user, { quantity: 2, showId: show.id });
      await t.ok(CancelBookingDocument, { id: second.booking!.id }, { as: user });
      const events = await sub.waitFor(4);
      expect(changeOf(events[3]!).seats.map((s) => s.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
      expect(changeOf(events[3]!).availableSeats).toBe(6);
      await sleep(200);
      expect(sub.events).toHaveLength(4);
    } finally {
      await sub.close();
    }
  });

  it("publishes nothing for a hold that changed nothing", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
    const sub = await watch(show.id);
    try {
      const failed = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1", "A2"] });
      expect(failed.booking!.status).toBe("FAILED");
      await hold(t, uniqueUser(), { showId: show.id, quantity: 4 });
      await sleep(300);
      expect(sub.events).toEqual([]);
    } finally {
      await sub.close();
    }
  });

  it("publishes expiry releases and lazy re-claims of lapsed holds", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const sub = await watch(show.id);
    try {
      const first = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1", "A2"] });
      const second = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A4"] });
      await sub.waitFor(2);
      await lapseHolds(t.prisma, [first.booking!.id, second.booking!.id]);
      // A lapsed hold on A2 is claimed straight away by someone else...
      await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2", "A3"] });
      const [, , reclaimed] = await sub.waitFor(3);
      expect(changeOf(reclaimed!).seats.map((s) => [s.seatNumber, s.status])).toEqual([
        ["A2", "HELD"],
        ["A3", "HELD"],
      ]);
      // ...and the expiry task releases what is left of the lapsed holds.
      await t.app.container.expiryTask.runOnce();
      const events = await sub.waitFor(4);
      const released = events.slice(3).flatMap((e) => changeOf(e).seats);
      expect(released.map((s) => [s.seatNumber, s.status]).sort()).toEqual([
        ["A1", "AVAILABLE"],
        ["A4", "AVAILABLE"],
      ]);
    } finally {
      await sub.close();
    }
  });

  it("is open to anonymous clients and refuses unknown shows with a clear error", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const anonymous = await watch(show.id);
    const signedIn = await watch(show.id, t.token("viewer"));
    try {
      await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
      await anonymous.waitFor(1);
      await signedIn.waitFor(1);
    } finally {
      await anonymous.close();
      await signedIn.close();
    }
    const nothing = "00000000-0000-4000-8000-000000000000";
    for (const [showId, refusal] of [
      [nothing, /No show with this id/],
      [toGlobalId("Show", nothing), /No show with this id/],
      ["not-an-id", /`showId` is not a Show id.*BAD_USER_INPUT/],
      [toGlobalId("Booking", nothing), /`showId` is a Booking id, not a Show id/],
    ] as const) {
      const unknown = subscribe(t.app.address, SeatMapChangedDocument, { showId });
      const refused = () => unknown.errors.length > 0;
      await waitUntil(refused, { message: `the subscription to show "${showId}" to be refused` });
      expect(JSON.stringify(unknown.errors)).toMatch(refusal);
      await unknown.close();
    }
  });
});

describe("seat map versions", () => {
  it("a snapshot plus the stream (and seatsChangedSince for the gap) converge on the database under 200 concurrent holds and cancels", async () => {
    const show = await createShow(t, { rows: 4, seatsPerRow: 10 });
    const seats = Array.from({ length: 40 }, (_, i) => `${"ABCD"[Math.floor(i / 10)]}${(i % 10) + 1}`);
    const random = seededRandom(12345);

    const load = async (n: number) => {
      const user = `load-${n}`;
      const picked = [...new Set([seats[Math.floor(random() * 40)]!, seats[Math.floor(random() * 40)]!])];
      const held = await t.request(
        HoldSeatsDocument,
        { input: { showId: show.id, seatNumbers: picked } },
        { as: user },
      );
      expect(held.errors).toBeUndefined();
      const booking = held.data!.holdSeats.booking;
      if (booking?.status === "PENDING" && random() < 0.5) {
        await t.request(CancelBookingDocument, { id: booking.id }, { as: user });
      }
    };
    // Start the load, take the snapshot in the middle of it, subscribe a moment later.
    const running = Promise.all(
      Array.from({ length: 200 }, (_, n) => sleep(Math.floor(n / 10) * 5).then(() => load(n))),
    );
    await sleep(30);
    const snapshot = (await t.ok(SeatMapSnapshotDocument, { id: show.id })).show!;
    const map = new Map<string, { status: string; version: bigint }>(
      snapshot.seats.map((s) => [s.seatNumber, { status: s.status, version: BigInt(s.version) }]),
    );
    await sleep(30);
    const sub = await watch(show.id);
    const apply = (change: {
      seatNumber: string;
      status: (typeof snapshot.seats)[number]["status"];
      version: string;
    }) => {
      const known = map.get(change.seatNumber)!;
      if (BigInt(change.version) > known.version)
        map.set(change.seatNumber, { status: change.status, version: BigInt(change.version) });
    };
    try {
      const gap = (await t.ok(SeatsChangedSinceDocument, { id: show.id, version: snapshot.seatMapVersion })).show!;
      gap.seatsChangedSince.forEach(apply);
      await running;
      await t.app.container.seatEvents.drain();
      await sleep(200);
      sub.events.forEach((event) => changeOf(event).seats.forEach(apply));
      const truth = await t.prisma.seat.findMany({ where: { showId: databaseId(show.id) } });
      expect(truth.some((s) => s.status !== "available")).toBe(true);
      for (const seat of truth) {
        expect([seat.seatNumber, map.get(seat.seatNumber)]).toEqual([
          seat.seatNumber,
          { status: seat.status.toUpperCase(), version: seat.version },
        ]);
      }
    } finally {
      await sub.close();
    }
  });

  it("returns the changes after a version and refuses versions it cannot read", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    const before = (await t.ok(SeatMapSnapshotDocument, { id: show.id })).show!;
    expect(before.seatMapVersion).toMatch(/^\d+@\d+:\d+:[\d,]*$/);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] });
    const { show: changed } = await t.ok(SeatsChangedSinceDocument, { id: show.id, version: before.seatMapVersion });
    expect(changed!.seatsChangedSince.map((s) => [s.seatNumber, s.status])).toEqual([["A3", "HELD"]]);
    const plain = await t.ok(SeatsChangedSinceDocument, {
      id: show.id,
      version: changed!.seatsChangedSince[0]!.version,
    });
    expect(plain.show!.seatsChangedSince).toEqual([]);
    for (const version of ["", "abc", "1@x", "-1", "9".repeat(40)]) {
      const response = await t.request(SeatsChangedSinceDocument, { id: show.id, version });
      expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

describe("fan-out", () => {
  it("resolves a burst of changes with one count query per round, shared by every subscriber", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const events = t.app.container.seatEvents;
    const before = events.activeSubscriptions();
    const subs = Array.from({ length: 20 }, () =>
      subscribe(t.app.address, SeatMapChangedDocument, { showId: show.id }),
    );
    await waitUntil(() => events.activeSubscriptions() === before + subs.length, { message: "20 subscriptions" });
    // Hold the first count query open until the whole burst has arrived, as a slow database would under load.
    const seats = t.app.container.seats;
    const countSeats = seats.countSeats.bind(seats);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const counting = jest.spyOn(seats, "countSeats").mockImplementation(async (showIds) => {
      if (++calls === 1) await released;
      return countSeats(showIds);
    });
    try {
      const burst = 40;
      for (let i = 1; i <= burst; i++) {
        events.publish([
          {
            showId: databaseId(show.id),
            version: String(i),
            seats: [
              { id: String(i), seatNumber: `Z${i}`, status: SeatStatus.HELD, version: String(i), holdExpiresAt: null },
            ],
          },
        ]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      release();
      for (const sub of subs) await sub.waitFor(burst, 10_000);
      // One query for the first change, one for everything that arrived while it ran: not one per change, and never
      // one per subscriber.
      expect(calls).toBeLessThanOrEqual(2);
      for (const sub of subs) {
        expect(sub.events.map((e) => changeOf(e).version)).toEqual(
          Array.from({ length: burst }, (_, i) => String(i + 1)),
        );
        expect(sub.events.every((e) => changeOf(e).availableSeats === 4)).toBe(true);
      }
    } finally {
      counting.mockRestore();
      await Promise.all(subs.map((sub) => sub.close()));
    }
  });
});

describe("SeatEvents.open", () => {
  it("yields each change resolved once, the same payload for every subscriber of the show", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    const events = t.app.container.seatEvents;
    const before = events.activeSubscriptions();
    const showId = databaseId(show.id);
    const streams = await Promise.all([events.open(showId), events.open(showId), events.open(showId)]);
    try {
      const seats = [{ id: "2", seatNumber: "A2", status: SeatStatus.HELD, version: "999999", holdExpiresAt: null }];
      events.publish([{ showId, version: "999999", seats }]);
      const [first, ...others] = await Promise.all(streams.map((stream) => stream.next()));
      expect(first!.value).toMatchObject({ showId, seats, availableSeats: 2, heldSeats: 1, bookedSeats: 0 });
      for (const other of others) expect(other.value).toBe(first!.value);
    } finally {
      await Promise.all(streams.map((stream) => stream.return!()));
    }
    expect(events.activeSubscriptions()).toBe(before);
  });
});
