import { ConfirmBookingDocument } from "../__generated__/graphql";
import { BOX_OFFICE_SETTINGS } from "../support/box-office";
import { describeNeeding, rabbitmqctlPath, rabbitMqUrl } from "../support/external-services";
import { createShow, hold, uniqueUser } from "../support/factories";
import {
  type EventTap,
  startBroker,
  stopBroker,
  tapExchange,
  uniqueExchange,
  withBrokerToItself,
} from "../support/rabbitmq";
import { startTestApp, type TestApp } from "../support/test-app";
import { waitUntil } from "../support/time";

// Stops the machine's RabbitMQ (rabbitmqctl stop_app) in the middle of a burst and starts it again: every broker
// test elsewhere waits meanwhile (withBrokerToItself), and the broker is started again whatever happens.
jest.setTimeout(180_000);

describeNeeding("rabbitmqctl", "the broker stopped in the middle of a burst", () => {
  let t: TestApp;
  let tap: EventTap;
  const exchange = uniqueExchange();
  afterAll(async () => {
    await startBroker(rabbitmqctlPath(), rabbitMqUrl()); // never leave it stopped (a no-op when it runs)
    await t?.stop();
    await tap?.close();
  });

  it("loses nothing: every event of the log is in the durable queue after the restart, duplicates by id only", async () => {
    await withBrokerToItself(async () => {
      // A durable queue and persistent messages: what the broker confirmed survives its restart.
      tap = await tapExchange(rabbitMqUrl(), exchange, { durable: true });
      t = await startTestApp(
        { ...BOX_OFFICE_SETTINGS, AMQP_URL: rabbitMqUrl(), AMQP_EXCHANGE: exchange, EVENT_RELAY_INTERVAL_MS: "20" },
        { runEventRelay: true },
      );
      await waitUntil(async () => (await t.prisma.brokerCursor.count({ where: { exchange } })) === 1, {
        message: "the cursor",
      });
      const show = await createShow(t, { rows: 4, seatsPerRow: 30, createdBy: uniqueUser("admin") });
      const seats = ["A", "B", "C", "D"].flatMap((row) => Array.from({ length: 30 }, (_, i) => `${row}${i + 1}`));
      let booked = 0;
      const book = async (seat: string) => {
        const user = uniqueUser();
        const held = await hold(t, user, { showId: show.id, seatNumbers: [seat] });
        expect(held.userErrors).toEqual([]);
        await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
        booked += 1;
      };
      // Four customers at a time through all 120 seats while the broker goes down and comes back.
      const queue = [...seats];
      const customers = Array.from({ length: 4 }, async () => {
        for (let seat = queue.shift(); seat; seat = queue.shift()) await book(seat);
      });
      let stoppedAt = 0;
      let published = 0;
      try {
        await waitUntil(() => booked >= 20, { timeoutMs: 20_000, message: "the burst to start" });
        const cursor = await t.prisma.brokerCursor.findUnique({ where: { exchange } });
        published = Number(cursor!.lastSequence);
        await stopBroker(rabbitmqctlPath());
        stoppedAt = booked;
        await waitUntil(() => booked >= stoppedAt + 20, { timeoutMs: 20_000, message: "bookings while down" });
      } finally {
        await startBroker(rabbitmqctlPath(), rabbitMqUrl());
      }
      await Promise.all(customers);
      expect(booked).toBe(120);

      const expected = 1 + 120 * 2;
      await waitUntil(
        async () => {
          const cursor = await t.prisma.brokerCursor.findUnique({ where: { exchange } });
          return Number(cursor?.lastSequence) === expected;
        },
        { timeoutMs: 40_000, message: "the cursor to reach the log's end" },
      );
      const cursor = await t.prisma.brokerCursor.findUnique({ where: { exchange } });
      expect(cursor!.lastError).toMatch(/^(unreachable|connection_lost|timeout)/);
      const log = await t.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM booking_events ORDER BY sequence`;
      expect(log).toHaveLength(expected);
      const messages = await tap.readAll();
      const ids = messages.map((m) => m.properties.messageId as string);
      // Nothing lost: every event of the log is in the queue, and nothing else is.
      expect(new Set(ids)).toEqual(new Set(log.map((event) => event.id)));
      // At least once: a message the broker took but had not confirmed when it stopped went again, the same event
      // (same id, same body) later in the queue. Taking each id's first copy gives the log's order.
      const first = new Map<string, string>();
      for (const message of messages) {
        const seen = first.get(message.body.id);
        if (seen === undefined) first.set(message.body.id, message.raw);
        else expect(message.raw).toBe(seen);
      }
      expect([...first.keys()]).toEqual(log.map((event) => event.id));
      expect(published).toBeGreaterThan(0); // the broker stopped in the middle, not before the first publish
      expect(published).toBeLessThan(expected);
      expect(stoppedAt).toBeGreaterThanOrEqual(20);
    });
  });
});
