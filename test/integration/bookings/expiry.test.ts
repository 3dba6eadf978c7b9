import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  ExtendHoldDocument,
  SeatMapDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { waitUntil } from "../../support/time";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

// Holds last five minutes and each test makes them lapse when it wants to (lapseHolds), so nothing lapses by
// accident while a test runs, and no test waits for a TTL.
// Every test user here connects from the same address: the per-address hold cap is not what these tests are about.
const SETTINGS = { HOLD_TTL_SECONDS: "300", EXPIRY_INTERVAL_MS: "100", MAX_HELD_SEATS_PER_ADDRESS: "0" };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(SETTINGS);
});
afterAll(() => t.stop());

const bookingRow = (id: string) => t.prisma.booking.findUniqueOrThrow({ where: { id: databaseId(id) } });

describe("hold expiry", () => {
  it("lets anyone claim a lapsed hold at once, before the expiry task has run", async () => {
    const show = await createShow(t);
    const first = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1", "A2"] });
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] })).userErrors[0]!.code).toBe(
      "SEATS_UNAVAILABLE",
    );
    await lapseHolds(t.prisma, [first.booking!.id]);
    const second = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2", "A3"] });
    expect(second.booking!.status).toBe("PENDING");
    // The old booking lost A2 to the new one; confirming it now reports the lapse and frees A1 as well.
    const owner = first.booking!.userId;
    const confirm = await t.ok(ConfirmBookingDocument, { id: first.booking!.id }, { as: owner });
    expect(confirm.confirmBooking).toMatchObject({
      booking: { status: "FAILED", failureReason: "EXPIRED" },
      userErrors: [{ code: "HOLD_EXPIRED" }],
    });
    const seats = Object.fromEntries(
      (await t.ok(SeatMapDocument, { id: show.id })).show!.seats.map((s) => [s.seatNumber, s.status]),
    );
    expect([seats.A1, seats.A2, seats.A3]).toEqual(["AVAILABLE", "HELD", "HELD"]);
    expect(
      (await t.prisma.seat.findFirstOrThrow({ where: { showId: databaseId(show.id), seatNumber: "A2" } })).bookingId,
    ).toBe(databaseId(second.booking!.id));
  });

  it("answers confirm and extend of a lapsed hold with HOLD_EXPIRED and releases its seats", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const a = await hold(t, user, { showId: show.id, seatNumbers: ["B1"] });
    const b = await hold(t, user, { showId: show.id, seatNumbers: ["B2"] });
    const c = await hold(t, user, { showId: show.id, seatNumbers: ["B3"] });
    await lapseHolds(t.prisma, [a.booking!.id, b.booking!.id, c.booking!.id]);
    const confirm = await t.ok(ConfirmBookingDocument, { id: a.booking!.id }, { as: user });
    expect(confirm.confirmBooking).toMatchObject({
      booking: { status: "FAILED", failureReason: "EXPIRED" },
      userErrors: [{ code: "HOLD_EXPIRED" }],
    });
    const extend = await t.ok(ExtendHoldDocument, { id: b.booking!.id }, { as: user });
    expect(extend.extendHold.userErrors[0]!.code).toBe("HOLD_EXPIRED");
    const cancel = await t.ok(CancelBookingDocument, { id: c.booking!.id }, { as: user });
    // Whether or not the expiry task got there first, a lapsed hold answers HOLD_EXPIRED.
    expect(cancel.cancelBooking).toMatchObject({
      booking: { status: "FAILED", failureReason: "EXPIRED" },
      userErrors: [{ code: "HOLD_EXPIRED" }],
    });
    const { show: map } = await t.ok(SeatMapDocument, { id: show.id, status: "AVAILABLE" });
    expect(map!.heldSeats).toBe(0);
    expect(map!.seats.map((s) => s.seatNumber)).toEqual(expect.arrayContaining(["B1", "B2", "B3"]));
    // A booking already expired answers HOLD_EXPIRED again, not an error.
    const again = await t.ok(ConfirmBookingDocument, { id: a.booking!.id }, { as: user });
    expect(again.confirmBooking.userErrors[0]!.code).toBe("HOLD_EXPIRED");
  });

  it("releases lapsed holds in the background: booking FAILED/EXPIRED, seats AVAILABLE", async () => {
    const show = await createShow(t);
    const { booking } = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["C1", "C2", "C3"] });
    const confirmed = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["C4"] });
    await t.ok(ConfirmBookingDocument, { id: confirmed.booking!.id }, { as: confirmed.booking!.userId });
    t.app.container.expiryTask.start();
    try {
      // The hold lapses while the task runs, as it would at the end of its TTL; lapsedAt is that moment (database
      // clock). Its expires_at is set a little earlier than that, so the lapse is measured from lapsedAt.
      const lapsedAt = await lapseHolds(t.prisma, [booking!.id]);
      const released = async () => (await bookingRow(booking!.id)).status !== "PENDING";
      await waitUntil(released, { timeoutMs: 3000, intervalMs: 50, message: "the expiry task to release the hold" });
      const row = await bookingRow(booking!.id);
      expect(row).toMatchObject({ status: "FAILED", failureReason: "EXPIRED" });
      // Released within about a second of lapsing (and not before: the task had nothing to do until then).
      const releasedAfterMs = row.updatedAt.getTime() - lapsedAt.getTime();
      expect(releasedAfterMs).toBeGreaterThanOrEqual(0);
      expect(releasedAfterMs).toBeLessThan(1000);
    } finally {
      await t.app.container.expiryTask.stop();
    }
    const { show: map } = await t.ok(SeatMapDocument, { id: show.id });
    expect(map).toMatchObject({ availableSeats: 49, heldSeats: 0, bookedSeats: 1 });
  });

  it("is safe to run from several processes at once: each lapsed booking is released exactly once", async () => {
    // A database of its own: every PENDING booking in it is this test's, so "due" counts exactly these.
    await withTestApp(SETTINGS, async (t) => {
      const show = await createShow(t, { rows: 10, seatsPerRow: 20 });
      const users = Array.from({ length: 60 }, () => uniqueUser("expiring"));
      const seatOf = (i: number) => `${String.fromCharCode(65 + (i % 10))}${Math.floor(i / 10) + 1}`;
      const holds = await Promise.all(
        users.map((user, i) => hold(t, user, { showId: show.id, seatNumbers: [seatOf(i)] })),
      );
      expect(holds.every((h) => h.booking!.status === "PENDING")).toBe(true);
      await lapseHolds(
        t.prisma,
        holds.map((h) => h.booking!.id),
      );
      const due = await t.prisma.booking.count({ where: { status: "PENDING" } });
      expect(due).toBe(60);
      const bookings = t.app.container.bookings;
      const counts = await Promise.all(
        Array.from({ length: 6 }, () => bookings.expireDue(7)).concat([bookings.expireDue(), bookings.expireDue()]),
      );
      const leftover = await t.app.container.expiryTask.runOnce();
      expect(counts.reduce((a, b) => a + b, 0) + leftover).toBe(due);
      const expired = { userId: { in: users }, status: "FAILED" as const, failureReason: "EXPIRED" as const };
      expect(await t.prisma.booking.count({ where: expired })).toBe(60);
      expect(await t.prisma.seat.count({ where: { showId: databaseId(show.id), status: "held" } })).toBe(0);
    });
  });
});
