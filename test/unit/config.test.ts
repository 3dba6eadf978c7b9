import { ConfigError, loadConfig } from "../../src/platform/config";

describe("configuration", () => {
  it("has working defaults for a development machine", () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database.url).toBeUndefined();
    expect(config.booking).toEqual({
      holdTtlSeconds: 120,
      holdMaxExtensions: 2,
      maxSeatsPerHold: 10,
      maxActiveHoldsPerUser: 3,
      maxSeatsPerShow: 100_000,
      expiryIntervalMs: 1000,
      maxHeldSeatsPerAddress: 60,
      holdTimePerShowSeconds: 1800,
      holdTimeWindowSeconds: 86_400,
      reholdCooldownSeconds: 60,
      failedBookingRetentionSeconds: 3600,
      idempotencyReplaySeconds: 86_400,
    });
    expect(Object.isFrozen(config.booking)).toBe(true);
  });

  it("reads overrides", () => {
    const config = loadConfig({
      PORT: "8080",
      HOLD_TTL_SECONDS: "5",
      MAX_SEATS_PER_HOLD: "4",
      DATABASE_URL: "postgresql://u@h/db",
    });
    expect(config.port).toBe(8080);
    expect(config.booking.holdTtlSeconds).toBe(5);
    expect(config.booking.maxSeatsPerHold).toBe(4);
    expect(config.database.url).toBe("postgresql://u@h/db");
  });

  it("refuses a hold time per show shorter than one hold", () => {
    expect(() => loadConfig({ HOLD_TTL_SECONDS: "600", HOLD_TIME_PER_SHOW_SECONDS: "300" })).toThrow(
      /HOLD_TIME_PER_SHOW_SECONDS \(300\) must be at least HOLD_TTL_SECONDS \(600\)/,
    );
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", HOLD_TTL_SECONDS: "0", NODE_ENV: "staging", DATABASE_URL: "mysql://x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/HOLD_TTL_SECONDS/);
    expect(problems).toMatch(/NODE_ENV/);
    expect(problems).toMatch(/DATABASE_URL/);
  });

  it("refuses production without a JWT secret or a database", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      /JWT_SECRET is required[\s\S]*DATABASE_URL is required/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgresql://db/x" })).toThrow(
      /JWT_SECRET is required/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32) })).toThrow(
      /DATABASE_URL is required/,
    );
  });

  it("refuses CORS origins that are not origins", () => {
    expect(() => loadConfig({ CORS_ORIGINS: "tickets.example.com" })).toThrow(/CORS_ORIGINS/);
  });

  it("needs a primary database for a read replica", () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URL: "postgresql://replica/x" })).toThrow(/needs DATABASE_URL/);
  });

  it("hands out dev tokens and allows any origin only with the generated development secret", () => {
    const secret = "a-configured-secret-123";
    expect(loadConfig({}).devTokens).toBe(true);
    expect(loadConfig({}).corsOrigins).toEqual(["*"]);
    expect(loadConfig({ DEV_TOKENS: "false" }).devTokens).toBe(false);
    expect(loadConfig({ JWT_SECRET: secret }).devTokens).toBe(false);
    expect(loadConfig({ JWT_SECRET: secret }).corsOrigins).toEqual([]);
    expect(() => loadConfig({ JWT_SECRET: secret, DEV_TOKENS: "true" })).toThrow(/DEV_TOKENS=true needs/);
    expect(() =>
      loadConfig({ NODE_ENV: "production", JWT_SECRET: secret, DATABASE_URL: "postgresql://h/d", DEV_TOKENS: "1" }),
    ).toThrow(/DEV_TOKENS=true needs/);
  });

  it("bounds HTTP connections by default and keeps the headers timeout within the request timeout", () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 10_000,
    });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not exceed/);
    expect(loadConfig({}).metrics.port).toBe(9464);
  });

  it("has a memory budget in bytes, and refuses one too small to take a single large request", () => {
    expect(loadConfig({}).memory).toEqual({
      cacheBytes: 96 * 1024 * 1024,
      inFlightBodyBytes: 64 * 1024 * 1024,
      inFlightRequestsPerAddress: 0,
    });
    expect(loadConfig({ CACHE_MEMORY_MB: "8", MAX_IN_FLIGHT_REQUESTS_PER_ADDRESS: "16" }).memory).toMatchObject({
      cacheBytes: 8 * 1024 * 1024,
      inFlightRequestsPerAddress: 16,
    });
    expect(() => loadConfig({ MAX_IN_FLIGHT_BODY_MB: "1" })).toThrow(/MAX_IN_FLIGHT_BODY_MB/);
    expect(() => loadConfig({ CACHE_MEMORY_MB: "lots" })).toThrow(/CACHE_MEMORY_MB/);
  });

  it("keeps seat history for a year by default, for ever with 0, and refuses other values", () => {
    expect(loadConfig({}).seatHistoryRetentionDays).toBe(365);
    expect(loadConfig({ SEAT_HISTORY_RETENTION_DAYS: "0" }).seatHistoryRetentionDays).toBe(0);
    expect(loadConfig({ SEAT_HISTORY_RETENTION_DAYS: "30" }).seatHistoryRetentionDays).toBe(30);
    for (const bad of ["-1", "1.5", "forever", "36501"]) {
      expect(() => loadConfig({ SEAT_HISTORY_RETENTION_DAYS: bad })).toThrow(
        /SEAT_HISTORY_RETENTION_DAYS must be an integer between 0 and 36500/,
      );
    }
  });
  it("serves the admin console outside production, prefilled only with the generated secret; in production on request, behind a sign-in", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "x".repeat(32), DATABASE_URL: "postgresql://h/d" };
    expect(loadConfig({}).adminConsole).toEqual({ enabled: true, signIn: false, prefillAdminToken: true });
    expect(loadConfig({ JWT_SECRET: "a-configured-secret-123" }).adminConsole).toEqual({
      enabled: true,
      signIn: false,
      prefillAdminToken: false,
    });
    expect(loadConfig({ ADMIN_CONSOLE: "false" }).adminConsole.enabled).toBe(false);
    expect(loadConfig(production).adminConsole).toEqual({ enabled: false, signIn: true, prefillAdminToken: false });
    expect(loadConfig({ ...production, ADMIN_CONSOLE: "true" }).adminConsole).toEqual({
      enabled: true,
      signIn: true,
      prefillAdminToken: false,
    });
    expect(() => loadConfig({ ADMIN_CONSOLE: "yes" })).toThrow(/ADMIN_CONSOLE must be true or false/);
  });

  it("traces only when an OTLP endpoint or an exporter is named and the SDK is not disabled", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(loadConfig({}).tracing).toEqual({ enabled: false, serviceName: "seat-booking-api" });
    expect(loadConfig(endpoint).tracing.enabled).toBe(true);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://c/v1/traces" }).tracing.enabled).toBe(true);
    expect(loadConfig({ OTEL_TRACES_EXPORTER: "console" }).tracing.enabled).toBe(true);
    expect(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: "true" }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...endpoint, OTEL_SERVICE_NAME: "box-office" }).tracing.serviceName).toBe("box-office");
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http/,
    );
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: "jaeger" })).toThrow(/OTEL_TRACES_EXPORTER must list/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: "json" })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL must be/);
    expect(() => loadConfig({ OTEL_SDK_DISABLED: "maybe" })).toThrow(/OTEL_SDK_DISABLED must be true or false/);
  });
});
