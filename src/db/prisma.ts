import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { preparedSqlClient, type SqlClient } from "./sql-client.js";

export { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** A PrismaClient over a pg pool: a read replica's. */
export interface ReadDatabase {
  readonly prisma: PrismaClient;
  /** Connections of the pools: in use, idle, and requests waiting for one (metrics). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Closes the client and its connection pools. */
  disconnect(): Promise<void>;
}

/** The primary's: Prisma, and the booking statements' client. */
export interface Database extends ReadDatabase {
  /** The booking statements' client: named prepared statements over a pool of their own (see preparedSqlClient). */
  readonly sql: SqlClient;
}

export interface DatabaseOptions {
  /** Called with the text of every SQL statement sent (instrumentation; tests count statements with it). */
  readonly onStatement?: (sql: string) => void;
}

/**
 * The single PrismaClient of a process and the booking statements' client, each over a pg pool of its own that
 * together open at most `poolSize` connections: half (rounded up) for the booking statements, the rest for Prisma,
 * at least one each. The booking statements' sessions plan generically (preparedSqlClient), which Prisma's must not.
 */
export function createDatabase(connectionString: string, poolSize: number, options: DatabaseOptions = {}): Database {
  const bookingPoolSize = Math.max(1, Math.ceil(poolSize / 2));
  const pool = newPool(connectionString, Math.max(1, poolSize - bookingPoolSize), options);
  const bookingPool = newPool(connectionString, bookingPoolSize, options);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: preparedSqlClient(bookingPool),
    poolStats: () => ({
      total: pool.totalCount + bookingPool.totalCount,
      idle: pool.idleCount + bookingPool.idleCount,
      waiting: pool.waitingCount + bookingPool.waitingCount,
    }),
    async disconnect() {
      await prisma.$disconnect();
      await Promise.all([pool.end().catch(() => {}), bookingPool.end().catch(() => {})]);
    },
  };
}

/** A read replica's PrismaClient, over a pg pool of `poolSize` (no booking statement runs there). */
export function createReplicaDatabase(
  connectionString: string,
  poolSize: number,
  options: DatabaseOptions = {},
): ReadDatabase {
  const pool = newPool(connectionString, poolSize, options);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async disconnect() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

function newPool(connectionString: string, max: number, { onStatement }: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    ...(onStatement ? { Client: observedClient(onStatement) } : {}),
  });
  // An idle client that loses its connection (server restart, terminated backend) emits 'error' on the pool;
  // without a listener that would crash the process. The pool drops the client and reconnects on demand.
  pool.on("error", () => {});
  // The pool listens only while a client is idle. A connection terminated while its client is checked out but between
  // statements (a killed backend, a server restart) would emit 'error' with no listener and crash the process; the
  // failure surfaces on the client's next statement instead, and the pool drops the client when it comes back.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** A pg client that reports the text of every statement before sending it. */
function observedClient(onStatement: (sql: string) => void): typeof pg.Client {
  return class ObservedClient extends pg.Client {
    override query(...args: unknown[]): never {
      const first = args[0] as string | { text?: string };
      onStatement(typeof first === "string" ? first : (first.text ?? ""));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  };
}
