import { Counter, type Registry } from "prom-client";
import { type Logger } from "../../platform/logger.js";
import { type RequestObserver } from "../plugins/request-metrics.js";

/** How the read cache answered: from its store, 304, with another request's fresh answer, or by executing. */
export type ReadCacheOutcome = "hit" | "not_modified" | "coalesced" | "miss";

/** An answer given without executing (so without Apollo, whose plugins log and count every executed request). */
export interface ServedFromCache {
  readonly requestId: string;
  readonly operationName: string | null;
  readonly outcome: Exclude<ReadCacheOutcome, "miss">;
  readonly status: number;
  readonly seconds: number;
}

export interface ReadCacheObserver {
  /** Every cacheable read, however it was answered. */
  counted(outcome: ReadCacheOutcome): void;
  /** An answer that did not go through Apollo: logged and timed like an executed request. */
  served(answer: ServedFromCache): void;
}

/**
 * Answers from the read cache count like any request: the same `graphql request` log line as the request-log plugin
 * writes (with `cache`), the same request-duration histogram as the request-metrics plugin observes (outcome `ok`:
 * only successful answers are cached), and a counter of how cacheable reads were answered.
 */
export function readCacheObserver(logger: Logger, requests: RequestObserver, registry: Registry): ReadCacheObserver {
  const outcomes = new Counter({
    name: "booking_api_read_cache_responses_total",
    help: "Cacheable show reads by how they were answered: hit, not_modified (304), coalesced (shared another request's fresh answer) or miss (executed).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return {
    counted: (outcome) => outcomes.inc({ outcome }),
    served({ requestId, operationName, outcome, status, seconds }) {
      requests.requestFinished(operationName, "ok", seconds);
      logger.info("graphql request", {
        requestId,
        operation: operationName,
        type: "query",
        durationMs: Math.round(seconds * 10_000) / 10,
        outcome: "ok",
        status,
        cache: outcome,
      });
    },
  };
}
