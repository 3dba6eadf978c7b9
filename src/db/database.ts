import { type Config } from "../platform/config.js";
import { type Logger } from "../platform/logger.js";
import { EMBEDDED_DATABASE, startEmbeddedPostgres } from "./embedded.js";
import { migrate } from "./migrate.js";

export interface DatabaseServer {
  readonly url: string;
  /** Stops the embedded server; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
}

/** DATABASE_URL when set, else an embedded PostgreSQL under ./.data; either way with migrations applied. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<DatabaseServer> {
  let server: DatabaseServer;
  if (config.database.url) {
    server = { url: config.database.url, stop: async () => {} };
  } else {
    logger.info("DATABASE_URL is not set: starting the embedded PostgreSQL", {
      dataDir: config.database.embedded.dataDir,
      port: config.database.embedded.port,
    });
    server = await startEmbeddedPostgres({ ...config.database.embedded, database: EMBEDDED_DATABASE });
  }
  try {
    const { applied, modified } = await migrate(server.url);
    if (applied.length > 0) logger.info("applied migrations", { applied });
    if (modified.length > 0)
      logger.warn("applied migrations were edited afterwards; the database has the old version", { modified });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
