import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";

export { Prisma, PrismaClient } from "../generated/prisma/client.js";

export interface Database {
  readonly prisma: PrismaClient;
  /** Closes the client and its connection pool. */
  disconnect(): Promise<void>;
}

/** The single PrismaClient of a process, over a pg pool of the configured size. */
export function createDatabase(connectionString: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client that loses its connection (server restart, terminated backend) emits 'error' on the pool;
  // without a listener that would crash the process. The pool drops the client and reconnects on demand.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    async disconnect() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
