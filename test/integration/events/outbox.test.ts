import { randomUUID } from "node:crypto";
import {
  BlockSeatsDocument,
  BookingEventsDocument,
  type BookingEventsQuery,
  CancelBookingDocument,
  CancelShowDocument,
  ChangeSeatsDocument,
  ConfirmBookingDocument,
  ExtendHoldDocument,
  RefundBookingDocument,
  UnblockSeatsDocument,
  UpdateShowDocument,
} from "../../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { sequenceCommitted } from "../../support/events";
import { databaseId } from "../../support/ids";

type EventNode = BookingEventsQuery["bookingEvents"]["edges"][number]["node"];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(BOX_OFFICE_SETTINGS);
});
afterAll(() => t.stop());

/** Sequences what is committed, then reads the show's whole log through the pull API, page by page. */
async function eventsOf(showId: string): Promise<EventNode[]> {
  await sequenceCommitted(t);
  const events: EventNode[] = [];
  let after: string | null = null;
  for (;;) {
    const page: BookingEventsQuery = await t.ok(BookingEventsDocument, { showId, after, first: 7 }, admin());
    events.push(...page.bookingEvents.edges.map((edge) => edge.node));
    if (!page.bookingEvents.pageInfo.hasNextPage) return events;
    after = page.bookingEvents.pageInfo.endCursor;
  }
}

const typesOf = (events: EventNode[], bookingId: string) =>
  events.filter((event) => event.bookingId === bookingId).map((event) => event.type);

async function holdSeats(showId: string, seatNumbers: string[]) {
  const user = uniqueUser();
  const held = await hold(t, user, { showId, seatNumbers });
  expect(held.userErrors).toEqual([]);
  return { user, id: held.booking!.id };
}

describe("the outbox", () => {
  it("writes one event per state change, in the change's own transaction, numbered per show without gaps", async () => {
    const show = await createShow(t, { rows: 3, seatsPerRow: 5 });
    const renamed = await t.ok(UpdateShowDocument, { input: { id: show.id, name: "Renamed" } }, admin());
    expect(renamed.updateShow.userErrors).toEqual([]);
    const blocking = { showId: show.id, seatNumbers: ["C5", "C4"] };
    expect(
      (await t.ok(BlockSeatsDocument, { input: { ...blocking, reason: "Desk" } }, admin())).blockSeats.userErrors,
    ).toEqual([]);
    expect(
      (await t.ok(UnblockSeatsDocument, { input: { showId: show.id, seatNumbers: ["C4"] } }, admin())).unblockSeats
        .userErrors,
    ).toEqual([]);

    // One customer's whole life: hold, extend, confirm, refund one seat, move one seat.
    const first = await holdSeats(show.id, ["A1", "A2"]);
    expect((await t.ok(ExtendHoldDocument, { id: first.id }, { as: first.user })).extendHold.userErrors).toEqual([]);
    expect(
      (await t.ok(ConfirmBookingDocument, { id: first.id }, { as: first.user })).confirmBooking.userErrors,
    ).toEqual([]);
    const refund = { bookingId: first.id, seatNumbers: ["A2"], reason: "Ill" };
    expect((await t.ok(RefundBookingDocument, { input: refund }, admin())).refundBooking.userErrors).toEqual([]);
    const move = { bookingId: first.id, release: ["A1"], take: ["A3"], idempotencyKey: randomUUID() };
    expect((await t.ok(ChangeSeatsDocument, { input: move }, admin())).changeSeats.userErrors).toEqual([]);

    const cancelled = await holdSeats(show.id, ["B1"]);
    expect(
      (await t.ok(CancelBookingDocument, { id: cancelled.id }, { as: cancelled.user })).cancelBooking.userErrors,
    ).toEqual([]);
    const expired = await holdSeats(show.id, ["B2"]);
    await lapseHolds(t.prisma, [expired.id]);
    await t.app.container.expiryTask.runOnce();
    const refunded = await holdSeats(show.id, ["B3"]);
    await t.ok(ConfirmBookingDocument, { id: refunded.id }, { as: refunded.user });
    await t.ok(RefundBookingDocument, { input: { bookingId: refunded.id } }, admin());
    // A refused hold records a FAILED booking (for idempotent retries) but changes nothing: no event.
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] })).userErrors).not.toEqual([]);
    const pending = await holdSeats(show.id, ["C1"]);
    const cancelShow = await t.ok(CancelShowDocument, { input: { id: show.id, reason: "Storm" } }, admin());
    expect(cancelShow.cancelShow.userErrors).toEqual([]);

    const events = await eventsOf(show.id);
    expect(events.map((event) => event.position)).toEqual(events.map((_, i) => i + 1));
    const sequences = events.map((event) => BigInt(event.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(events.filter((event) => event.bookingId === null).map((event) => event.type)).toEqual([
      "SHOW_CREATED",
      "SHOW_UPDATED",
      "SEATS_BLOCKED",
      "SEATS_UNBLOCKED",
      "SHOW_CANCELLED",
    ]);
    expect(typesOf(events, first.id)).toEqual([
      "BOOKING_HELD",
      "BOOKING_HOLD_EXTENDED",
      "BOOKING_CONFIRMED",
      "BOOKING_REFUNDED",
      "BOOKING_SEATS_CHANGED",
      "BOOKING_CANCELLED_BY_ORGANIZER",
    ]);
    expect(typesOf(events, cancelled.id)).toEqual(["BOOKING_HELD", "BOOKING_CANCELLED"]);
    expect(typesOf(events, expired.id)).toEqual(["BOOKING_HELD", "BOOKING_EXPIRED"]);
    expect(typesOf(events, refunded.id)).toEqual(["BOOKING_HELD", "BOOKING_CONFIRMED", "BOOKING_REFUNDED"]);
    expect(typesOf(events, pending.id)).toEqual(["BOOKING_HELD", "BOOKING_CANCELLED_BY_ORGANIZER"]);
    expect(events).toHaveLength(5 + 6 + 2 + 2 + 3 + 2);

    // The data is the booking as the API returns it, and what a refund or a move did.
    const ofFirst = events.filter((event) => event.bookingId === first.id);
    expect(ofFirst[0]!.data).toMatchObject({
      id: first.id,
      userId: first.user,
      status: "PENDING",
      seatNumbers: ["A1", "A2"],
    });
    expect(ofFirst[3]!.data).toMatchObject({ status: "CONFIRMED", seatNumbers: ["A1"], released: ["A2"], taken: [] });
    expect(ofFirst[4]!.data).toMatchObject({ seatNumbers: ["A3"], released: ["A1"], taken: ["A3"] });
    expect(ofFirst[5]!.data).toMatchObject({ status: "FAILED", failureReason: "CANCELLED_BY_ORGANIZER" });
    expect(events.find((event) => event.type === "SEATS_BLOCKED")!.data).toEqual({
      showId: show.id,
      seatNumbers: ["C4", "C5"],
      reason: "Desk",
    });
    // cancelShow marks the show first (holds refuse from then on), then cancels its bookings.
    const showCancelled = events.find((event) => event.type === "SHOW_CANCELLED")!;
    expect(events.filter((event) => event.position > showCancelled.position).map((event) => event.type)).toEqual([
      "BOOKING_CANCELLED_BY_ORGANIZER",
      "BOOKING_CANCELLED_BY_ORGANIZER",
    ]);
    expect(showCancelled.data).toMatchObject({
      id: show.id,
      name: "Renamed",
      status: "CANCELLED",
      cancelReason: "Storm",
    });

    // The seat versions are those the change wrote (the seat history has each with this booking).
    const heldVersions = ofFirst[0]!.seatVersions;
    expect(heldVersions).toHaveLength(2);
    const history = await t.prisma.$queryRaw<{ version: bigint; status: string; booking_id: string }[]>`
      SELECT version, status::text, booking_id::text FROM seat_history WHERE version = ANY(${heldVersions}::bigint[])`;
    expect(history.map((entry) => [entry.status, entry.booking_id])).toEqual([
      ["held", databaseId(first.id)],
      ["held", databaseId(first.id)],
    ]);
    expect(ofFirst[4]!.seatVersions).toHaveLength(2); // A1 released, A3 taken
  });

  it("writes nothing for a change that rolls back", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    const held = await holdSeats(show.id, ["A1"]);
    const before = await eventsOf(show.id);
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE bookings SET status = 'CONFIRMED', expires_at = NULL, confirmed_at = now()
                             WHERE id = ${databaseId(held.id)}::uuid`;
        throw new Error("payment declined");
      }),
    ).rejects.toThrow("payment declined");
    const [outbox] = await t.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM booking_outbox WHERE booking_id = ${databaseId(held.id)}::uuid`;
    expect(outbox!.n).toBe(0);
    expect(await eventsOf(show.id)).toEqual(before);
  });
});
