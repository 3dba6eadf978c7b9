import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabaseIfMissing, startEmbeddedPostgres } from "../../src/db/embedded";
import { migrate } from "../../src/db/migrate";
import { signToken } from "../../src/platform/jwt";
import { startApiProcess } from "../../test/support/api-process";
import { freePort } from "../../test/support/ports";
import { GraphQLClient, OPERATIONS } from "./graphql";

export const JWT_SECRET = randomBytes(24).toString("hex");
export const token = (sub: string, role: "admin" | "user" = "user") => signToken(JWT_SECRET, { sub, role });

export interface BenchDatabase {
  readonly url: string;
  readonly version: string;
  /** VACUUM ANALYZE between scenarios, so each starts from the same clean state instead of the last one's dead rows. */
  settle(): Promise<void>;
  /** The statements that took the most database time so far (needs pg_stat_statements), then resets the counters. */
  topStatements(limit: number): Promise<{ calls: number; totalMs: number; meanMs: number; query: string }[]>;
  /** Another fresh, migrated database on the same server (dropped by `stop`), for data other scenarios must not see. */
  sibling(suffix: string): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

/** A fresh database for this run: on DATABASE_URL's server, or on an embedded PostgreSQL. */
export async function prepareDatabase(): Promise<BenchDatabase> {
  let adminUrl: string;
  let stopServer = async () => {};
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: ".data/bench-postgres",
      port: await freePort(),
      database: "postgres",
      // Statement statistics for profiling (bench/README.md); the extension ships with the embedded server.
      flags: ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "max_connections=400"],
    });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  return openDatabase(adminUrl, `bench_${Date.now().toString(36)}`, stopServer);
}

async function openDatabase(adminUrl: string, name: string, stopServer: () => Promise<void>): Promise<BenchDatabase> {
  await createDatabaseIfMissing(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  // pg_stat_statements is optional: profile with it when the server preloads it.
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").catch(() => {});
  await client.end();
  const siblings: BenchDatabase[] = [];
  return {
    url: url.toString(),
    version: rows[0]!.server_version,
    async settle() {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query("VACUUM ANALYZE");
      await client.end();
    },
    async topStatements(limit) {
      const stats = new pg.Client({ connectionString: url.toString() });
      await stats.connect();
      try {
        const { rows: top } = await stats.query<{ calls: string; total: number; mean: number; query: string }>(
          `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, query FROM pg_stat_statements
           WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           ORDER BY total_exec_time DESC LIMIT $1`,
          [limit],
        );
        await stats.query("SELECT pg_stat_statements_reset()");
        return top.map((s) => ({
          calls: Number(s.calls),
          totalMs: Math.round(s.total),
          meanMs: Math.round(s.mean * 100) / 100,
          query: s.query.replace(/\s+/g, " ").slice(0, 160),
        }));
      } catch {
        return [];
      } finally {
        await stats.end();
      }
    },
    async sibling(suffix) {
      const sibling = await openDatabase(adminUrl, `${name}_${suffix}`, async () => {});
      siblings.push(sibling);
      return sibling;
    },
    async stop() {
      for (const sibling of siblings.splice(0)) await sibling.stop();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await stopServer();
    },
  };
}

export interface BenchApi {
  readonly url: string;
  /** The process's Prometheus endpoint (its own port). */
  readonly metricsUrl: string;
  readonly client: (connections: number) => GraphQLClient;
  stop(): Promise<void>;
}

/** The compiled API as a child process in production mode, logging at warn. */
export async function startApi(
  databaseUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BenchApi> {
  const metricsPort = await freePort();
  const api = await startApiProcess(
    {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: databaseUrl,
      JWT_SECRET,
      METRICS_PORT: String(metricsPort),
      ...env,
    },
    nodeArgs,
  );
  return {
    url: api.url,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    client: (connections) => new GraphQLClient(api.url, connections),
    stop: async () => {
      await api.stop();
    },
  };
}

let showsCreated = 0;

export async function createShow(
  client: GraphQLClient,
  name: string,
  rows: number,
  seatsPerRow: number,
): Promise<string> {
  const result = await client.request<{ createShow: { show: { id: string } | null; userErrors: unknown[] } }>(
    OPERATIONS.createShow,
    { input: { name, startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), rows, seatsPerRow } },
    // A distinct admin per show: one admin creating dozens of shows a second (contention rounds) would meet the
    // per-user rate limit, which is not under test.
    token(`bench-admin-${++showsCreated}`, "admin"),
  );
  const show = result.data?.createShow.show;
  if (!show) throw new Error(`createShow failed: ${JSON.stringify(result)}`);
  return show.id;
}
