import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { type Viewer } from "../../domain/viewer.js";
import { PublicError } from "../../graphql/errors.js";
import { type RowBudget } from "../../graphql/row-budget.js";
import { ByteCache } from "../../platform/byte-cache.js";
import { type Config } from "../../platform/config.js";

/** Mutations per user and per client address, and rows read per address, per window (0 points turns a limit off). */
export type RateLimitSettings = Config["rateLimits"];

/** Too many mutations from one user or address, or too many rows read by one address: HTTP 429 with Retry-After. */
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
  /** RATE_LIMITED if the address has read its allowance of rows this window (known here without a store call). */
  readRefusal(address: string): RateLimitedError | null;
  /** Counts the rows an executed operation read for the address. */
  chargeReads(address: string, rows: number): Promise<void>;
  close(): Promise<void>;
}

/** Addresses remembered as out of reads: a timestamp each, under hashed keys. */
const REFUSED_READERS_BYTES = 1024 * 1024;

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
  const rowsPerAddress = limiter("rl:ip-rows", settings.ipRowPoints, settings.ipRowWindowSeconds);
  // Rows are counted after execution (only then is it known how many a query read), and an address that has used up
  // its allowance is refused from then on until its window ends: queries cost no store call before they run.
  const readsRefusedUntil = new ByteCache<number>({ maxBytes: REFUSED_READERS_BYTES, sizeOf: () => 8 });
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
    readRefusal(address) {
      const until = readsRefusedUntil.get(address);
      const wait = until === undefined ? 0 : until - Date.now();
      return wait > 0 ? new RateLimitedError(Math.max(1, Math.ceil(wait / 1000))) : null;
    },
    async chargeReads(address, rows) {
      if (!rowsPerAddress || rows <= 0) return;
      const counted = await rowsPerAddress.penalty(address, rows);
      if (counted.consumedPoints >= settings.ipRowPoints)
        readsRefusedUntil.set(address, Date.now() + counted.msBeforeNext);
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/**
 * Applies the limiter to every mutation before it runs, and counts the rows each executed operation read (its row
 * budget) against its address; once an address has read its allowance, its queries are refused (429) where they
 * would read rows, before reading them. Answers from the seat-map cache do not execute and cost nothing here: they
 * read no rows, and every new read is counted.
 */
export function rateLimitPlugin<
  TContext extends { viewer: Viewer | null; clientAddress: string; rowBudget: RowBudget },
>(limiter: RateLimiter): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === "mutation")
            await limiter.consume(contextValue.viewer, contextValue.clientAddress);
          else if (operation?.operation === "query") {
            // Only fields that read rows are refused: the cheap queries a seat-map page polls with keep working.
            const refusal = limiter.readRefusal(contextValue.clientAddress);
            if (refusal) contextValue.rowBudget.deny(refusal);
          }
        },
        async willSendResponse({ contextValue }) {
          await limiter.chargeReads(contextValue.clientAddress, contextValue.rowBudget.rows);
        },
      };
    },
  };
}
