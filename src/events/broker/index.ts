// PLACEHOLDER (replaced by the broker implementation): the shape booking-events.ts wires.
import { type PrismaClient } from "../../db/prisma.js";
import { type EventsConfig } from "../../platform/events-config.js";
import { type Logger } from "../../platform/logger.js";
import { type EventDeliveryObserver } from "../event-metrics.js";

export interface BrokerPublisherTask {
  start(): void;
  stop(): Promise<void>;
  /** Run soon (events were just sequenced in this process). */
  wake(): void;
  /** Publishes what is after the cursor now; resolves with how many events were confirmed. */
  runOnce(): Promise<number>;
}

/** The publisher, or undefined when AMQP_URL is unset. */
export function createBrokerPublisher(deps: {
  prisma: PrismaClient;
  config: EventsConfig;
  logger: Logger;
  observer: EventDeliveryObserver;
}): BrokerPublisherTask | undefined {
  void deps;
  return undefined;
}
