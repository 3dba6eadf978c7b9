import { type Env, envReader } from "./env-reader.js";
import { type EventsConfig, readEventsConfig } from "./events-config.js";
import { type MemoryBudget, type QueryLimits, type RateLimits, readRequestLimits } from "./request-limits-config.js";
import { readTracingConfig, type TracingConfig } from "./tracing-config.js";

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
    /** Tokens valid for longer than this (from `iat`, or from now when absent) are refused; `exp` is required. */
    readonly maxTokenLifetimeSeconds: number;
    /** When set, tokens must carry this `iss` / `aud` (and tokens signed here carry them). */
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
  };
  readonly booking: {
    readonly holdTtlSeconds: number;
    readonly holdMaxExtensions: number;
    readonly maxSeatsPerHold: number;
    readonly maxActiveHoldsPerUser: number;
    readonly maxSeatsPerShow: number;
    readonly expiryIntervalMs: number;
    /** Seats one client address may hold at once per show (0: no cap, e.g. when addresses are shared or unknown). */
    readonly maxHeldSeatsPerAddress: number;
    /** Hold time (each hold from start to expiry or cancellation) a user may take on one show per window. */
    readonly holdTimePerShowSeconds: number;
    readonly holdTimeWindowSeconds: number;
    /** How long a user waits before holding again a seat they cancelled or let lapse (0: no wait). */
    readonly reholdCooldownSeconds: number;
    /** Failed holds (seats unavailable) without an idempotency key are deleted after this long. */
    readonly failedBookingRetentionSeconds: number;
    /** How long an idempotency key of a failed hold replays it; the failed hold is deleted after this long. */
    readonly idempotencyReplaySeconds: number;
  };
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Unset: subscription events stay in this process. Set: they go through Redis to every API process. */
  readonly redisUrl: string | undefined;
  /** A WebSocket whose unsent data exceeds this is closed (a stalled subscriber must not grow memory). */
  readonly wsMaxBufferedBytes: number;
  /** Per-client bounds of the WebSocket endpoint (a message's size, connections per address, operations per connection). */
  readonly webSocket: {
    readonly maxPayloadBytes: number;
    readonly maxConnectionsPerAddress: number;
    readonly maxOperationsPerConnection: number;
  };
  /** Schema introspection and the Apollo Sandbox landing page (off in production unless enabled). */
  readonly introspection: boolean;
  readonly sandbox: boolean;
  /** Proxies in front whose X-Forwarded-For is trusted for the client address (0: none). */
  readonly trustProxyHops: number;
  /** Origins browsers may call the API from; "*" for any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimits: RateLimits;
  readonly queryLimits: QueryLimits;
  /** The per-process memory budget (see docs/operations.md, Memory). */
  readonly memory: MemoryBudget;
  /** On SIGTERM/SIGINT, how long requests under way may take before their connections are cut. */
  readonly shutdownGraceMs: number;
  /** POST /dev/token (any user's token, for the seat-map page): only with the generated development secret. */
  readonly devTokens: boolean;
  /** The admin console (GraphiQL served from this process) at /console. */
  readonly adminConsole: {
    /** Off in production unless ADMIN_CONSOLE=true. */
    readonly enabled: boolean;
    /** Whether the console asks for an admin token before it is served (production). */
    readonly signIn: boolean;
    /** Whether it opens with an admin token in its headers: only with the generated development secret. */
    readonly prefillAdminToken: boolean;
  };
  /** OpenTelemetry tracing (the OTEL_* variables; src/platform/tracing.ts). */
  readonly tracing: TracingConfig;
  /** Bounds on HTTP connections: slow or idle clients must not hold sockets and memory. */
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnections: number;
  };
  readonly metrics: {
    /** /metrics is served on this port only (0: any free port), never on the public one. */
    readonly port: number;
    /** The seat totals gauge is refreshed (in the background, with index probes per show) at most this often. */
    readonly seatTotalsIntervalMs: number;
  };
  /** How long a cached show/seat-map response may be served without checking the show for changes (0: always check). */
  readonly seatMapCacheStalenessMs: number;
  /** Seat history entries older than this many days are purged (0: kept for ever). */
  readonly seatHistoryRetentionDays: number;
  readonly events: EventsConfig;
  /** The live seat maps of the shows being read or booked (src/seats/live/). */
  readonly liveSeatMaps: {
    readonly repairIntervalMs: number;
    readonly idleMs: number;
    readonly maxSeats: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * The tracing settings alone, for src/platform/tracing.ts, which runs before the rest of the process is loaded. Bad
 * values leave tracing off here; loadConfig reports them and start-up stops.
 */
export function loadTracingConfig(env: Env = process.env): TracingConfig {
  return readTracingConfig(env, []);
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const reader = envReader(env, problems);
  const { int, oneOf, bool } = reader;
  const nodeEnv = oneOf("NODE_ENV", "development", ["development", "production", "test"] as const);
  const jwtSecret = env.JWT_SECRET || undefined;
  // A development process with the generated secret is one person's machine; once a secret is configured the
  // process is shared, and any-origin calls or self-service tokens are opt-in or impossible.
  const personalDevelopment = nodeEnv !== "production" && jwtSecret === undefined;
  const corsOrigins = (env.CORS_ORIGINS ?? (personalDevelopment ? "*" : ""))
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://tickets.example.com`);
  }
  const devTokens = bool("DEV_TOKENS", personalDevelopment);
  if (devTokens && !personalDevelopment)
    problems.push(
      "DEV_TOKENS=true needs the generated development secret: it is never on in production or with JWT_SECRET set",
    );
  const postgresUrl = /^postgres(ql)?:\/\//;
  const databaseUrl = reader.url("DATABASE_URL", postgresUrl, "a postgresql:// URL");
  const redisUrl = reader.url("REDIS_URL", /^rediss?:\/\//, "a redis:// or rediss:// URL");
  const replicaUrl = reader.url("DATABASE_REPLICA_URL", postgresUrl, "a postgresql:// URL");
  if (replicaUrl !== undefined && databaseUrl === undefined)
    problems.push("DATABASE_REPLICA_URL needs DATABASE_URL (the primary)");
  if (jwtSecret !== undefined && jwtSecret.length < 16) {
    problems.push("JWT_SECRET must be at least 16 characters");
  }
  if (nodeEnv === "production" && jwtSecret === undefined) {
    problems.push("JWT_SECRET is required when NODE_ENV=production");
  }
  if (nodeEnv === "production" && databaseUrl === undefined) {
    problems.push("DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development)");
  }

  const maxSeatsPerShow = int("MAX_SEATS_PER_SHOW", 100_000, 1, 1_000_000);
  // One seat map of the largest show allowed must fit one request, or that show could not be displayed.
  const maxRowsPerRequest = int("MAX_ROWS_PER_REQUEST", maxSeatsPerShow, 1, 10_000_000);
  const liveSeatMapsMaxSeats = int("LIVE_SEAT_MAPS_MAX_SEATS", 300_000, 1, 100_000_000);
  if (liveSeatMapsMaxSeats < maxSeatsPerShow)
    problems.push(`LIVE_SEAT_MAPS_MAX_SEATS must be at least MAX_SEATS_PER_SHOW (${maxSeatsPerShow})`);
  if (maxRowsPerRequest < maxSeatsPerShow)
    problems.push(`MAX_ROWS_PER_REQUEST must be at least MAX_SEATS_PER_SHOW (${maxSeatsPerShow})`);

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
    auth: {
      jwtSecret,
      maxTokenLifetimeSeconds: int("JWT_MAX_LIFETIME_SECONDS", 24 * 3600, 60, 366 * 24 * 3600),
      issuer: env.JWT_ISSUER?.trim() || undefined,
      audience: env.JWT_AUDIENCE?.trim() || undefined,
    },
    booking: {
      holdTtlSeconds: int("HOLD_TTL_SECONDS", 120, 1, 86_400),
      holdMaxExtensions: int("HOLD_MAX_EXTENSIONS", 2, 0, 100),
      maxSeatsPerHold: int("MAX_SEATS_PER_HOLD", 10, 1, 100),
      maxActiveHoldsPerUser: int("MAX_ACTIVE_HOLDS_PER_USER", 3, 1, 100),
      maxSeatsPerShow,
      expiryIntervalMs: int("EXPIRY_INTERVAL_MS", 1000, 50, 3_600_000),
      maxHeldSeatsPerAddress: int("MAX_HELD_SEATS_PER_ADDRESS", 60, 0, 1_000_000),
      holdTimePerShowSeconds: int("HOLD_TIME_PER_SHOW_SECONDS", 1800, 1, 30 * 86_400),
      holdTimeWindowSeconds: int("HOLD_TIME_WINDOW_SECONDS", 86_400, 60, 30 * 86_400),
      reholdCooldownSeconds: int("REHOLD_COOLDOWN_SECONDS", 60, 0, 86_400),
      failedBookingRetentionSeconds: int("FAILED_BOOKING_RETENTION_SECONDS", 3600, 0, 365 * 86_400),
      idempotencyReplaySeconds: int("IDEMPOTENCY_REPLAY_SECONDS", 86_400, 60, 365 * 86_400),
    },
    logLevel: oneOf("LOG_LEVEL", "info", ["debug", "info", "warn", "error"] as const),
    redisUrl,
    wsMaxBufferedBytes: int("WS_MAX_BUFFERED_BYTES", 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
    webSocket: {
      maxPayloadBytes: int("WS_MAX_MESSAGE_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
      maxConnectionsPerAddress: int("WS_MAX_CONNECTIONS_PER_ADDRESS", 50, 1, 1_000_000),
      maxOperationsPerConnection: int("WS_MAX_OPERATIONS_PER_CONNECTION", 100, 1, 100_000),
    },
    shutdownGraceMs: int("SHUTDOWN_GRACE_MS", 8000, 0, 600_000),
    devTokens,
    adminConsole: {
      enabled: bool("ADMIN_CONSOLE", nodeEnv !== "production"),
      signIn: nodeEnv === "production",
      prefillAdminToken: personalDevelopment,
    },
    tracing: readTracingConfig(env, problems),
    ...readRequestLimits(reader, maxRowsPerRequest),
    http: {
      headersTimeoutMs: int("HTTP_HEADERS_TIMEOUT_MS", 10_000, 1000, 600_000),
      requestTimeoutMs: int("HTTP_REQUEST_TIMEOUT_MS", 30_000, 1000, 3_600_000),
      keepAliveTimeoutMs: int("HTTP_KEEP_ALIVE_TIMEOUT_MS", 5000, 100, 600_000),
      maxConnections: int("HTTP_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
    },
    metrics: {
      // Test processes run side by side: each gets a free port unless told otherwise.
      port: int("METRICS_PORT", nodeEnv === "test" ? 0 : 9464, 0, 65535),
      seatTotalsIntervalMs: int("METRICS_SEAT_TOTALS_INTERVAL_MS", 15_000, 0, 3_600_000),
    },
    seatMapCacheStalenessMs: int("SEAT_MAP_CACHE_STALENESS_MS", 0, 0, 60_000),
    seatHistoryRetentionDays: int("SEAT_HISTORY_RETENTION_DAYS", 365, 0, 36_500),
    events: readEventsConfig(env, reader, problems, nodeEnv === "production"),
    liveSeatMaps: {
      repairIntervalMs: int("LIVE_SEAT_MAP_REPAIR_MS", 1000, 50, 600_000),
      idleMs: int("LIVE_SEAT_MAP_IDLE_SECONDS", 300, 1, 86_400) * 1000,
      maxSeats: liveSeatMapsMaxSeats,
    },
    introspection: bool("INTROSPECTION", nodeEnv !== "production"),
    sandbox: bool("SANDBOX", nodeEnv !== "production"),
    corsOrigins,
    trustProxyHops: int("TRUST_PROXY", 0, 0, 10),
  };

  const { holdTtlSeconds, holdTimePerShowSeconds } = config.booking;
  if (holdTimePerShowSeconds < holdTtlSeconds) {
    problems.push(
      `HOLD_TIME_PER_SHOW_SECONDS (${holdTimePerShowSeconds}) must be at least HOLD_TTL_SECONDS (${holdTtlSeconds}), or no hold is possible`,
    );
  }
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs)
    problems.push("HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS");
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}
