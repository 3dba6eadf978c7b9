import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type PrismaClient } from "../../db/prisma.js";
import { type EventsConfig } from "../../platform/events-config.js";
import { type Logger } from "../../platform/logger.js";
import { type EventDeliveryObserver } from "../event-metrics.js";
import { BrokerConnection } from "./broker-connection.js";
import { BrokerCursorStore } from "./broker-cursor.js";
import { BrokerPublisher } from "./broker-publisher.js";

/**
 * How long a publisher's hold on an exchange lasts unless renewed (it renews it every round and every third of it
 * while it waits on the broker): the longest a process killed with SIGKILL keeps the others from publishing.
 */
export const BROKER_LEASE_MS = 5000;

export interface BrokerPublisherTask {
  start(): void;
  stop(): Promise<void>;
  /** Run soon (events were just sequenced in this process). */
  wake(): void;
  /** Publishes what is after the cursor now; resolves with how many events were confirmed. */
  runOnce(): Promise<number>;
}

/**
 * The message-broker channel (docs/booking-events.md, "Message broker"): the log published to a RabbitMQ topic
 * exchange with publisher confirms, at least once, in log order. Undefined when AMQP_URL is unset.
 */
export function createBrokerPublisher(deps: {
  prisma: PrismaClient;
  config: EventsConfig;
  logger: Logger;
  observer: EventDeliveryObserver;
}): BrokerPublisherTask | undefined {
  const { prisma, config, logger, observer } = deps;
  const { url, exchange, publishBatch } = config.broker;
  if (url === undefined) return undefined;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const store = new BrokerCursorStore(prisma, exchange, holder, BROKER_LEASE_MS);
  const connection = new BrokerConnection(url, exchange, logger, (error) => {
    observer.failed("broker", "unreachable");
    // Operators see the outage next to the cursor; a database that is down too just leaves it unrecorded.
    void store.recordError(`unreachable: ${error.message}`).catch(() => undefined);
  });
  return new BrokerPublisher(store, connection, observer, logger, {
    exchange,
    batch: publishBatch,
    intervalMs: config.relayIntervalMs,
    leaseMs: BROKER_LEASE_MS,
  });
}
