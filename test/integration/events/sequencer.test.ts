import pg from "pg";
import { BookingEventsDocument, CancelBookingDocument, ConfirmBookingDocument } from "../../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { sequenceCommitted } from "../../support/events";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";
import { toGlobalId } from "../../support/from-src";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(BOX_OFFICE_SETTINGS);
});
afterAll(() => t.stop());

const sequencer = () => t.app.container.events.sequencer;

/** The show's event log as stored, its booking ids as the API returns them. */
const logOf = async (showId: string) =>
  (
    await t.prisma.$queryRaw<{ sequence: bigint; position: bigint; type: string; booking_id: string | null }[]>`
      SELECT sequence, position, type, booking_id::text FROM booking_events WHERE show_id = ${databaseId(showId)}::uuid
      ORDER BY sequence`
  ).map((event) => ({ ...event, booking_id: event.booking_id && toGlobalId("Booking", event.booking_id) }));

describe("the sequencer", () => {
  it("numbers an event only once every older transaction has ended, so a later commit never overtakes it", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const early = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    await sequenceCommitted(t);

    // A transaction changes the booking (its event is written) and stays open…
    const slow = new pg.Client({ connectionString: t.database.url });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      await slow.query("UPDATE bookings SET extension_count = extension_count + 1 WHERE id = $1", [
        databaseId(early.booking!.id),
      ]);
      // …while a later one commits.
      const late = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
      expect(late.userErrors).toEqual([]);
      expect(await sequencer().runOnce()).toBe(0);
      expect((await logOf(show.id)).map((event) => event.type)).toEqual(["show.created", "booking.held"]);

      await slow.query("COMMIT");
      expect(await sequenceCommitted(t)).toBe(2);
      expect((await logOf(show.id)).map((event) => [event.type, event.booking_id, Number(event.position)])).toEqual([
        ["show.created", null, 1],
        ["booking.held", early.booking!.id, 2],
        ["booking.hold_extended", early.booking!.id, 3],
        ["booking.held", late.booking!.id, 4],
      ]);
    } finally {
      await slow.end();
    }
  });

  it("keeps the numbers contiguous and each booking's events in order under concurrent changes and sequencers", async () => {
    const show = await createShow(t, { rows: 4, seatsPerRow: 10 });
    let bursting = true;
    // Three sequencer loops at once (they share the advisory lock), while customers hold, confirm and cancel.
    const loops = [0, 1, 2].map(async () => {
      while (bursting) {
        await sequencer().runOnce();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const seats = Array.from(
      { length: 40 },
      (_, i) => `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
    );
    const outcomes = await Promise.all(
      seats.map(async (seat, i) => {
        const user = uniqueUser();
        const held = await hold(t, user, { showId: show.id, seatNumbers: [seat] });
        expect(held.userErrors).toEqual([]);
        const id = held.booking!.id;
        if (i % 2 === 0) await t.ok(ConfirmBookingDocument, { id }, { as: user });
        else await t.ok(CancelBookingDocument, { id }, { as: user });
        return { id, last: i % 2 === 0 ? "booking.confirmed" : "booking.cancelled" };
      }),
    );
    bursting = false;
    await Promise.all(loops);
    await sequenceCommitted(t);

    const log = await logOf(show.id);
    expect(log.map((event) => Number(event.position))).toEqual(log.map((_, i) => i + 1));
    expect(log).toHaveLength(1 + 2 * seats.length);
    for (const { id, last } of outcomes) {
      expect(log.filter((event) => event.booking_id === id).map((event) => event.type)).toEqual(["booking.held", last]);
    }
    const [whole] = await t.prisma.$queryRaw<{ first: bigint; last: bigint; count: bigint }[]>`
      SELECT min(sequence) AS first, max(sequence) AS last, count(*) AS count FROM booking_events`;
    expect(whole!.last - whole!.first + 1n).toBe(whole!.count);
    const [left] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_outbox`;
    expect(left!.n).toBe(0);
  });
});

describe("bookingEvents", () => {
  it("is for admins only", async () => {
    for (const auth of [{}, { as: uniqueUser() }]) {
      const response = await t.request(BookingEventsDocument, {}, auth);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    }
  });

  it("pages by sequence and filters by type, show and booking", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 5 });
    const user = uniqueUser();
    const held = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] });
    await sequenceCommitted(t);

    const all = (await t.ok(BookingEventsDocument, { showId: show.id }, admin())).bookingEvents;
    expect(all.edges.map((edge) => edge.node.type)).toEqual([
      "SHOW_CREATED" as const,
      "BOOKING_HELD" as const,
      "BOOKING_CONFIRMED" as const,
      "BOOKING_HELD" as const,
    ]);
    expect(all.edges.map((edge) => edge.cursor)).toEqual(all.edges.map((edge) => edge.node.sequence));
    const rest = (
      await t.ok(BookingEventsDocument, { showId: show.id, after: all.edges[1]!.cursor, first: 1 }, admin())
    ).bookingEvents;
    expect(rest.edges.map((edge) => edge.node.id)).toEqual([all.edges[2]!.node.id]);
    expect(rest.pageInfo).toEqual({ hasNextPage: true, endCursor: all.edges[2]!.cursor });

    const held2 = await t.ok(BookingEventsDocument, { showId: show.id, types: ["BOOKING_HELD" as const] }, admin());
    expect(held2.bookingEvents.edges).toHaveLength(2);
    const ofBooking = await t.ok(BookingEventsDocument, { bookingId: held.booking!.id }, admin());
    expect(ofBooking.bookingEvents.edges.map((edge) => edge.node.type)).toEqual([
      "BOOKING_HELD" as const,
      "BOOKING_CONFIRMED" as const,
    ]);
    // An id that names nothing matches nothing; a cursor that is no sequence is a bad request.
    const unknownShow = toGlobalId("Show", "00000000-0000-4000-8000-000000000000");
    expect((await t.ok(BookingEventsDocument, { showId: unknownShow }, admin())).bookingEvents.edges).toEqual([]);
    const malformed = await t.request(BookingEventsDocument, { showId: "nope" }, admin());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["showId"] });
    for (const after of ["abc", "9223372036854775808"]) {
      const bad = await t.request(BookingEventsDocument, { after }, admin());
      expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    // The largest sequence PostgreSQL holds is a cursor like any other: nothing follows it.
    const last = await t.ok(BookingEventsDocument, { after: "9223372036854775807" }, admin());
    expect(last.bookingEvents.edges).toEqual([]);
  });
});
