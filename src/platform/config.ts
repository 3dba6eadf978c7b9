/**
 * The only reader of process.env. Validates every setting at start-up, reports all problems at once,
 * and hands out a frozen, typed configuration object.
 */
export interface Config {
  readonly env: "development" | "production" | "test";
  readonly port: number;
  readonly host: string;
  readonly database: {
    /** Unset means: run an embedded PostgreSQL under dataDir. */
    readonly url: string | undefined;
    /** A read replica for show lists and seat maps; unset: everything goes to `url`. */
    readonly replicaUrl: string | undefined;
    readonly poolSize: number;
    readonly embedded: { readonly dataDir: string; readonly port: number };
  };
  readonly auth: {
    /** Undefined outside production means: generate one at start-up (tokens then last one process lifetime). */
    readonly jwtSecret: string | undefined;
  };
  readonly booking: {
    readonly holdTtlSeconds: number;
    readonly holdMaxExtensions: number;
    readonly maxSeatsPerHold: number;
    readonly maxActiveHoldsPerUser: number;
    readonly maxSeatsPerShow: number;
    readonly expiryIntervalMs: number;
  };
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Unset: subscription events stay in this process. Set: they go through Redis to every API process. */
  readonly redisUrl: string | undefined;
  /** A WebSocket whose unsent data exceeds this is closed (a stalled subscriber must not grow memory). */
  readonly wsMaxBufferedBytes: number;
  /** Schema introspection and the Apollo Sandbox landing page (off in production unless enabled). */
  readonly introspection: boolean;
  readonly sandbox: boolean;
  /** Proxies in front whose X-Forwarded-For is trusted for the client address (0: none). */
  readonly trustProxyHops: number;
  /** Origins browsers may call the API from; "*" for any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimits: {
    readonly userPoints: number;
    readonly userWindowSeconds: number;
    readonly ipPoints: number;
    readonly ipWindowSeconds: number;
  };
  readonly queryLimits: { readonly maxDepth: number; readonly maxAliases: number; readonly maxComplexity: number };
  /** The per-process memory budget: what caches and requests in progress may hold (see README, Operations: Memory). */
  readonly memory: {
    /** All caches together (seat-map responses, Apollo's documents and persisted queries), in bytes. */
    readonly cacheBytes: number;
    /** Declared body bytes of the requests being received or run, process-wide; beyond, requests are answered 503. */
    readonly inFlightBodyBytes: number;
    /** Requests one client address may have in progress; beyond, 503 (0: no limit). */
    readonly inFlightRequestsPerAddress: number;
  };
  /** How long a cached show/seat-map response may be served without checking the show for changes (0: always check). */
  readonly seatMapCacheStalenessMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const MIB = 1024 * 1024;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const nodeEnv = oneOf("NODE_ENV", "development", ["development", "production", "test"] as const);
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === "") return fallback;
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const corsOrigins = (env.CORS_ORIGINS ?? (nodeEnv === "production" ? "" : "*"))
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://tickets.example.com`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must be a postgresql:// URL");
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    problems.push("REDIS_URL must be a redis:// or rediss:// URL");
  const replicaUrl = env.DATABASE_REPLICA_URL?.trim() || undefined;
  if (replicaUrl !== undefined && !/^postgres(ql)?:\/\//.test(replicaUrl))
    problems.push("DATABASE_REPLICA_URL must be a postgresql:// URL");
  if (replicaUrl !== undefined && databaseUrl === undefined)
    problems.push("DATABASE_REPLICA_URL needs DATABASE_URL (the primary)");
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 16) {
    problems.push("JWT_SECRET must be at least 16 characters");
  }
  if (nodeEnv === "production" && jwtSecret === undefined) {
    problems.push("JWT_SECRET is required when NODE_ENV=production");
  }
  if (nodeEnv === "production" && databaseUrl === undefined) {
    problems.push("DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development)");
  }

  const config: Config = {
    env: nodeEnv,
    port: int("PORT", 4000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    database: {
      url: databaseUrl,
      replicaUrl,
      poolSize: int("DATABASE_POOL_SIZE", 10, 1, 1000),
      embedded: {
        dataDir: env.EMBEDDED_POSTGRES_DIR || ".data/postgres",
        port: int("EMBEDDED_POSTGRES_PORT", 54329, 1, 65535),
      },
    },
    auth: { jwtSecret },
    booking: {
      holdTtlSeconds: int("HOLD_TTL_SECONDS", 120, 1, 86_400),
      holdMaxExtensions: int("HOLD_MAX_EXTENSIONS", 2, 0, 100),
      maxSeatsPerHold: int("MAX_SEATS_PER_HOLD", 10, 1, 100),
      maxActiveHoldsPerUser: int("MAX_ACTIVE_HOLDS_PER_USER", 3, 1, 100),
      maxSeatsPerShow: int("MAX_SEATS_PER_SHOW", 100_000, 1, 1_000_000),
      expiryIntervalMs: int("EXPIRY_INTERVAL_MS", 1000, 50, 3_600_000),
    },
    logLevel: oneOf("LOG_LEVEL", "info", ["debug", "info", "warn", "error"] as const),
    redisUrl,
    wsMaxBufferedBytes: int("WS_MAX_BUFFERED_BYTES", 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
    seatMapCacheStalenessMs: int("SEAT_MAP_CACHE_STALENESS_MS", 0, 0, 60_000),
    introspection: bool("INTROSPECTION", nodeEnv !== "production"),
    sandbox: bool("SANDBOX", nodeEnv !== "production"),
    corsOrigins,
    trustProxyHops: int("TRUST_PROXY", 0, 0, 10),
    rateLimits: {
      userPoints: int("RATE_LIMIT_USER_POINTS", 30, 0, 1_000_000),
      userWindowSeconds: int("RATE_LIMIT_USER_WINDOW_SECONDS", 10, 1, 86_400),
      ipPoints: int("RATE_LIMIT_IP_POINTS", 20_000, 0, 100_000_000),
      ipWindowSeconds: int("RATE_LIMIT_IP_WINDOW_SECONDS", 10, 1, 86_400),
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
    },
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}
