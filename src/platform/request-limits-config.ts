import { type envReader } from "./env-reader.js";

// What one client may cost: requests per window, the shape of a query, the memory requests and caches may hold
// (part of the configuration: src/platform/config.ts reads these through here).

export interface RateLimits {
  readonly userPoints: number;
  readonly userWindowSeconds: number;
  readonly ipPoints: number;
  readonly ipWindowSeconds: number;
  /** Rows (seats) one address may have read per window by executed queries; 0: unlimited. */
  readonly ipRowPoints: number;
  readonly ipRowWindowSeconds: number;
}

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxComplexity: number;
  /** Most lexical tokens in one query document (parsing stops there). */
  readonly maxTokens: number;
  /** Most rows (seats) one operation may return, charged before they are read. */
  readonly maxRowsPerRequest: number;
  /** Most bytes of one JSON answer. */
  readonly maxResponseBytes: number;
}

/** The per-process memory budget: what caches and requests in progress may hold (docs/operations.md, Memory). */
export interface MemoryBudget {
  /** All caches together (seat-map responses, Apollo's documents and persisted queries), in bytes. */
  readonly cacheBytes: number;
  /** Declared body bytes of the requests being received or run, process-wide; beyond, requests are answered 503. */
  readonly inFlightBodyBytes: number;
  /** Requests one client address may have in progress; beyond, 503 (0: no limit). */
  readonly inFlightRequestsPerAddress: number;
}

const MIB = 1024 * 1024;

/** Reads the request limits; bad values go into the reader's problems. */
export function readRequestLimits(
  { int }: ReturnType<typeof envReader>,
  maxRowsPerRequest: number,
): { rateLimits: RateLimits; queryLimits: QueryLimits; memory: MemoryBudget } {
  return {
    rateLimits: {
      userPoints: int("RATE_LIMIT_USER_POINTS", 30, 0, 1_000_000),
      userWindowSeconds: int("RATE_LIMIT_USER_WINDOW_SECONDS", 10, 1, 86_400),
      ipPoints: int("RATE_LIMIT_IP_POINTS", 20_000, 0, 100_000_000),
      ipWindowSeconds: int("RATE_LIMIT_IP_WINDOW_SECONDS", 10, 1, 86_400),
      ipRowPoints: int("RATE_LIMIT_IP_ROWS", 500_000, 0, 1_000_000_000),
      ipRowWindowSeconds: int("RATE_LIMIT_IP_ROWS_WINDOW_SECONDS", 10, 1, 86_400),
    },
    memory: {
      cacheBytes: int("CACHE_MEMORY_MB", 96, 8, 65_536) * MIB,
      inFlightBodyBytes: int("MAX_IN_FLIGHT_BODY_MB", 64, 4, 65_536) * MIB,
      inFlightRequestsPerAddress: int("MAX_IN_FLIGHT_REQUESTS_PER_ADDRESS", 0, 0, 100_000),
    },
    queryLimits: {
      maxDepth: int("MAX_QUERY_DEPTH", 10, 2, 100),
      maxAliases: int("MAX_QUERY_ALIASES", 30, 0, 10_000),
      maxComplexity: int("MAX_QUERY_COMPLEXITY", 2000, 10, 10_000_000),
      maxTokens: int("MAX_QUERY_TOKENS", 5000, 100, 1_000_000),
      maxRowsPerRequest,
      maxResponseBytes: int("MAX_RESPONSE_BYTES", 32 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    },
  };
}
