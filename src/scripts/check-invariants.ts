// `npm run check:invariants`: checks the booking invariants against the configured database, prints a report and
// exits with 1 on any violation. With no DATABASE_URL it uses the embedded development database (starting it if the
// API is not running).
import pg from "pg";
import { checkInvariants, formatInvariantReport } from "../bookings/invariants.js";
import { loadConfig } from "../config.js";
import { startEmbeddedPostgres } from "../db/embedded.js";

async function main(): Promise<void> {
  const config = loadConfig();
  let url = config.database.url;
  let stop = async () => {};
  if (!url) {
    url = `postgresql://postgres:postgres@127.0.0.1:${config.database.embedded.port}/booking`;
    if (!(await reachable(url))) {
      const server = await startEmbeddedPostgres({ ...config.database.embedded, database: "booking" });
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
