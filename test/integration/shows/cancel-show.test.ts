import {
  CancelShowDocument,
  ConfirmBookingDocument,
  CreateAdminShowDocument,
  HoldSeatsDocument,
} from "../../__generated__/graphql";
import { hold, uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { insertStartedShow } from "../../support/clock";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  // Every request comes from one address here: no per-address seat cap, and time enough for the holds to stand.
  t = await startTestApp({ MAX_HELD_SEATS_PER_ADDRESS: "0", HOLD_TTL_SECONDS: "600" });
});
afterAll(() => t.stop());
afterEach(async () => {
  expect((await checkInvariants(t.database.url)).violations).toEqual([]);
});

/** A show of rows × seatsPerRow at 10.00 EUR a seat, made by its own admin. */
async function pricedShow(rows: number, seatsPerRow: number) {
  const admin = uniqueUser("admin");
  const data = await t.ok(
    CreateAdminShowDocument,
    {
      input: {
        name: "To cancel",
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        rows,
        seatsPerRow,
        prices: [{ category: "STANDARD", amount: 1000, currency: "EUR" }],
      },
    },
    { as: admin, role: "admin" },
  );
  expect(data.createShow.userErrors).toEqual([]);
  return { show: data.createShow.show!, admin };
}

const cancel = async (admin: string, id: string, reason = "Storm damage") =>
  (await t.ok(CancelShowDocument, { input: { id, reason } }, { as: admin, role: "admin" })).cancelShow;

async function heldBooking(showId: string, seatNumbers: string[], user = uniqueUser()) {
  const held = await hold(t, user, { showId, seatNumbers });
  expect(held.userErrors).toEqual([]);
  return { user, booking: held.booking! };
}

async function confirmed(showId: string, seatNumbers: string[]) {
  const { user, booking } = await heldBooking(showId, seatNumbers);
  const done = await t.ok(ConfirmBookingDocument, { id: booking.id }, { as: user });
  expect(done.confirmBooking.userErrors).toEqual([]);
  return booking;
}

/** The show's state after a cancellation: what no cancelled show may have. */
async function expectFullyCancelled(apiShowId: string, reason: string) {
  const showId = databaseId(apiShowId);
  const open = await t.prisma.booking.count({ where: { showId, status: { in: ["PENDING", "CONFIRMED"] } } });
  expect(open).toBe(0);
  const seats = await t.prisma.seat.groupBy({ by: ["status", "blockReason"], where: { showId }, _count: true });
  expect(seats.map(({ status, blockReason }) => ({ status, blockReason }))).toEqual([
    { status: "blocked", blockReason: `Show cancelled: ${reason}` },
  ]);
  const owned = await t.prisma.seat.count({
    where: { showId, OR: [{ bookingId: { not: null } }, { ownerId: { not: null } }, { holdExpiresAt: { not: null } }] },
  });
  expect(owned).toBe(0);
}

describe("cancelShow", () => {
  it("ends pending and confirmed bookings, refunds the confirmed ones, blocks every seat", async () => {
    const { show, admin } = await pricedShow(2, 5);
    const pending = await heldBooking(show.id, ["A1", "A2"]);
    const paid = await confirmed(show.id, ["B1", "B2", "B3"]);
    const result = await cancel(admin, show.id, "  Storm damage  ");
    expect(result.userErrors).toEqual([]);
    expect(result.cancelledBookings).toBe(2);
    expect(result.show).toMatchObject({
      status: "CANCELLED",
      cancelReason: "Storm damage",
      availableSeats: 0,
      heldSeats: 0,
      bookedSeats: 0,
      blockedSeats: 10,
    });
    expect(result.show!.cancelledAt).not.toBeNull();
    await expectFullyCancelled(show.id, "Storm damage");
    const bookings = await t.prisma.booking.findMany({
      where: { id: { in: [databaseId(pending.booking.id), databaseId(paid.id)] } },
    });
    for (const booking of bookings)
      expect(booking).toMatchObject({ status: "FAILED", failureReason: "CANCELLED_BY_ORGANIZER", expiresAt: null });
    const refunds = await t.prisma.bookingRefund.findMany({ where: { showId: databaseId(show.id) } });
    expect(refunds).toMatchObject([
      {
        bookingId: databaseId(paid.id),
        seatNumbers: ["B1", "B2", "B3"],
        amount: 3000n,
        currency: "EUR",
        refundedBy: admin,
        reason: "Show cancelled: Storm damage",
      },
    ]);

    // Nothing can be held any more; a second cancellation has nothing left to do.
    const late = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A5"] });
    expect(late.userErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^SHOW_(CANCELLED|STARTED)$/)]);
    const again = await cancel(admin, show.id, "Again");
    expect(again.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
    expect(again.show).toMatchObject({ id: show.id, cancelReason: "Storm damage" });
    expect(again.cancelledBookings).toBe(0);
  });

  it("cancels a show that has started", async () => {
    const started = await insertStartedShow(t.prisma);
    const result = await cancel(uniqueUser("admin"), started.id);
    expect(result.userErrors).toEqual([]);
    expect(result.show).toMatchObject({ status: "CANCELLED", blockedSeats: 1 });
  });

  it("refuses a blank or long reason, an unknown show, and non-admins", async () => {
    const { show, admin } = await pricedShow(1, 2);
    for (const reason of ["   ", "x".repeat(501)]) {
      const refused = await cancel(admin, show.id, reason);
      expect(refused.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "reason"] }]);
    }
    const unknown = await cancel(admin, "00000000-0000-4000-8000-000000000000");
    expect(unknown.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "id"] }]);
    const asUser = await t.request(CancelShowDocument, { input: { id: show.id, reason: "x" } }, { as: "someone" });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await t.prisma.show.findUniqueOrThrow({ where: { id: databaseId(show.id) } })).cancelledAt).toBeNull();
  });

  it("finishes a cancellation that stopped after marking the show (step 1 only)", async () => {
    const { show, admin } = await pricedShow(2, 5);
    const pending = await heldBooking(show.id, ["A1"]);
    const paid = await confirmed(show.id, ["B4", "B5"]);
    // As if the process died right after step 1 committed.
    await t.prisma.$executeRaw`UPDATE shows SET cancelled_at = now(), cancel_reason = 'Flood'
                               WHERE id = ${databaseId(show.id)}::uuid`;
    const finished = await cancel(admin, show.id, "Another reason");
    expect(finished.userErrors).toEqual([]);
    expect(finished.cancelledBookings).toBe(2);
    // Finished under the reason it was cancelled with.
    expect(finished.show).toMatchObject({ status: "CANCELLED", cancelReason: "Flood", blockedSeats: 10 });
    await expectFullyCancelled(show.id, "Flood");
    const refunds = await t.prisma.bookingRefund.findMany({ where: { showId: databaseId(show.id) } });
    expect(refunds.map((refund) => refund.bookingId)).toEqual([databaseId(paid.id)]);
    expect(
      (await t.prisma.booking.findUniqueOrThrow({ where: { id: databaseId(pending.booking.id) } })).failureReason,
    ).toBe("CANCELLED_BY_ORGANIZER");
    expect((await cancel(admin, show.id)).userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
  });

  it("racing 200 holds and confirmations: nothing stays sold or held, every seat blocked, every sale refunded", async () => {
    const { show, admin } = await pricedShow(20, 20);
    const seat = (i: number) => `${String.fromCharCode(65 + Math.floor(i / 20))}${(i % 20) + 1}`;
    // Holds made just before, to be confirmed during the race (seats 0…49).
    const earlier = await Promise.all(Array.from({ length: 50 }, (_, i) => heldBooking(show.id, [seat(i)])));
    const holds = Array.from({ length: 200 }, (_, i) => ({ user: uniqueUser(), seatNumbers: [seat(100 + i)] }));
    // All at once; the cancellation is sent once the first answers are back, so it lands in the middle of the rest.
    let answered = 0;
    let midway!: () => void;
    const started = new Promise<void>((resolve) => (midway = resolve));
    const counted = <T>(request: Promise<T>) =>
      request.finally(() => {
        if (++answered === 25) midway();
      });
    // Confirmations sent first, then the holds, so that some of both are answered before the cancellation is sent.
    const confirming = earlier.map(({ user, booking }) =>
      counted(t.request(ConfirmBookingDocument, { id: booking.id }, { as: user })),
    );
    const holding = holds.map(({ user, seatNumbers }) =>
      counted(t.request(HoldSeatsDocument, { input: { showId: show.id, seatNumbers } }, { as: user })),
    );
    const [cancelled, holdResults, confirmResults] = await Promise.all([
      started.then(() => cancel(admin, show.id, "Race")),
      Promise.all(holding),
      Promise.all(confirming),
    ]);
    expect(cancelled.userErrors).toEqual([]);

    let heldBeforeCancel = 0;
    for (const response of holdResults) {
      expect(response.errors).toBeUndefined();
      const { booking, userErrors } = response.data!.holdSeats;
      if (userErrors.length === 0) heldBeforeCancel++;
      else expect(userErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^SHOW_(CANCELLED|STARTED)$/)]);
      if (booking) expect(booking.status).not.toBe("CONFIRMED");
    }
    let confirmedBeforeCancel = 0;
    for (const response of confirmResults) {
      expect(response.errors).toBeUndefined();
      const { userErrors } = response.data!.confirmBooking;
      if (userErrors.length === 0) confirmedBeforeCancel++;
      else expect(["SHOW_CANCELLED", "SHOW_STARTED", "INVALID_STATE", "HOLD_EXPIRED"]).toContain(userErrors[0]!.code);
    }

    await expectFullyCancelled(show.id, "Race");
    const bookings = await t.prisma.booking.findMany({ where: { showId: databaseId(show.id) } });
    const ended = bookings.filter((booking) => booking.failureReason === "CANCELLED_BY_ORGANIZER");
    // Every booking that stood when the show was cancelled was ended by this call, and only those.
    expect(ended).toHaveLength(cancelled.cancelledBookings);
    expect(ended.length).toBe(50 + heldBeforeCancel);
    // Every booking confirmed before the cancellation (and only those) was refunded in full.
    const refunds = await t.prisma.bookingRefund.findMany({ where: { showId: databaseId(show.id) } });
    const wasConfirmed = ended.filter((booking) => booking.confirmedAt !== null);
    expect(wasConfirmed).toHaveLength(confirmedBeforeCancel);
    expect(refunds.map((refund) => refund.bookingId).sort()).toEqual(wasConfirmed.map((b) => b.id).sort());
    for (const refund of refunds) expect(refund).toMatchObject({ amount: 1000n, currency: "EUR", refundedBy: admin });
    // The race was one: some got in before the cancellation, some were refused by it.
    expect(heldBeforeCancel + confirmedBeforeCancel).toBeGreaterThanOrEqual(25);
    expect(heldBeforeCancel + confirmedBeforeCancel).toBeLessThan(250);
    process.stdout.write(
      `cancel race: ${heldBeforeCancel}/200 holds and ${confirmedBeforeCancel}/50 confirmations got in first\n`,
    );
  });
});
