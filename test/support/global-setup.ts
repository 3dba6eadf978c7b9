import { rm } from "node:fs/promises";
import { startEmbeddedPostgres } from "./from-src-standalone";
import { freePort } from "./ports";

/**
 * Gives the test workers a PostgreSQL server to create their throwaway databases on: DATABASE_URL when set,
 * otherwise an embedded server (the same one `npm start` uses on a fresh machine) on a free port, in a data
 * directory of this run's own, so that two test runs never share (or block) one server.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = `.data/test-runs/postgres-${process.pid}`;
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
  process.env.TEST_ADMIN_DATABASE_URL = server.adminUrl;
  (globalThis as { embeddedPostgres?: { stop(): Promise<void> } }).embeddedPostgres = {
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
