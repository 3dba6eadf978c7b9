import {
  CancelBookingDocument,
  CancelShowDocument,
  ConfirmBookingDocument,
  ExtendHoldDocument,
  SearchBookingsDocument,
  ShowBookingsDocument,
  UpdateShowDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

// A show's cap is set through updateShow; to reach the checks of a cancelled show with its bookings still PENDING,
// one test marks the show cancelled in SQL (as cancelShow's first step leaves it) and finishes with cancelShow.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...BOX_OFFICE_SETTINGS, MAX_ACTIVE_HOLDS_PER_USER: "10" });
});
afterAll(() => t.stop());
const newShow = () => createShow(t, { rows: 3, seatsPerRow: 6, createdBy: uniqueUser("admin") });
const setCap = async (showId: string, cap: number | null) => {
  const { updateShow } = await t.ok(UpdateShowDocument, { input: { id: showId, maxSeatsPerUser: cap } }, admin());
  expect(updateShow.userErrors).toEqual([]);
};

describe("admins' booking lists", () => {
  it("lists a show's bookings newest first, by status and user, page by page; admins only", async () => {
    const show = await newShow();
    const alice = uniqueUser();
    const bob = uniqueUser();
    const first = await hold(t, alice, { showId: show.id, seatNumbers: ["A1"] });
    await t.ok(ConfirmBookingDocument, { id: first.booking!.id }, { as: alice });
    const second = await hold(t, bob, { showId: show.id, seatNumbers: ["A2"] });
    const third = await hold(t, alice, { showId: show.id, seatNumbers: ["A3"] });
    await t.ok(CancelBookingDocument, { id: third.booking!.id }, { as: alice });

    const all = (await t.ok(ShowBookingsDocument, { id: show.id }, admin())).show!.bookings;
    expect(all.totalCount).toBe(3);
    expect(all.edges.map((e) => e.node.id)).toEqual([third, second, first].map((h) => h.booking!.id));
    const page1 = (await t.ok(ShowBookingsDocument, { id: show.id, first: 2 }, admin())).show!.bookings;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await t.ok(ShowBookingsDocument, { id: show.id, first: 2, after: page1.pageInfo.endCursor }, admin())
    ).show!.bookings;
    expect(page2.edges.map((e) => e.node.id)).toEqual([first.booking!.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const confirmed = (await t.ok(ShowBookingsDocument, { id: show.id, status: ["CONFIRMED"] }, admin())).show!
      .bookings;
    expect(confirmed.edges.map((e) => e.node.status)).toEqual(["CONFIRMED"]);
    const ofAlice = (await t.ok(ShowBookingsDocument, { id: show.id, userId: alice }, admin())).show!.bookings;
    expect(ofAlice.edges.map((e) => e.node.userId)).toEqual([alice, alice]);

    const anonymous = await t.request(ShowBookingsDocument, { id: show.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const owner = await t.request(ShowBookingsDocument, { id: show.id }, { as: alice });
    expect(owner.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("searches bookings by show, user, status, seat and creation time; admins only", async () => {
    const show = await newShow();
    const other = await newShow();
    const user = uniqueUser();
    const before = new Date(Date.now() - 1000);
    const a = await hold(t, user, { showId: show.id, seatNumbers: ["B1", "B2"] });
    await hold(t, user, { showId: other.id, seatNumbers: ["B1"] });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B3"] });

    const search = async (variables: Record<string, unknown>) =>
      (await t.ok(SearchBookingsDocument, variables, admin())).bookings;
    expect((await search({ userId: user })).totalCount).toBe(2);
    expect((await search({ showId: show.id })).totalCount).toBe(2);
    const bySeat = await search({ showId: show.id, seatNumber: "b2" });
    expect(bySeat.edges.map((e) => e.node.id)).toEqual([a.booking!.id]);
    expect((await search({ userId: user, status: ["CONFIRMED"] })).totalCount).toBe(0);
    expect((await search({ userId: user, createdFrom: before.toISOString() })).totalCount).toBe(2);
    expect((await search({ userId: user, createdTo: before.toISOString() })).totalCount).toBe(0);
    const page = await search({ userId: user, first: 1 });
    const next = await search({ userId: user, first: 1, after: page.pageInfo.endCursor });
    expect(next.edges).toHaveLength(1);
    expect(next.edges[0]!.node.id).not.toBe(page.edges[0]!.node.id);
    const bad = await t.request(SearchBookingsDocument, { showId: "not-a-show" }, admin());
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    expect((await t.request(SearchBookingsDocument, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await t.request(SearchBookingsDocument, {}, { as: user })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("purchase caps and closed shows", () => {
  it("caps the seats one user owns (held and booked), frees them on cancel and lapse, and assigns nothing uncapped", async () => {
    const show = await newShow();
    await setCap(show.id, 3);
    const user = uniqueUser();
    const first = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    await t.ok(ConfirmBookingDocument, { id: first.booking!.id }, { as: user });
    const over = await hold(t, user, { showId: show.id, seatNumbers: ["B1", "B2"] });
    expect(over.userErrors).toMatchObject([
      { code: "LIMIT_EXCEEDED", message: expect.stringMatching(/at most 3 seats/) },
    ]);
    expect(over.booking).toBeNull();
    expect((await hold(t, user, { showId: show.id, quantity: 2 })).userErrors[0]!.code).toBe("LIMIT_EXCEEDED");
    // Others are not affected.
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B1", "B2", "B3"] })).userErrors).toEqual([]);

    const third = await hold(t, user, { showId: show.id, seatNumbers: ["C1"] });
    expect(third.userErrors).toEqual([]);
    await t.ok(CancelBookingDocument, { id: third.booking!.id }, { as: user });
    const again = await hold(t, user, { showId: show.id, quantity: 1 });
    expect(again.userErrors).toEqual([]);
    // A lapsed hold gives its slot back at once, before the expiry task runs.
    await lapseHolds(t.prisma, [again.booking!.id]);
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["C6"] })).userErrors).toEqual([]);

    const owned = await t.prisma.$queryRaw<{ seat_number: string; owner_slot: number }[]>`
      SELECT seat_number, owner_slot FROM seats WHERE show_id = ${databaseId(show.id)}::uuid AND owner_id = ${user} ORDER BY seat_number`;
    expect(owned.map((s) => s.seat_number)).toEqual(["A1", "A2", "C6"]);
    expect(owned.map((s) => s.owner_slot).sort()).toEqual([1, 2, 3]);

    const uncapped = await newShow();
    await hold(t, user, { showId: uncapped.id, seatNumbers: ["A1", "A2", "A3", "A4"] });
    const [{ count }] = await t.prisma.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM seats WHERE show_id = ${databaseId(uncapped.id)}::uuid AND owner_id IS NOT NULL`;
    expect(Number(count)).toBe(0);
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });

  it("refuses holds, confirmations and extensions on a cancelled show with SHOW_CANCELLED", async () => {
    const show = await newShow();
    const user = uniqueUser();
    const pending = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    // Cancelled as cancelShow will leave the row (its bookings are left PENDING here to reach the check).
    await t.prisma
      .$executeRaw`UPDATE shows SET cancelled_at = now(), cancel_reason = 'storm' WHERE id = ${databaseId(show.id)}::uuid`;
    const refused = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
    expect(refused.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
    const confirm = await t.ok(ConfirmBookingDocument, { id: pending.booking!.id }, { as: user });
    expect(confirm.confirmBooking.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
    const extend = await t.ok(ExtendHoldDocument, { id: pending.booking!.id }, { as: user });
    expect(extend.extendHold.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
    // A booking the cancellation ended is simply in the wrong state.
    await t.prisma.$executeRaw`UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL
                               WHERE booking_id = ${databaseId(pending.booking!.id)}::uuid`;
    await t.prisma.$executeRaw`UPDATE bookings SET status = 'FAILED', failure_reason = 'CANCELLED_BY_ORGANIZER'
                               WHERE id = ${databaseId(pending.booking!.id)}::uuid`;
    const ended = await t.ok(ConfirmBookingDocument, { id: pending.booking!.id }, { as: user });
    expect(ended.confirmBooking.userErrors.map((e) => e.code)).toEqual(["INVALID_STATE"]);
    // cancelShow finishes what the SQL above began (every seat off sale), so the database is left consistent.
    const admin = { as: uniqueUser("admin"), role: "admin" as const };
    const finished = await t.ok(CancelShowDocument, { input: { id: show.id, reason: "storm" } }, admin);
    expect(finished.cancelShow.userErrors).toEqual([]);
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });
});
