import { ConfirmBookingDocument, RefundBookingDocument } from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants, toGlobalId } from "../../support/from-src";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

// A show's cap, owner-refund policy and prices are set in SQL: every seat gets a price of its own (the API prices by
// category).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...BOX_OFFICE_SETTINGS, MAX_ACTIVE_HOLDS_PER_USER: "20" });
});
afterAll(() => t.stop());

/** A show whose seats cost 1000 + their number (minor units of EUR), with the terms given. */
async function pricedShow(terms: { cap?: number; ownerRefunds?: boolean } = {}) {
  const show = await createShow(t, { rows: 2, seatsPerRow: 6, createdBy: uniqueUser("admin") });
  await t.prisma.$executeRaw`UPDATE shows SET currency = 'EUR', max_seats_per_user = ${terms.cap ?? null}::int,
                                              owner_refunds = ${terms.ownerRefunds ?? false}
                             WHERE id = ${databaseId(show.id)}::uuid`;
  // Every seat its own price (the API prices by category), and the cap where claims read it (see seats.owner_cap).
  await t.prisma.$executeRaw`UPDATE seats SET price = 1000 + seat_in_row, owner_cap = ${terms.cap ?? null}::int
                             WHERE show_id = ${databaseId(show.id)}::uuid`;
  return show;
}

async function confirmed(showId: string, user: string, seatNumbers: string[]) {
  const held = await hold(t, user, { showId, seatNumbers });
  expect(held.userErrors).toEqual([]);
  const data = await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
  expect(data.confirmBooking.userErrors).toEqual([]);
  return held.booking!.id;
}

/** The seats' rows, their booking ids as the API returns them. */
const seatRows = async (showId: string, seats: string[]) =>
  (
    await t.prisma.$queryRaw<
      { seat_number: string; status: string; booking_id: string | null; owner_slot: number | null }[]
    >`
      SELECT seat_number, status::text, booking_id::text, owner_slot FROM seats
      WHERE show_id = ${databaseId(showId)}::uuid AND seat_number = ANY(${seats}::text[]) ORDER BY seat_number`
  ).map((seat) => ({ ...seat, booking_id: seat.booking_id && toGlobalId("Booking", seat.booking_id) }));

describe("refundBooking", () => {
  it("refunds some seats, then the rest: totals, the refunds list, REFUNDED, seats and owner slots free again", async () => {
    const show = await pricedShow({ cap: 3 });
    const user = uniqueUser();
    const bookingId = await confirmed(show.id, user, ["A1", "A2", "A3"]);
    expect((await seatRows(show.id, ["A1", "A2", "A3"])).every((s) => s.owner_slot !== null)).toBe(true);
    // At the cap: one more seat is refused.
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["B1"] })).userErrors[0]!.code).toBe("LIMIT_EXCEEDED");

    const byAdmin = admin();
    const partial = (
      await t.ok(
        RefundBookingDocument,
        { input: { bookingId, seatNumbers: ["a2"], reason: "  obstructed view " } },
        byAdmin,
      )
    ).refundBooking;
    expect(partial.userErrors).toEqual([]);
    expect(partial.booking).toMatchObject({
      status: "CONFIRMED",
      seatNumbers: ["A1", "A3"],
      total: { amount: 1001 + 1003, currency: "EUR" },
      refunds: [
        {
          seatNumbers: ["A2"],
          amount: { amount: 1002, currency: "EUR" },
          refundedBy: byAdmin.as,
          reason: "obstructed view",
        },
      ],
    });
    expect(partial.booking!.confirmedAt).not.toBeNull();
    expect(await seatRows(show.id, ["A2"])).toEqual([
      { seat_number: "A2", status: "available", booking_id: null, owner_slot: null },
    ]);
    // The refunded seat's slot is the user's again.
    const another = await hold(t, user, { showId: show.id, seatNumbers: ["B1"] });
    expect(another.userErrors).toEqual([]);

    const full = (await t.ok(RefundBookingDocument, { input: { bookingId } }, byAdmin)).refundBooking;
    expect(full.userErrors).toEqual([]);
    expect(full.booking).toMatchObject({
      status: "REFUNDED",
      seatNumbers: ["A1", "A3"],
      total: { amount: 2004, currency: "EUR" },
      refunds: [
        { seatNumbers: ["A2"], amount: { amount: 1002 } },
        { seatNumbers: ["A1", "A3"], amount: { amount: 2004 }, reason: null },
      ],
    });
    expect((await seatRows(show.id, ["A1", "A3"])).map((s) => [s.status, s.booking_id, s.owner_slot])).toEqual([
      ["available", null, null],
      ["available", null, null],
    ]);
    // Refunded in full: nothing more to refund.
    const again = (await t.ok(RefundBookingDocument, { input: { bookingId } }, byAdmin)).refundBooking;
    expect(again.userErrors.map((e) => e.code)).toEqual(["INVALID_STATE"]);
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] })).userErrors).toEqual([]);
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });

  it("refuses what is not the booking's, a booking not CONFIRMED, and an unknown booking, changing nothing", async () => {
    const show = await pricedShow();
    const user = uniqueUser();
    const bookingId = await confirmed(show.id, user, ["A1", "A2"]);
    const refund = async (input: { bookingId: string; seatNumbers?: string[] }) =>
      (await t.ok(RefundBookingDocument, { input }, admin())).refundBooking;

    const foreign = await refund({ bookingId, seatNumbers: ["A1", "B5", "B6"] });
    expect(foreign.userErrors).toMatchObject([{ code: "INVALID_INPUT", seatNumbers: ["B5", "B6"] }]);
    expect(foreign.booking).toMatchObject({ status: "CONFIRMED", seatNumbers: ["A1", "A2"], refunds: [] });
    expect((await refund({ bookingId, seatNumbers: ["A1", "a1"] })).userErrors[0]!.code).toBe("INVALID_INPUT");

    const pending = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B1"] });
    expect((await refund({ bookingId: pending.booking!.id })).userErrors).toMatchObject([{ code: "INVALID_STATE" }]);
    expect((await refund({ bookingId: "00000000-0000-4000-8000-000000000000" })).userErrors[0]!.code).toBe("NOT_FOUND");
    const malformed = await t.request(RefundBookingDocument, { input: { bookingId: "nope" } }, admin());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["input", "bookingId"] });
    expect((await seatRows(show.id, ["A1", "A2"])).map((s) => s.status)).toEqual(["booked", "booked"]);
  });

  it("lets anonymous callers nothing, other users nothing, owners only by the show's policy, admins anything", async () => {
    const show = await pricedShow({ ownerRefunds: false });
    const owner = uniqueUser();
    const bookingId = await confirmed(show.id, owner, ["A1", "A2", "A3"]);
    const input = (seat: string) => ({ input: { bookingId, seatNumbers: [seat] } });

    const anonymous = await t.request(RefundBookingDocument, input("A1"));
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const stranger = await t.request(RefundBookingDocument, input("A1"), { as: uniqueUser() });
    expect(stranger.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const notAllowed = (await t.ok(RefundBookingDocument, input("A1"), { as: owner })).refundBooking;
    expect(notAllowed.userErrors.map((e) => e.code)).toEqual(["NOT_ALLOWED"]);

    await t.prisma.$executeRaw`UPDATE shows SET owner_refunds = true WHERE id = ${databaseId(show.id)}::uuid`;
    const byOwner = (await t.ok(RefundBookingDocument, input("A1"), { as: owner })).refundBooking;
    expect(byOwner.userErrors).toEqual([]);
    expect(byOwner.booking!.refunds).toMatchObject([{ seatNumbers: ["A1"], refundedBy: owner }]);

    // Once the show has started, owners may not (the statement reads the show row, so moving it in SQL is enough).
    await t.prisma
      .$executeRaw`UPDATE shows SET starts_at = now() - interval '1 minute' WHERE id = ${databaseId(show.id)}::uuid`;
    const started = (await t.ok(RefundBookingDocument, input("A2"), { as: owner })).refundBooking;
    expect(started.userErrors.map((e) => e.code)).toEqual(["NOT_ALLOWED"]);
    const byAdmin = (await t.ok(RefundBookingDocument, input("A2"), admin())).refundBooking;
    expect(byAdmin.userErrors).toEqual([]);
    expect(byAdmin.booking!.seatNumbers).toEqual(["A3"]);
  });

  it("races a refund against holds of the refunded seat: a hold wins only after the refund, never two owners", async () => {
    for (let round = 0; round < 6; round++) {
      const show = await pricedShow();
      const bookingId = await confirmed(show.id, uniqueUser(), ["A1", "A2"]);
      const holders = Array.from({ length: 6 }, () => uniqueUser());
      const [refund, ...holds] = await Promise.all([
        t.ok(RefundBookingDocument, { input: { bookingId, seatNumbers: ["A1"] } }, admin()),
        ...holders.map((user) => hold(t, user, { showId: show.id, seatNumbers: ["A1"] })),
      ]);
      expect(refund.refundBooking.userErrors).toEqual([]);
      const won = holds.filter((h) => h.booking?.status === "PENDING");
      expect(won.length).toBeLessThanOrEqual(1);
      for (const lost of holds.filter((h) => h.booking?.status !== "PENDING")) {
        expect(lost.userErrors[0]!.code).toBe("SEATS_UNAVAILABLE");
      }
      const [seat] = await seatRows(show.id, ["A1"]);
      expect(seat!.booking_id).toBe(won[0]?.booking!.id ?? null);
      if (won[0]) {
        // The winning hold committed after the refund: its seat change is the later one.
        const [history] = await t.prisma.$queryRaw<{ statuses: string[] }[]>`
          SELECT array_agg(h.status::text ORDER BY h.version) AS statuses FROM seat_history h
          WHERE h.show_id = ${databaseId(show.id)}::uuid AND h.seat_number = 'A1'`;
        expect(history!.statuses.slice(-2)).toEqual(["available", "held"]);
      }
    }
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });
});
