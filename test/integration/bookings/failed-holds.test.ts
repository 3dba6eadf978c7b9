import { MyBookingsDocument } from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { ageBooking } from "../../support/hoarding";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ FAILED_BOOKING_RETENTION_SECONDS: "60", IDEMPOTENCY_REPLAY_SECONDS: "600" });
});
afterAll(() => t.stop());

/** A failed hold of `user` (the seat is someone else's), with or without an idempotency key. */
async function failedHold(showId: string, user: string, idempotencyKey?: string) {
  const { booking, userErrors } = await hold(t, user, { showId, seatNumbers: ["A1"], idempotencyKey });
  expect(userErrors[0]!.code).toBe("SEATS_UNAVAILABLE");
  return booking!;
}

const exists = async (id: string) => (await t.prisma.booking.count({ where: { id: databaseId(id) } })) === 1;

describe("failed holds", () => {
  it("are deleted after retention, those with an idempotency key only after the replay window", async () => {
    const show = await createShow(t);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    const user = uniqueUser();
    const keyless = await failedHold(show.id, user);
    const keyed = await failedHold(show.id, user, "attempt-1");
    const recent = await failedHold(show.id, user);
    const cancelled = (await hold(t, user, { showId: show.id, seatNumbers: ["B1"] })).booking!;
    await t.prisma
      .$executeRaw`UPDATE bookings SET status = 'FAILED', failure_reason = 'CANCELLED' WHERE id = ${databaseId(cancelled.id)}::uuid`;
    await t.prisma.$executeRaw`UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL
                               WHERE booking_id = ${databaseId(cancelled.id)}::uuid`;
    for (const booking of [keyless, keyed, cancelled]) await ageBooking(t.prisma, booking.id, 120);

    await t.app.container.expiryTask.runOnce();
    expect(await exists(keyless.id)).toBe(false);
    expect(await exists(recent.id)).toBe(true);
    expect(await exists(cancelled.id)).toBe(true); // the user's history: only failed attempts are purged
    expect(await exists(keyed.id)).toBe(true);
    // Within the replay window a retry with the key still replays the failure.
    const retry = await hold(t, user, { showId: show.id, seatNumbers: ["A1"], idempotencyKey: "attempt-1" });
    expect(retry.booking!.id).toBe(keyed.id);

    await ageBooking(t.prisma, keyed.id, 600);
    expect(await t.app.container.bookings.purgeFailedHolds()).toBe(1);
    expect(await exists(keyed.id)).toBe(false);
  });

  it("stay out of myBookings unless asked for with `status`", async () => {
    const show = await createShow(t);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    const user = uniqueUser();
    const failed = await failedHold(show.id, user);
    const pending = (await hold(t, user, { showId: show.id, seatNumbers: ["A2"] })).booking!;
    const mine = async (status?: ("PENDING" | "CONFIRMED" | "FAILED")[]) => {
      const { myBookings } = await t.ok(MyBookingsDocument, { status }, { as: user });
      return { ids: myBookings.edges.map((e) => e.node.id), totalCount: myBookings.totalCount };
    };
    expect(await mine()).toEqual({ ids: [pending.id], totalCount: 1 });
    expect(await mine(["FAILED"])).toEqual({ ids: [failed.id], totalCount: 1 });
    expect(await mine(["FAILED", "PENDING"])).toEqual({ ids: [pending.id, failed.id], totalCount: 2 });
  });
});
