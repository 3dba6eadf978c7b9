import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSub } from "@graphql-yoga/subscription";
import { Redis } from "ioredis";
import { type Logger } from "../platform/logger.js";

/** Topics and their publish arguments, declared by the modules that publish (e.g. `[showId, payload]`). */
export type EventMap = { [topic: string]: [] | [unknown] | [number | string, unknown] };

export interface EventBus<Events extends EventMap> {
  readonly pubSub: PubSub<Events>;
  /** "redis" when events cross API processes, "memory" when they stay in this one. */
  readonly transport: "redis" | "memory";
  /** Whether events can be published now (always true in memory; a Redis PING otherwise). */
  healthy(): Promise<boolean>;
  /** Calls `listener` whenever the bus reconnects after losing its connection: events may have been lost meanwhile. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * The PubSub behind subscriptions, for any map of topics: in-process, or through Redis when a URL is given so that
 * every API process sees every event. Publishing never throws: with Redis unreachable an event is logged as lost
 * (subscribers repair what they missed by their own means, e.g. seat maps resync by version) and the change that
 * caused it stands. Both Redis clients reconnect on their own and the subscriber re-subscribes its channels.
 */
export function createEventBus<Events extends EventMap>(
  redisUrl: string | undefined,
  logger: Logger,
): EventBus<Events> {
  if (!redisUrl)
    return {
      pubSub: createPubSub<Events>(),
      transport: "memory",
      healthy: async () => true,
      onReconnect: () => {}, // nothing is ever lost in memory
      close: async () => {},
    };

  const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);
  // No offline queue for publishing: while Redis is down an event fails at once instead of piling up in memory.
  const publisher = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy });
  let warnedAt = 0;
  const onError = (role: string) => (error: Error) => {
    // ioredis reports every failed reconnect; one line every 10 s is enough to see the outage.
    if (Date.now() - warnedAt > 10_000) {
      warnedAt = Date.now();
      logger.warn(`redis ${role} connection problem; reconnecting`, { error: error.message });
    }
  };
  publisher.on("error", onError("publisher"));
  subscriber.on("error", onError("subscriber"));
  // The subscriber's first "ready" is the connection; every later one is a reconnection (after which ioredis has
  // re-subscribed its channels, but whatever was published meanwhile is gone).
  const reconnectListeners: (() => void)[] = [];
  let subscriberReadyBefore = false;
  subscriber.on("ready", () => {
    if (subscriberReadyBefore) for (const listener of reconnectListeners) listener();
    subscriberReadyBefore = true;
  });

  const publishClient = {
    publish(channel: string, message: string) {
      return publisher.publish(channel, message).catch((error: Error) => {
        logger.warn("event lost (Redis unavailable); subscribers must resync", {
          channel,
          error: error.message,
        });
        return 0;
      });
    },
  } as unknown as Redis;

  return {
    pubSub: createPubSub<Events>({
      eventTarget: createRedisEventTarget({ publishClient, subscribeClient: subscriber }),
    }),
    transport: "redis",
    async healthy() {
      // Just started or reconnecting: give the connection a moment before judging (the caller bounds the wait).
      if (publisher.status === "connecting" || publisher.status === "connect" || publisher.status === "reconnecting") {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            publisher.off("ready", done);
            resolve();
          };
          const timer = setTimeout(done, 1000);
          publisher.once("ready", done);
        });
      }
      return publisher.ping().then(
        (answer) => answer === "PONG",
        () => false,
      );
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
