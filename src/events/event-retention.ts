import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Logger } from "../platform/logger.js";
import { RetentionPurge } from "../platform/retention-purge.js";

/** Events deleted per statement (their deliveries and attempts go with them, by cascade). */
const PURGE_BATCH = 2000;

/**
 * Deletes events past BOOKING_EVENT_RETENTION_DAYS (0 keeps them for ever) that every channel is done with: no
 * webhook delivery still pending, and published to every broker exchange (its cursor past them). An event that is
 * still on its way is kept however old. The last event of the log and of each show are kept, whatever their age: the
 * sequencer numbers the next ones after them.
 */
export class EventRetentionTask extends RetentionPurge {
  constructor(prisma: PrismaClient, retentionDays: number, intervalMs: number, logger: Logger) {
    super({
      what: "booking events",
      retentionDays,
      intervalMs,
      batchSize: PURGE_BATCH,
      logger,
      deleteBatch: async (days, batch) => {
        const [row] = await prisma.$queryRaw<{ purged: number }[]>(Prisma.sql`/* purge_booking_events */
        WITH purged AS (
          DELETE FROM booking_events WHERE sequence IN (
            SELECT e.sequence FROM booking_events AS e
            WHERE e.sequenced_at < now() - ${days}::int * interval '1 day'
              AND e.sequence <= (SELECT coalesce(min(last_sequence), 9223372036854775807) FROM broker_cursors)
              -- the log's last event and each show's last one stay: the sequencer continues their numbers
              AND e.sequence < (SELECT max(sequence) FROM booking_events)
              AND e.position < (SELECT max(x.position) FROM booking_events AS x WHERE x.show_id = e.show_id)
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d
                              WHERE d.event_sequence = e.sequence AND d.status = 'pending')
            LIMIT ${batch}::int FOR UPDATE SKIP LOCKED
          ) RETURNING 1
        )
        SELECT count(*)::int AS purged FROM purged`);
        return row?.purged ?? 0;
      },
    });
  }
}
