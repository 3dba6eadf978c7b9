import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { Prisma, type PrismaClient } from "../db/prisma.js";

/** Where events go after the log: webhook endpoints and the message broker. */
export type EventChannel = "webhook" | "broker";

/** What the deliverers report (the metrics below); the counters and histogram are per process. */
export interface EventDeliveryObserver {
  /** An event reached the channel (a 2xx answer, a broker confirm); `latencySeconds`: since the change was made. */
  delivered(channel: EventChannel, latencySeconds: number): void;
  /** An attempt failed: reason is a short fixed word (http_status, timeout, network, refused, nack, unreachable). */
  failed(channel: EventChannel, reason: string): void;
  /** A webhook delivery gave up after its last attempt. */
  deadLettered(): void;
}

/** The backlog as the database has it, read when metrics are scraped. */
interface Backlog {
  outbox: number;
  outbox_age: number | null;
  webhook_pending: number;
  webhook_age: number | null;
  webhook_dead: number;
  broker_lag: number | null;
  broker_age: number | null;
}

const backlogStatement = Prisma.sql`/* event_backlog */
  SELECT (SELECT count(*) FROM booking_outbox)::int AS outbox,
         (SELECT extract(epoch FROM now() - min(occurred_at)) FROM booking_outbox)::float8 AS outbox_age,
         (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS webhook_pending,
         (SELECT extract(epoch FROM now() - min(e.occurred_at)) FROM webhook_deliveries AS d
          JOIN booking_events AS e ON e.sequence = d.event_sequence WHERE d.status = 'pending')::float8 AS webhook_age,
         (SELECT count(*) FROM webhook_deliveries WHERE status = 'dead')::int AS webhook_dead,
         (SELECT (SELECT coalesce(max(sequence), 0) FROM booking_events) - min(last_sequence) FROM broker_cursors)::int8::float8
           AS broker_lag,
         (SELECT extract(epoch FROM now() - e.occurred_at) FROM booking_events AS e
          WHERE e.sequence = (SELECT min(last_sequence) + 1 FROM broker_cursors))::float8 AS broker_age`;

/**
 * Booking-event metrics: the backlog (outbox rows not yet sequenced, deliveries not yet made, and the age of the
 * oldest of each: alert on the age, since a broker or endpoint that is down never fails a booking, it only lets
 * events wait), delivery latency from the change to its delivery, failed attempts and dead letters.
 */
export class EventMetrics implements EventDeliveryObserver {
  private readonly latency: Histogram<"channel">;
  private readonly failures: Counter<"channel" | "reason">;
  private readonly deadLetters: Counter;

  constructor(registry: Registry, prisma: PrismaClient) {
    this.latency = new Histogram({
      name: "booking_api_event_delivery_latency_seconds",
      help: "From a booking change to its event's delivery (webhook 2xx, broker confirm), by channel.",
      labelNames: ["channel"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.failures = new Counter({
      name: "booking_api_event_delivery_failures_total",
      help: "Failed delivery attempts by channel and reason.",
      labelNames: ["channel", "reason"] as const,
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: "booking_api_webhook_dead_letters_total",
      help: "Webhook deliveries this process gave up on after their last attempt.",
      registers: [registry],
    });
    let reading: Promise<Backlog | undefined> | undefined;
    // One read per scrape for all the gauges below, whichever collects first.
    const backlog = () =>
      (reading ??= prisma
        .$queryRaw<Backlog[]>(backlogStatement)
        .then((rows) => rows[0])
        .catch(() => undefined)
        .finally(() => setTimeout(() => (reading = undefined), 100).unref()));
    const gauge = (name: string, help: string, read: (b: Backlog) => number | null) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const value = await backlog();
          if (value !== undefined) this.set(read(value) ?? 0);
        },
      });
    gauge("booking_api_event_outbox_backlog", "Committed events not yet sequenced into the log.", (b) => b.outbox);
    gauge(
      "booking_api_event_outbox_oldest_age_seconds",
      "Age of the oldest event not yet sequenced (0: none).",
      (b) => b.outbox_age,
    );
    new Gauge({
      name: "booking_api_event_backlog",
      help: "Events not yet delivered, by channel (webhook: pending deliveries; broker: events after its cursor).",
      labelNames: ["channel"] as const,
      registers: [registry],
      async collect() {
        const value = await backlog();
        if (value === undefined) return;
        this.set({ channel: "webhook" }, value.webhook_pending);
        if (value.broker_lag !== null) this.set({ channel: "broker" }, value.broker_lag);
      },
    });
    new Gauge({
      name: "booking_api_event_backlog_age_seconds",
      help: "Age of the oldest event not yet delivered, by channel (0: none waiting). Alert on this.",
      labelNames: ["channel"] as const,
      registers: [registry],
      async collect() {
        const value = await backlog();
        if (value === undefined) return;
        this.set({ channel: "webhook" }, value.webhook_age ?? 0);
        if (value.broker_lag !== null) this.set({ channel: "broker" }, value.broker_age ?? 0);
      },
    });
    gauge("booking_api_webhook_dead_deliveries", "Webhook deliveries in the dead-letter state.", (b) => b.webhook_dead);
  }

  delivered(channel: EventChannel, latencySeconds: number): void {
    this.latency.observe({ channel }, Math.max(0, latencySeconds));
  }

  failed(channel: EventChannel, reason: string): void {
    this.failures.inc({ channel, reason });
  }

  deadLettered(): void {
    this.deadLetters.inc();
  }
}
