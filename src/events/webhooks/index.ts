import { type PrismaClient } from "../../db/prisma.js";
import { type EventsConfig } from "../../platform/events-config.js";
import { type Logger } from "../../platform/logger.js";
import { type EventDeliveryObserver } from "../event-metrics.js";
import { TargetGuard } from "./target-guard.js";
import { WebhookDispatcher, type WebhookDispatcherTask } from "./webhook-dispatcher.js";
import { WebhookDeliveryResolver, WebhookResolver } from "./webhook.resolver.js";
import { WebhookService } from "./webhook.service.js";
import { type WebhookRecord, WebhookStore } from "./webhook.store.js";

export { type WebhookDispatcherTask, retryDelayMs } from "./webhook-dispatcher.js";
export { TargetGuard } from "./target-guard.js";

/** Resolver classes the schema lists. */
export const WEBHOOK_RESOLVERS = [WebhookResolver, WebhookDeliveryResolver] as const;

/**
 * Webhooks, wired: the admin API (resolver instances by class, for the container) and this process's dispatcher.
 * One guard decides on targets for both: at registration and on every delivery's connection.
 */
export function createWebhooks(deps: {
  prisma: PrismaClient;
  config: EventsConfig;
  logger: Logger;
  observer: EventDeliveryObserver;
}): {
  dispatcher: WebhookDispatcherTask;
  resolvers: (readonly [unknown, unknown])[];
  /** Webhooks by id, in the order asked (what `node` reads; it decides who may see them). */
  webhooksById(ids: readonly string[]): Promise<(WebhookRecord | null)[]>;
} {
  const { prisma, config, logger, observer } = deps;
  const guard = new TargetGuard(config.webhooks.allowedPrivateNetworks);
  const service = new WebhookService(new WebhookStore(prisma), guard, config.webhooks);
  return {
    dispatcher: new WebhookDispatcher(prisma, config, guard, logger, observer),
    resolvers: [
      [WebhookResolver, new WebhookResolver(service)],
      [WebhookDeliveryResolver, new WebhookDeliveryResolver(service)],
    ],
    webhooksById: (ids) => service.getMany(ids),
  };
}
