// `npm run check:invariants`: checks the booking invariants against the configured database, prints a report and
// exits with 1 on any violation. With no DATABASE_URL it uses the embedded development database (starting it if the
// API is not running).
import pg from "pg";
import { checkInvariants, formatInvariantReport } from "../bookings/invariants.js";
import { EMBEDDED_DATABASE, embeddedDatabaseUrl, startEmbeddedPostgres } from "../db/embedded.js";
import { loadConfig } from "../platform/config.js";

async function main(): Promise<void> {
  const config = loadConfig();
  let url = config.database.url;
  let stop = async () => {};
  if (!url) {
    url = embeddedDatabaseUrl(config.database.embedded.port, EMBEDDED_DATABASE);
    if (!(await reachable(url))) {
      const server = await startEmbeddedPostgres({ ...config.database.embedded, database: EMBEDDED_DATABASE });
      url = server.url;
      stop = server.stop;
    }
  }
  try {
    const report = await checkInvariants(url);
    console.log(formatInvariantReport(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await stop();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});
