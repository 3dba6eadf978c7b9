import { type Registry } from "prom-client";
import { type PrismaClient } from "../db/prisma.js";
import { type EventsConfig } from "../platform/events-config.js";
import { type Logger } from "../platform/logger.js";
import { type BrokerPublisherTask, createBrokerPublisher } from "./broker/index.js";
import { BookingEventsResolver } from "./booking-events.resolver.js";
import { BookingEventsStore } from "./booking-events.store.js";
import { EventMetrics } from "./event-metrics.js";
import { EventRetentionTask } from "./event-retention.js";
import { EventSequencer } from "./event-sequencer.js";
import { createWebhooks, type WebhookDispatcherTask } from "./webhooks/index.js";

/** How often each process purges events past retention. */
const RETENTION_PURGE_MS = 60 * 60 * 1000;

/** The booking-events feature of one process, wired: the relay's parts and the resolvers. */
export interface BookingEvents {
  readonly sequencer: EventSequencer;
  /** Webhook deliveries: leases due ones and sends them. */
  readonly webhooks: WebhookDispatcherTask;
  /** The message broker's publisher; undefined without AMQP_URL. */
  readonly broker: BrokerPublisherTask | undefined;
  readonly retention: EventRetentionTask;
  /** Resolver instances by class, for the container. */
  readonly resolvers: readonly (readonly [unknown, unknown])[];
  /** Webhooks by id, in the order asked (for `node`). */
  webhooksById(ids: readonly string[]): Promise<readonly (object | null)[]>;
  /** Starts the relay (sequencer, webhooks, broker); retention is started by main.ts. */
  start(): void;
  stop(): Promise<void>;
}

export function createBookingEvents(options: {
  readonly prisma: PrismaClient;
  readonly config: EventsConfig;
  readonly logger: Logger;
  /** The process's metrics registry; none: no event metrics (scripts). */
  readonly registry?: Registry;
}): BookingEvents {
  const { prisma, config, logger } = options;
  const metrics = options.registry ? new EventMetrics(options.registry, prisma) : undefined;
  const observer = metrics ?? { delivered() {}, failed() {}, deadLettered() {} };
  const sequencer = new EventSequencer(prisma, config.relayIntervalMs, logger);
  const webhooks = createWebhooks({ prisma, config, logger, observer });
  const broker = createBrokerPublisher({ prisma, config, logger, observer });
  // Deliverers in this process start at once on what it just sequenced; the others find it on their interval.
  sequencer.onSequenced(() => {
    webhooks.dispatcher.wake();
    broker?.wake();
  });
  const retention = new EventRetentionTask(prisma, config.retentionDays, RETENTION_PURGE_MS, logger);
  return {
    sequencer,
    webhooks: webhooks.dispatcher,
    broker,
    retention,
    webhooksById: (ids) => webhooks.webhooksById(ids),
    resolvers: [
      [BookingEventsResolver, new BookingEventsResolver(new BookingEventsStore(prisma))],
      ...webhooks.resolvers,
    ],
    start() {
      sequencer.start();
      webhooks.dispatcher.start();
      broker?.start();
    },
    async stop() {
      await Promise.all([sequencer.stop(), webhooks.dispatcher.stop(), broker?.stop()]);
    },
  };
}
