import { ConfirmBookingDocument } from "../../__generated__/graphql";
import { BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { describeNeeding, rabbitMqUrl } from "../../support/external-services";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { readiness } from "../../support/health";
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
  withChannel,
} from "../../support/rabbitmq";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy";
import { startTestApp, type TestApp } from "../../support/test-app";
import { waitUntil } from "../../support/time";
import { sequenceCommitted } from "../../support/events";

// What the publisher does when the broker refuses, drops or never answers: at least once, never a booking slowed.
jest.setTimeout(60_000);

describeNeeding("rabbitmq", "the message broker failing", () => {
  useSharedBroker();

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

  describe("a connection dropped before the confirms came", () => {
    let t: TestApp;
    let tap: EventTap;
    const exchange = uniqueExchange();
    let proxy: TcpProxy;
    beforeAll(async () => {
      tap = await tapExchange(rabbitMqUrl(), exchange);
      proxy = await startTcpProxy(rabbitMqUrl(), "forward");
      t = await startTestApp({ ...BOX_OFFICE_SETTINGS, AMQP_URL: proxy.url, AMQP_EXCHANGE: exchange });
      await relay(t); // connected, the cursor at the (empty) log's head
    });
    afterAll(async () => {
      await t?.stop();
      await proxy?.close();
      await tap?.close();
    });

    it("moves nothing and publishes the same events again (same id, same body) on the new connection", async () => {
      const show = await createShow(t, { rows: 1, seatsPerRow: 6, createdBy: uniqueUser("admin") });
      expect(await relay(t)).toBe(1); // connected through the proxy
      for (const seat of ["A1", "A2", "A3"]) await hold(t, uniqueUser(), { showId: show.id, seatNumbers: [seat] });
      await sequenceCommitted(t);
      // The broker takes the messages (the tap gets them) but its confirms are lost; then the connection is cut.
      proxy.mode("mute");
      const round = t.app.container.events.broker!.runOnce();
      await tap.waitForCount(1 + 3);
      expect((await cursorOf(t, exchange))!.last_sequence).toBe(1n);
      proxy.mode("forward"); // cuts the muted connection
      expect(await round).toBe(0);
      const cursor = await cursorOf(t, exchange);
      expect(cursor).toMatchObject({ last_sequence: 1n, leased_by: null });
      expect(cursor!.last_error).toMatch(/^connection_lost: event 2 and later/);
      const failures = 'booking_api_event_delivery_failures_total{channel="broker",reason="connection_lost"}';
      expect(metric(await scrape(t), failures)).toBe(1);

      // The next rounds reconnect (after a short backoff) and publish the three again.
      let published = 0;
      await waitUntil(async () => (published += await relay(t)) === 3, { message: "the events published again" });
      expect((await cursorOf(t, exchange))!.last_sequence).toBe(4n);
      const messages = await tap.waitForCount(1 + 3 + 3);
      const [created, ...holds] = await logOf(t);
      expect(messages.map((m) => m.body.id)).toEqual([created!, ...holds, ...holds].map((event) => event.id));
      expect(messages.slice(4).map((m) => m.raw)).toEqual(messages.slice(1, 4).map((m) => m.raw));
    });
  });

  describe("a broker unreachable from the start", () => {
    let t: TestApp;
    let tap: EventTap;
    const exchange = uniqueExchange();
    let proxy: TcpProxy;
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
