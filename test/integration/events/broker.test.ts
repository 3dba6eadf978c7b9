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
import { readiness } from "../../support/health";
import { type EventTap, tapExchange, uniqueExchange, useSharedBroker, withChannel } from "../../support/rabbitmq";
import { startTcpProxy } from "../../support/tcp-proxy";
import { startTestApp, type TestApp } from "../../support/test-app";
import { waitUntil } from "../../support/time";
import { EVENT_COLUMNS, type BookingEventRow, toEnvelope } from "../../../src/events/event-envelope";

jest.setTimeout(60_000);

/** The log as the pull API has it: every event's envelope, in sequence order. */
const logOf = async (t: TestApp) =>
  (
    await t.prisma.$queryRawUnsafe<BookingEventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM booking_events AS e ORDER BY e.sequence`,
    )
  ).map(toEnvelope);

const cursorOf = async (t: TestApp, exchange: string) =>
  (
    await t.prisma.$queryRaw<
      { last_sequence: bigint; published_at: Date | null; last_error: string | null; leased_by: string | null }[]
    >`SELECT last_sequence, published_at, last_error, leased_by FROM broker_cursors WHERE exchange = ${exchange}`
  )[0];

/** One relay round by hand: sequence what committed, then publish it. */
async function relay(t: TestApp): Promise<number> {
  await t.app.container.events.sequencer.runOnce();
  return t.app.container.events.broker!.runOnce();
}

const scrape = async (t: TestApp) => (await fetch(t.app.metricsUrl)).text();
const metric = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

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
      // Moving the hold's expiry into the past in SQL is itself a change of expires_at, which the outbox trigger
      // reports as an extension; then the expiry task lapses it.
      expect(typesOf(b3)).toEqual(["booking.held", "booking.hold_extended", "booking.expired"]);
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

  describe("a nack", () => {
    let t: TestApp;
    let tap: EventTap;
    const exchange = uniqueExchange();
    const rejecting = `${exchange}.full`;
    beforeAll(async () => {
      tap = await tapExchange(rabbitMqUrl(), exchange);
      // A real nack: a queue that refuses messages once it holds two (RabbitMQ nacks a publish it cannot enqueue).
      await withChannel(rabbitMqUrl(), async (channel) => {
        await channel.assertQueue(rejecting, {
          durable: false,
          arguments: { "x-max-length": 2, "x-overflow": "reject-publish" },
        });
        await channel.bindQueue(rejecting, exchange, "#");
      });
      t = await startTestApp({ ...BOX_OFFICE_SETTINGS, AMQP_URL: rabbitMqUrl(), AMQP_EXCHANGE: exchange });
      await relay(t); // the cursor, at the (empty) log's head
    });
    afterAll(async () => {
      await t?.stop();
      await withChannel(rabbitMqUrl(), (channel) => channel.deleteQueue(rejecting)).catch(() => undefined);
      await tap?.close();
    });

    it("moves the cursor past the confirmed events only; the rest go again later (duplicates, no loss)", async () => {
      const show = await createShow(t, { rows: 1, seatsPerRow: 6, createdBy: uniqueUser("admin") });
      for (const seat of ["A1", "A2", "A3", "A4"])
        await hold(t, uniqueUser(), { showId: show.id, seatNumbers: [seat] });
      expect(await relay(t)).toBe(2); // the show and the first hold; the third is nacked
      const cursor = await cursorOf(t, exchange);
      expect(cursor!.last_sequence).toBe(2n);
      expect(cursor!.last_error).toMatch(/^nack: event 3 and later not confirmed/);
      expect(metric(await scrape(t), 'booking_api_event_delivery_failures_total{channel="broker",reason="nack"}')).toBe(
        1,
      );
      expect(await relay(t)).toBe(0); // still refused: nothing moves
      expect((await cursorOf(t, exchange))!.last_sequence).toBe(2n);

      await withChannel(rabbitMqUrl(), (channel) => channel.deleteQueue(rejecting));
      expect(await relay(t)).toBe(3);
      const log = await logOf(t);
      expect(log).toHaveLength(5);
      expect((await cursorOf(t, exchange))!.last_sequence).toBe(5n);
      // The tap got the nacked events each time they were published: at least once, told apart by messageId.
      await tap.waitForCount(2 + 3 * 3);
      const ids = tap.messages.map((m) => m.properties.messageId as string);
      expect(new Set(ids)).toEqual(new Set(log.map((event) => event.id)));
      expect(ids.slice(0, 2)).toEqual(log.slice(0, 2).map((event) => event.id));
      // Each attempt published them in order.
      expect(ids.slice(2)).toEqual([...log.slice(2), ...log.slice(2), ...log.slice(2)].map((event) => event.id));
    });
  });

  describe("a broker unreachable from the start", () => {
    let t: TestApp;
    let tap: EventTap;
    const exchange = uniqueExchange();
    let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
    beforeAll(async () => {
      tap = await tapExchange(rabbitMqUrl(), exchange);
      // A black hole: connections are accepted and never answered, the worst case for a client.
      proxy = await startTcpProxy(rabbitMqUrl(), "blackhole");
      t = await startTestApp(
        { ...BOX_OFFICE_SETTINGS, AMQP_URL: proxy.url, AMQP_EXCHANGE: exchange, EVENT_RELAY_INTERVAL_MS: "50" },
        { runEventRelay: true },
      );
    });
    afterAll(async () => {
      await t?.stop();
      await proxy?.close();
      await tap?.close();
    });

    it("slows and fails no booking, keeps /readyz ready, grows the backlog, and drains it once reachable", async () => {
      await waitUntil(async () => (await cursorOf(t, exchange)) !== undefined, { message: "the cursor" });
      const show = await createShow(t, { rows: 2, seatsPerRow: 10, createdBy: uniqueUser("admin") });
      const slowest = { ms: 0 };
      for (let i = 1; i <= 10; i++) {
        const user = uniqueUser();
        const started = Date.now();
        const held = await hold(t, user, { showId: show.id, seatNumbers: [`A${i}`] });
        await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
        slowest.ms = Math.max(slowest.ms, Date.now() - started);
      }
      // Far below the publisher's 5 s connect timeout: no booking waits on the broker.
      expect(slowest.ms).toBeLessThan(1000);
      expect((await readiness(t, "/readyz")).status).toBe(200);
      const expected = 1 + 10 * 2;
      await waitUntil(async () => metric(await scrape(t), 'booking_api_event_backlog{channel="broker"}') === expected, {
        timeoutMs: 10_000,
        message: "the broker backlog to count every event",
      });
      expect(metric(await scrape(t), 'booking_api_event_backlog_age_seconds{channel="broker"}')).toBeGreaterThan(0);
      await waitUntil(async () => /^unreachable: /.test((await cursorOf(t, exchange))?.last_error ?? ""), {
        timeoutMs: 10_000,
        message: "the failed connection recorded on the cursor",
      });
      const failures = 'booking_api_event_delivery_failures_total{channel="broker",reason="unreachable"}';
      expect(metric(await scrape(t), failures)).toBeGreaterThanOrEqual(1);
      expect(tap.messages).toHaveLength(0);

      const reachable = Date.now();
      proxy.mode("forward");
      await tap.waitForCount(expected, 30_000);
      const drainedAfterMs = Date.now() - reachable;
      await waitUntil(async () => metric(await scrape(t), 'booking_api_event_backlog{channel="broker"}') === 0, {
        message: "the backlog to drain",
      });
      expect(tap.messages.map((m) => m.body.id)).toEqual((await logOf(t)).map((event) => event.id));
      expect((await readiness(t, "/readyz")).status).toBe(200);
      // The reconnect waits out the attempt under way (≤ 5 s connect timeout) and the backoff after it.
      expect(drainedAfterMs).toBeLessThan(25_000);
    });
  });
});
