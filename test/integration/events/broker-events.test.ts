import {
  BlockSeatsDocument,
  CancelBookingDocument,
  CancelShowDocument,
  ChangeSeatsDocument,
  ConfirmBookingDocument,
  CreateAdminShowDocument,
  ExtendHoldDocument,
  RefundBookingDocument,
  UnblockSeatsDocument,
  UpdateShowDocument,
} from "../../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { lapseHolds } from "../../support/clock";
import { describeNeeding, rabbitMqUrl } from "../../support/external-services";
import { createShow, hold, uniqueUser } from "../../support/factories";
import {
  cursorOf,
  type EventTap,
  logOf,
  metric,
  relay,
  scrape,
  tapExchange,
  uniqueExchange,
  useSharedBroker,
} from "../../support/rabbitmq";
import { startTestApp, type TestApp } from "../../support/test-app";

// Every kind of change, made through the API, reaches the exchange as the log has it. How failures are survived:
// broker-failures.test.ts (in-process) and test/system/broker-*.test.ts (processes, kill -9, a broker restart).
jest.setTimeout(60_000);

describeNeeding("rabbitmq", "the message broker", () => {
  useSharedBroker();

  describe("every state change", () => {
    let t: TestApp;
    let tap: EventTap;
    const exchange = uniqueExchange();
    beforeAll(async () => {
      tap = await tapExchange(rabbitMqUrl(), exchange);
      t = await startTestApp({ ...BOX_OFFICE_SETTINGS, AMQP_URL: rabbitMqUrl(), AMQP_EXCHANGE: exchange });
    });
    afterAll(async () => {
      await t?.stop();
      await tap?.close();
    });

    it("is published once, in log order, with the type as routing key and the envelope as body", async () => {
      // A show created before the exchange's cursor exists is not published: the cursor starts at the log's head.
      const before = await createShow(t, { createdBy: uniqueUser("admin") });
      expect(await relay(t)).toBe(0);
      expect(await cursorOf(t, exchange)).toMatchObject({ last_sequence: 1n, published_at: null });

      const show = (
        await t.ok(
          CreateAdminShowDocument,
          {
            input: {
              name: "Broker gala",
              startsAt: new Date(Date.now() + 86_400_000).toISOString(),
              rows: 5,
              seatsPerRow: 6,
              prices: [{ category: "STANDARD", amount: 2500, currency: "EUR" }],
            },
          },
          admin(),
        )
      ).createShow.show!;
      const showId = show.id;
      await t.ok(UpdateShowDocument, { input: { id: showId, name: "Broker gala (moved)" } }, admin());
      await t.ok(BlockSeatsDocument, { input: { showId, seatNumbers: ["E1", "E2"], reason: "Camera" } }, admin());
      await t.ok(UnblockSeatsDocument, { input: { showId, seatNumbers: ["E1"] } }, admin());

      // Booking 1: held, extended, confirmed, refunded in part, then in full.
      const u1 = uniqueUser();
      const b1 = (await hold(t, u1, { showId, seatNumbers: ["A1", "A2"] })).booking!.id;
      expect((await t.ok(ExtendHoldDocument, { id: b1 }, { as: u1 })).extendHold.userErrors).toEqual([]);
      await t.ok(ConfirmBookingDocument, { id: b1 }, { as: u1 });
      const partial = await t.ok(RefundBookingDocument, { input: { bookingId: b1, seatNumbers: ["A2"] } }, admin());
      expect(partial.refundBooking.userErrors).toEqual([]);
      await t.ok(RefundBookingDocument, { input: { bookingId: b1 } }, admin());
      // Published in the middle of it all: the rest follows the cursor from here.
      expect(await relay(t)).toBeGreaterThan(0);

      // Booking 2 cancelled by its customer; booking 3 expired (time moved in SQL, then the expiry task).
      const u2 = uniqueUser();
      const b2 = (await hold(t, u2, { showId, seatNumbers: ["B1"] })).booking!.id;
      await t.ok(CancelBookingDocument, { id: b2 }, { as: u2 });
      const b3 = (await hold(t, uniqueUser(), { showId, seatNumbers: ["B2"] })).booking!.id;
      await lapseHolds(t.prisma, [b3]);
      expect(await t.app.container.expiryTask.runOnce()).toBe(1);

      // Booking 4 confirmed and moved; booking 5 still held: both cancelled by the organizer with the show.
      const u4 = uniqueUser();
      const b4 = (await hold(t, u4, { showId, seatNumbers: ["C1", "C2"] })).booking!.id;
      await t.ok(ConfirmBookingDocument, { id: b4 }, { as: u4 });
      const moved = await t.ok(
        ChangeSeatsDocument,
        { input: { bookingId: b4, release: ["C1"], take: ["C3"], idempotencyKey: "move-1" } },
        admin(),
      );
      expect(moved.changeSeats.userErrors).toEqual([]);
      const b5 = (await hold(t, uniqueUser(), { showId, seatNumbers: ["D1"] })).booking!.id;
      const cancelled = await t.ok(CancelShowDocument, { input: { id: showId, reason: "Storm" } }, admin());
      expect(cancelled.cancelShow.cancelledBookings).toBe(2);
      await relay(t);

      const log = (await logOf(t)).filter((event) => BigInt(event.sequence) > 1n);
      expect(log[0]!.showId).toBe(showId);
      expect(log.some((event) => event.showId === before.id)).toBe(false);
      const messages = await tap.waitForCount(log.length);
      // Exactly the log, in its order: same ids, no duplicate, nothing more, the envelope byte for byte.
      expect(messages.map((m) => m.body.id)).toEqual(log.map((event) => event.id));
      expect(messages.map((m) => m.raw)).toEqual(log.map((event) => JSON.stringify(event)));
      for (const [i, message] of messages.entries()) {
        const event = log[i]!;
        expect(message.exchange).toBe(exchange);
        expect(message.routingKey).toBe(event.type);
        expect(message.properties).toMatchObject({
          messageId: event.id,
          type: event.type,
          contentType: "application/json",
          deliveryMode: 2,
          timestamp: Math.floor(new Date(event.timestamp).getTime() / 1000),
          appId: "booking-api",
        });
      }
      const typesOf = (bookingId: string) =>
        messages.filter((m) => m.body.bookingId === bookingId).map((m) => m.routingKey);
      expect(typesOf(b1)).toEqual([
        "booking.held",
        "booking.hold_extended",
        "booking.confirmed",
        "booking.refunded",
        "booking.refunded",
      ]);
      expect(typesOf(b2)).toEqual(["booking.held", "booking.cancelled"]);
      // Moving the hold's expiry into the past in SQL is no extension (the extension count did not grow).
      expect(typesOf(b3)).toEqual(["booking.held", "booking.expired"]);
      expect(typesOf(b4)).toEqual([
        "booking.held",
        "booking.confirmed",
        "booking.seats_changed",
        "booking.cancelled_by_organizer",
      ]);
      expect(typesOf(b5)).toEqual(["booking.held", "booking.cancelled_by_organizer"]);
      const showTypes = messages.filter((m) => m.body.bookingId === null).map((m) => m.routingKey);
      expect(showTypes.slice(0, 4)).toEqual(["show.created", "show.updated", "seats.blocked", "seats.unblocked"]);
      expect(showTypes).toContain("show.cancelled");

      // The cursor is at the log's end; a round with nothing new publishes nothing (no duplicate).
      const cursor = await cursorOf(t, exchange);
      expect(cursor!.last_sequence).toBe(BigInt(log.at(-1)!.sequence));
      expect(cursor!.published_at).not.toBeNull();
      expect(await relay(t)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(tap.messages).toHaveLength(log.length);
      const text = await scrape(t);
      expect(metric(text, 'booking_api_event_backlog{channel="broker"}')).toBe(0);
      expect(metric(text, 'booking_api_event_delivery_latency_seconds_count{channel="broker"}')).toBe(log.length);
    });
  });
});
