import { type RequestHandler, type Response } from "express";
import { type Config } from "../platform/config.js";

/**
 * The per-process memory budget, beyond the process's own baseline: the caches (CACHE_MEMORY_MB, divided below) and
 * the requests in progress (MAX_IN_FLIGHT_BODY_MB of bodies, MAX_IN_FLIGHT_REQUESTS_PER_ADDRESS per client).
 */
export interface CacheShares {
  /** Whole seat-map responses and the read operations they answer (src/server/read-cache/). */
  readonly seatMap: number;
  /** Apollo Server's parsed documents and persisted queries (src/server/apollo-caches.ts). */
  readonly apollo: number;
}

/** Seat-map responses are what saves the most work (a 50,000-seat map is megabytes computed per request). */
export function cacheShares(memory: Config["memory"]): CacheShares {
  const seatMap = Math.floor((memory.cacheBytes * 3) / 4);
  return { seatMap, apollo: memory.cacheBytes - seatMap };
}

const RETRY_AFTER_SECONDS = 1;

function refuse(res: Response): void {
  res
    .status(503)
    .set("Retry-After", String(RETRY_AFTER_SECONDS))
    .json({
      errors: [
        {
          message: `Server busy: try again in ${RETRY_AFTER_SECONDS} s.`,
          extensions: { code: "SERVER_BUSY", retryAfter: RETRY_AFTER_SECONDS },
        },
      ],
    });
}

/**
 * Refuses a request (503, Retry-After) before its body is read when the bodies of the requests in progress would
 * exceed the budget, or when its client address already has too many in progress. Bodies are held whole while a
 * request runs (JSON, then the query text in the parsers), so without this a few hundred concurrent 2 MB bodies hold
 * gigabytes. A body of undeclared length (chunked) counts as the largest allowed. The counts live for the duration
 * of a request, so the map of addresses holds only the addresses with requests in progress.
 */
export function inFlightLimit(memory: Config["memory"], maxBodyBytes: number): RequestHandler {
  let bodyBytes = 0;
  const perAddress = new Map<string, number>();
  return (req, res, next) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    const bytes =
      req.headers["transfer-encoding"] !== undefined || !Number.isFinite(declared)
        ? maxBodyBytes
        : Math.min(Math.max(declared, 0), maxBodyBytes);
    const address = req.ip ?? "unknown";
    const ofAddress = perAddress.get(address) ?? 0;
    const perAddressLimit = memory.inFlightRequestsPerAddress;
    if (bodyBytes + bytes > memory.inFlightBodyBytes || (perAddressLimit > 0 && ofAddress >= perAddressLimit)) {
      // Answered once the body has arrived, read and dropped chunk by chunk (never buffered): a client still sending
      // when the answer comes would see its connection reset instead of being told to try again.
      if (req.readableEnded) refuse(res);
      else req.once("end", () => refuse(res)).resume();
      return;
    }
    bodyBytes += bytes;
    perAddress.set(address, ofAddress + 1);
    // "close" follows every response, finished or abandoned by the client, exactly once.
    res.once("close", () => {
      bodyBytes -= bytes;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    next();
  };
}
