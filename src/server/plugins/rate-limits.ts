import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { type Viewer } from "../../domain/viewer.js";
import { PublicError } from "../../graphql/errors.js";
import { type Config } from "../../platform/config.js";

/** Mutations per user and per client address per window (0 points turns a limit off). */
export type RateLimitSettings = Config["rateLimits"];

/** Too many mutations from one user or address: HTTP 429 with Retry-After. */
export class RateLimitedError extends PublicError {
  constructor(readonly retryAfter: number) {
    const headers = new HeaderMap([["retry-after", String(retryAfter)]]);
    super(`Too many requests: try again in ${retryAfter} s.`, "RATE_LIMITED", {
      retryAfter,
      http: { status: 429, headers },
    });
  }
}

export interface RateLimiter {
  /** Counts one mutation for the viewer and the address; throws RATE_LIMITED when either is over its limit. */
  consume(viewer: Viewer | null, address: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per-user and per-address limits on mutations (rate-limiter-flexible). With a Redis URL the counters live in Redis,
 * so the limits hold across API processes; if Redis is unreachable an in-process limiter of the same size stands in,
 * rather than letting everything through or failing bookings.
 */
export function createRateLimiter(settings: RateLimitSettings, redisUrl: string | undefined): RateLimiter {
  const redis = redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
  redis?.on("error", () => {}); // the insurance limiter takes over; the event bus logs Redis outages
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract | null => {
    if (points === 0) return null;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    return redis
      ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: memory })
      : memory;
  };
  const perUser = limiter("rl:user", settings.userPoints, settings.userWindowSeconds);
  const perAddress = limiter("rl:ip", settings.ipPoints, settings.ipWindowSeconds);
  return {
    async consume(viewer, address) {
      try {
        // Per user first: one hoarding script is stopped before it can use up its address's allowance.
        if (viewer && perUser) await perUser.consume(viewer.id);
        if (perAddress) await perAddress.consume(address);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** Applies the limiter to every mutation, before it runs. */
export function rateLimitPlugin<TContext extends { viewer: Viewer | null; clientAddress: string }>(
  limiter: RateLimiter,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === "mutation")
            await limiter.consume(contextValue.viewer, contextValue.clientAddress);
        },
      };
    },
  };
}
