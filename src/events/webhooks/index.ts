// PLACEHOLDER (replaced by the webhooks implementation): the shape booking-events.ts wires.
import { type PrismaClient } from "../../db/prisma.js";
import { type EventsConfig } from "../../platform/events-config.js";
import { type Logger } from "../../platform/logger.js";
import { type EventDeliveryObserver } from "../event-metrics.js";

export interface WebhookDispatcherTask {
  start(): void;
  stop(): Promise<void>;
  /** Run soon (events were just sequenced in this process). */
  wake(): void;
  /** Leases and delivers what is due now; resolves with how many deliveries were attempted. */
  runOnce(): Promise<number>;
}

/** Resolver classes the schema lists. */
export const WEBHOOK_RESOLVERS = [] as const;

export function createWebhooks(deps: {
  prisma: PrismaClient;
  config: EventsConfig;
  logger: Logger;
  observer: EventDeliveryObserver;
}): { dispatcher: WebhookDispatcherTask; resolvers: (readonly [unknown, unknown])[] } {
  void deps;
  return {
    dispatcher: { start() {}, stop: async () => {}, wake() {}, runOnce: async () => 0 },
    resolvers: [],
  };
}
