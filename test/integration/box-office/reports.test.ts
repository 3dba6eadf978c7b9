import {
  BlockSeatsDocument,
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateShowDocument,
  SeatHistoryDocument,
  SeatVersionsDocument,
  ShowReportDocument,
  UnblockSeatsDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";
import { createTheatre } from "../../support/venues";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(BOX_OFFICE_SETTINGS);
});
afterAll(() => t.stop());
const report = async (showId: string) => (await t.ok(ShowReportDocument, { showId }, admin())).showReport;
const eur = (amount: number) => ({ amount, currency: "EUR", formatted: `€${(amount / 100).toFixed(2)}` });

async function block(showId: string, seatNumbers: string[], reason: string) {
  const data = await t.ok(BlockSeatsDocument, { input: { showId, seatNumbers, reason } }, admin());
  expect(data.blockSeats.userErrors).toEqual([]);
  return data.blockSeats.seats;
}

async function holdOk(user: string, showId: string, seatNumbers: string[]) {
  const payload = await hold(t, user, { showId, seatNumbers });
  expect(payload.userErrors).toEqual([]);
  return payload.booking!;
}

async function buy(showId: string, seatNumbers: string[]) {
  const user = uniqueUser();
  const booking = await holdOk(user, showId, seatNumbers);
  await t.ok(ConfirmBookingDocument, { id: booking.id }, { as: user });
  return booking;
}

describe("showReport", () => {
  it("adds up a scripted sale: seats by status, category and section, revenue, bookings, lapses, hours, blocks", async () => {
    const venueId = await createTheatre(t);
    const prices = [
      { category: "PREMIUM", amount: 5000, currency: "EUR" },
      { category: "STANDARD", amount: 3000, currency: "EUR" },
      { category: "RESTRICTED", amount: 1500, currency: "EUR" },
      { category: "ACCESSIBLE", amount: 2000, currency: "EUR" },
    ];
    const created = await t.ok(
      CreateShowDocument,
      { input: { name: "Report", venueId, startsAtLocal: "2031-03-01T19:30", prices } },
      admin(),
    );
    const showId = created.createShow.show!.id;

    const premium = await buy(showId, ["B1", "B2"]); // 2 × 50.00
    const standard = await buy(showId, ["C-A1", "C-A2", "C-A3"]); // 3 × 30.00
    await holdOk(uniqueUser(), showId, ["C-B1"]); // a hold that stands
    const expired = await holdOk(uniqueUser(), showId, ["C1", "C2"]);
    await lapseHolds(t.prisma, [expired.id]);
    await t.app.container.expiryTask.runOnce(); // released: FAILED, EXPIRED
    const lapsed = await holdOk(uniqueUser(), showId, ["BOXA-A1"]);
    await lapseHolds(t.prisma, [lapsed.id]); // lapsed, not released yet: PENDING, its seat still HELD
    const canceller = uniqueUser();
    const cancelled = await holdOk(canceller, showId, ["A5"]);
    await t.ok(CancelBookingDocument, { id: cancelled.id }, { as: canceller });
    const failed = await hold(t, uniqueUser(), { showId, seatNumbers: ["B1"] }); // FAILED, SEATS_UNAVAILABLE
    expect(failed.userErrors.map((e) => e.code)).toEqual(["SEATS_UNAVAILABLE"]);
    await block(showId, ["A9", "A10", "C-B10"], "Camera");
    await block(showId, ["BOXA-A3", "BOXA-A4"], "House seats");
    // A refund of one seat (refundBooking belongs to another part of the box office) and fixed confirmation times.
    await t.prisma
      .$executeRaw`INSERT INTO booking_refunds (booking_id, show_id, seat_numbers, amount, currency, refunded_by)
                               VALUES (${databaseId(premium.id)}::uuid, ${databaseId(showId)}::uuid, '{B2}', 5000, 'EUR', 'admin')`;
    await t.prisma
      .$executeRaw`UPDATE bookings SET confirmed_at = '2030-01-01T10:15:00Z' WHERE id = ${databaseId(premium.id)}::uuid`;
    await t.prisma
      .$executeRaw`UPDATE bookings SET confirmed_at = '2030-01-01T12:59:59.999Z' WHERE id = ${databaseId(standard.id)}::uuid`;

    const before = Date.now();
    const r = (await report(showId))!;
    expect(r.showId).toBe(showId);
    expect(r.byStatus).toEqual([
      { status: "AVAILABLE", seats: 40 },
      { status: "HELD", seats: 2 },
      { status: "BOOKED", seats: 5 },
      { status: "BLOCKED", seats: 5 },
    ]);
    const group = (key: string, label: string, counts: number[], sold: number) => ({
      key,
      label,
      available: counts[0],
      held: counts[1],
      booked: counts[2],
      blocked: counts[3],
      total: counts.reduce((a, b) => a + b, 0),
      soldRevenue: eur(sold),
    });
    expect(r.byCategory).toEqual([
      group("PREMIUM", "Premium", [17, 1, 2, 4], 10_000),
      group("STANDARD", "Standard", [21, 0, 3, 0], 9000),
      group("RESTRICTED", "Restricted view", [0, 1, 0, 1], 0),
      group("ACCESSIBLE", "Accessible", [2, 0, 0, 0], 0),
    ]);
    expect(r.bySection).toEqual([
      group("STALLS", "Stalls", [26, 0, 2, 2], 10_000),
      group("CIRCLE", "Circle", [13, 1, 3, 1], 9000),
      group("BOX_A", "Box A", [1, 1, 0, 2], 0),
    ]);
    expect(r.revenue).toEqual({ sold: eur(19_000), refunded: eur(5000) });
    expect(r.bookings).toEqual({
      pending: 2,
      confirmed: 2,
      refunded: 0,
      failed: 3,
      cancelled: 1,
      expired: 1,
      cancelledByOrganizer: 0,
    });
    expect(r.expiredHolds).toEqual({ bookings: 2, seats: 3 });
    expect(r.confirmationsPerHour).toEqual([
      { hour: "2030-01-01T10:00:00.000Z", bookings: 1, seats: 2 },
      { hour: "2030-01-01T12:00:00.000Z", bookings: 1, seats: 3 },
    ]);
    expect(r.blockedByReason).toEqual([
      { reason: "Camera", seats: 3 },
      { reason: "House seats", seats: 2 },
    ]);
    expect(Math.abs(new Date(r.generatedAt).getTime() - before)).toBeLessThan(10_000);
  });

  it("lists at most the latest 744 hours of confirmations", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2, createdBy: uniqueUser("admin") });
    // 750 past confirmations an hour apart, written directly (REFUNDED since: they hold no seats now).
    await t.prisma.$executeRaw`
      INSERT INTO bookings (show_id, user_id, status, seat_numbers, confirmed_at, total, currency)
      SELECT ${databaseId(show.id)}::uuid, 'buyer-' || i, 'REFUNDED', '{A1}',
             timestamptz '2030-01-01T00:30:00Z' + i * interval '1 hour', NULL, NULL
      FROM generate_series(0, 749) AS i`;
    const hours = (await report(show.id))!.confirmationsPerHour;
    expect(hours).toHaveLength(744);
    expect(hours[0]).toEqual({ hour: "2030-01-01T06:00:00.000Z", bookings: 1, seats: 1 });
    expect(hours.at(-1)!.hour).toBe(new Date(Date.UTC(2030, 0, 1, 749)).toISOString());
  });

  it("has no money for a show without prices, is null for an unknown show, and is for admins only", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 3, createdBy: uniqueUser("admin") });
    await buy(show.id, ["A1"]);
    const r = (await report(show.id))!;
    expect(r.revenue).toEqual({ sold: null, refunded: null });
    expect(r.byCategory).toHaveLength(1);
    expect(r.byCategory[0]).toMatchObject({ available: 5, booked: 1, total: 6, soldRevenue: null });
    expect(r.bySection[0]).toMatchObject({ total: 6, soldRevenue: null });
    expect(r.blockedByReason).toEqual([]);
    expect(await report("00000000-0000-4000-8000-000000000000")).toBeNull();
    const malformed = await t.request(ShowReportDocument, { showId: "not-a-show" }, admin());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["showId"] });
    const asUser = await t.request(ShowReportDocument, { showId: show.id }, { as: uniqueUser() });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.request(ShowReportDocument, { showId: show.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("seatHistory", () => {
  const history = async (showId: string, seatNumber: string, first?: number, after?: string) =>
    (await t.ok(SeatHistoryDocument, { showId, seatNumber, first, after }, admin())).seatHistory;
  const versionOf = async (showId: string, seatNumber: string) =>
    (await t.ok(SeatVersionsDocument, { id: showId })).show!.seats.find((s) => s.seatNumber === seatNumber)!.version;

  it("records hold → confirm with the booking and its user, versions as Seat.version", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4, createdBy: uniqueUser("admin") });
    const user = uniqueUser();
    const booking = await holdOk(user, show.id, ["A1", "A2"]);
    const heldVersion = await versionOf(show.id, "A1");
    await t.ok(ConfirmBookingDocument, { id: booking.id }, { as: user });
    const bookedVersion = await versionOf(show.id, "A1");

    const entries = await history(show.id, "A1");
    expect(entries.totalCount).toBe(2);
    expect(entries.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ version: heldVersion, status: "HELD", bookingId: booking.id, userId: user }),
      expect.objectContaining({ version: bookedVersion, status: "BOOKED", bookingId: booking.id, userId: user }),
    ]);
    expect(entries.edges.every((e) => e.node.blockReason === null)).toBe(true);

    // Pages by version.
    const first = await history(show.id, "A1", 1);
    expect(first.edges.map((e) => e.node.status)).toEqual(["HELD"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await history(show.id, "A1", 1, first.pageInfo.endCursor!);
    expect(second.edges.map((e) => e.node.status)).toEqual(["BOOKED"]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("records block → unblock with the reason, and a release with the booking that released the seat", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4, createdBy: uniqueUser("admin") });
    const [blocked] = await block(show.id, ["A3"], "Sound desk");
    const unblocked = await t.ok(UnblockSeatsDocument, { input: { showId: show.id, seatNumbers: ["A3"] } }, admin());
    const entries = (await history(show.id, "A3")).edges.map((e) => e.node);
    expect(
      entries.map(({ version, status, bookingId, userId, blockReason }) => ({
        version,
        status,
        bookingId,
        userId,
        blockReason,
      })),
    ).toEqual([
      { version: blocked!.version, status: "BLOCKED", bookingId: null, userId: null, blockReason: "Sound desk" },
      {
        version: unblocked.unblockSeats.seats[0]!.version,
        status: "AVAILABLE",
        bookingId: null,
        userId: null,
        blockReason: null,
      },
    ]);
    expect(entries[1]!.version).toBe(await versionOf(show.id, "A3"));

    const user = uniqueUser();
    const cancelled = await holdOk(user, show.id, ["A4"]);
    await t.ok(CancelBookingDocument, { id: cancelled.id }, { as: user });
    const released = (await history(show.id, "A4")).edges.map((e) => e.node);
    expect(released.map((e) => [e.status, e.bookingId, e.userId])).toEqual([
      ["HELD", cancelled.id, user],
      ["AVAILABLE", cancelled.id, user],
    ]);
    // Once the booking is gone (failed bookings are purged), its id stays and its user is no longer known.
    await t.prisma.$executeRaw`DELETE FROM bookings WHERE id = ${databaseId(cancelled.id)}::uuid`;
    const orphaned = (await history(show.id, "A4")).edges.map((e) => [e.node.bookingId, e.node.userId]);
    expect(orphaned).toEqual([
      [cancelled.id, null],
      [cancelled.id, null],
    ]);
  });

  it("is empty for an unknown show or seat, refuses a foreign cursor, and is for admins only", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2, createdBy: uniqueUser("admin") });
    expect(await history(show.id, "Z99")).toMatchObject({ totalCount: 0, edges: [] });
    expect(await history("00000000-0000-4000-8000-000000000000", "A1")).toMatchObject({ totalCount: 0, edges: [] });
    const malformed = await t.request(SeatHistoryDocument, { showId: "not-a-show", seatNumber: "A1" }, admin());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["showId"] });
    const bad = await t.request(
      SeatHistoryDocument,
      { showId: show.id, seatNumber: "A1", after: "bm90LWEtY3Vyc29y" },
      admin(),
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const asUser = await t.request(SeatHistoryDocument, { showId: show.id, seatNumber: "A1" }, { as: uniqueUser() });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("purges entries older than the retention, and keeps them all with 0", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4, createdBy: uniqueUser("admin") });
    await block(show.id, ["A1", "A2"], "Old");
    await block(show.id, ["A2"], "New");
    // A1's entry and A2's first entry are older than a year (the default retention); A2's second is recent.
    await t.prisma.$executeRaw`UPDATE seat_history SET changed_at = now() - interval '366 days'
                               WHERE show_id = ${databaseId(show.id)}::uuid AND block_reason = 'Old'`;
    expect(await t.app.container.seatHistoryPurge.runOnce()).toBeGreaterThanOrEqual(2);
    expect((await history(show.id, "A1")).totalCount).toBe(0);
    expect((await history(show.id, "A2")).edges.map((e) => e.node.blockReason)).toEqual(["New"]);
    expect(await t.app.container.seatHistoryPurge.runOnce()).toBe(0);

    await withTestApp({ SEAT_HISTORY_RETENTION_DAYS: "0" }, async (forever) => {
      const kept = await createShow(forever, { rows: 1, seatsPerRow: 2 });
      await forever.ok(
        BlockSeatsDocument,
        { input: { showId: kept.id, seatNumbers: ["A1"], reason: "Kept" } },
        { as: "admin", role: "admin" },
      );
      await forever.prisma.$executeRaw`UPDATE seat_history SET changed_at = now() - interval '100 years'`;
      expect(await forever.app.container.seatHistoryPurge.runOnce()).toBe(0);
      const [row] = await forever.prisma.$queryRaw<{ entries: number }[]>`
        SELECT count(*)::int AS entries FROM seat_history WHERE show_id = ${databaseId(kept.id)}::uuid`;
      expect(row!.entries).toBe(1);
    });
  });
});
