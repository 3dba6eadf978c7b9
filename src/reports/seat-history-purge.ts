import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Logger } from "../platform/logger.js";
import { RetentionPurge } from "../platform/retention-purge.js";

/** Entries deleted per statement. */
const PURGE_BATCH = 5000;

/**
 * Deletes seat history entries older than the retention (SEAT_HISTORY_RETENTION_DAYS; 0 keeps them for ever), in
 * batches found through a BRIN index on the time (in no particular order: every entry found is past retention).
 */
export class SeatHistoryPurgeTask extends RetentionPurge {
  constructor(prisma: PrismaClient, retentionDays: number, intervalMs: number, logger: Logger) {
    super({
      what: "seat history",
      retentionDays,
      intervalMs,
      batchSize: PURGE_BATCH,
      logger,
      deleteBatch: async (days, batch) => {
        const [row] = await prisma.$queryRaw<{ purged: number }[]>(Prisma.sql`/* purge_seat_history */
          WITH purged AS (
            DELETE FROM seat_history WHERE (seat_id, version) IN (
              SELECT seat_id, version FROM seat_history
              WHERE changed_at < now() - ${days}::int * interval '1 day'
              LIMIT ${batch}::int FOR UPDATE SKIP LOCKED
            ) RETURNING 1
          )
          SELECT count(*)::int AS purged FROM purged`);
        return row?.purged ?? 0;
      },
    });
  }
}
