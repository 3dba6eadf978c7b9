import { randomUUID } from "node:crypto";
import { ConfirmBookingDocument } from "../__generated__/graphql";
import { BOX_OFFICE_SETTINGS } from "../support/box-office";
import { type ExampleProcess, startExample } from "../support/example-process";
import { describeNeeding, rabbitMqUrl } from "../support/external-services";
import { createShow, hold, uniqueUser } from "../support/factories";
import { uniqueExchange, useSharedBroker, withChannel } from "../support/rabbitmq";
import { startTestApp, type TestApp } from "../support/test-app";
import { waitUntil } from "../support/time";
import { sequenceCommitted } from "../support/events";
import { databaseId } from "../support/ids";

// The RabbitMQ consumer of docs/booking-events.md (examples/booking-events/rabbitmq-consumer.mjs), run as published against a real API
// publishing to the machine's broker: it sees every event of the log once, in order.
describeNeeding("rabbitmq", "the RabbitMQ consumer of docs/booking-events.md", () => {
  useSharedBroker();
  const exchange = uniqueExchange("readme-consumer");
  const queue = `readme-consumer.${randomUUID().slice(0, 8)}`;
  let t: TestApp;
  let consumer: ExampleProcess | undefined;
  afterAll(async () => {
    await consumer?.stop();
    await t?.stop();
    await withChannel(rabbitMqUrl(), async (channel) => {
      await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
    });
  });

  it("handles every event once, in order", async () => {
    t = await startTestApp(
      { ...BOX_OFFICE_SETTINGS, AMQP_URL: rabbitMqUrl(), AMQP_EXCHANGE: exchange, EVENT_RELAY_INTERVAL_MS: "50" },
      { runEventRelay: true },
    );
    // The consumer declares its queue and binding; the publisher's cursor starts at the log's head when it connects.
    consumer = startExample("rabbitmq-consumer.mjs", {
      AMQP_URL: rabbitMqUrl(),
      AMQP_EXCHANGE: exchange,
      QUEUE: queue,
    });
    await consumer.ready("consuming");
    await waitUntil(async () => (await t.prisma.brokerCursor.count({ where: { exchange } })) === 1, {
      message: "the broker cursor",
    });

    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const user = uniqueUser();
    const held = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] });
    await sequenceCommitted(t);
    const log = await t.prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM booking_events WHERE show_id = ${databaseId(show.id)}::uuid ORDER BY sequence`;
    expect(log).toHaveLength(4);

    await consumer.waitForEvents(log.length);
    const ids = consumer.events.map((event) => event.id);
    expect(ids.filter((id) => log.some((event) => event.id === id))).toEqual(log.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
