import "reflect-metadata";
import path from "node:path";
import { prepareDatabase } from "./db/database.js";
import { createDatabase } from "./db/prisma.js";
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
    ? createDatabase(config.database.replicaUrl, config.database.poolSize)
    : undefined;
  const app = await createApp({
    config,
    prisma: database.prisma,
    replica: replica?.prisma,
    poolStats: database.poolStats,
    jwtSecret: secret,
    logger,
  });

  logger.info(`API ready at ${app.url} (open it in a browser for Apollo Sandbox)`);
  if (generated) {
    const token = signToken(secret, { sub: "admin", role: "admin" });
    logger.info(
      `JWT_SECRET is not set: using a development secret kept in ${path.relative(process.cwd(), file ?? "")}. Admin token for Sandbox:`,
    );
    logger.info(`  Authorization: Bearer ${token}`);
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: draining requests and shutting down`);
    const forceExit = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    try {
      await app.stop();
      await database.disconnect();
      await replica?.disconnect();
      await server.stop();
      process.exit(0);
    } catch (error) {
      logger.error("error during shutdown", { error });
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("Failed to start:", error);
  }
  process.exit(1);
});
