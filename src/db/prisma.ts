import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";

export { Prisma, PrismaClient } from "../generated/prisma/client.js";

export interface Database {
  readonly prisma: PrismaClient;
  /** Connections of the pool: in use, idle, and requests waiting for one (metrics). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Closes the client and its connection pool. */
  disconnect(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with the text of every SQL statement sent (instrumentation; tests count statements with it). */
  readonly onStatement?: (sql: string) => void;
}

/** The single PrismaClient of a process, over a pg pool of the configured size. */
export function createDatabase(connectionString: string, poolSize: number, options: DatabaseOptions = {}): Database {
  const { onStatement } = options;
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    ...(onStatement ? { Client: observedClient(onStatement) } : {}),
  });
  // An idle client that loses its connection (server restart, terminated backend) emits 'error' on the pool;
  // without a listener that would crash the process. The pool drops the client and reconnects on demand.
  pool.on("error", () => {});
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
