import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Logger } from "../platform/logger.js";

/** Events deleted per statement (their deliveries and attempts go with them, by cascade). */
const PURGE_BATCH = 2000;
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Deletes events past BOOKING_EVENT_RETENTION_DAYS (0 keeps them for ever) that every channel is done with: no
 * webhook delivery still pending, and published to every broker exchange (its cursor past them). An event that is
 * still on its way is kept however old. Runs in every process, each batch skipping events another process is
 * deleting (FOR UPDATE SKIP LOCKED). The last event of the log and of each show are kept, whatever their age: the
 * sequencer numbers the next ones after them.
 */
export class EventRetentionTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly retentionDays: number,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped || this.retentionDays === 0) return;
    this.stopped = false;
    this.schedule(Math.min(this.intervalMs, FIRST_PASS_DELAY_MS));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: deletes batches until none is left. Returns how many events were deleted. */
  async runOnce(): Promise<number> {
    if (this.retentionDays === 0) return 0;
    let total = 0;
    for (;;) {
      const [row] = await this.prisma.$queryRaw<{ purged: number }[]>(Prisma.sql`/* purge_booking_events */
        WITH purged AS (
          DELETE FROM booking_events WHERE sequence IN (
            SELECT e.sequence FROM booking_events AS e
            WHERE e.sequenced_at < now() - ${this.retentionDays}::int * interval '1 day'
              AND e.sequence <= (SELECT coalesce(min(last_sequence), 9223372036854775807) FROM broker_cursors)
              -- the log's last event and each show's last one stay: the sequencer continues their numbers
              AND e.sequence < (SELECT max(sequence) FROM booking_events)
              AND e.position < (SELECT max(x.position) FROM booking_events AS x WHERE x.show_id = e.show_id)
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d
                              WHERE d.event_sequence = e.sequence AND d.status = 'pending')
            LIMIT ${PURGE_BATCH}::int FOR UPDATE SKIP LOCKED
          ) RETURNING 1
        )
        SELECT count(*)::int AS purged FROM purged`);
      const purged = row?.purged ?? 0;
      total += purged;
      if (purged < PURGE_BATCH || this.stopped) return total;
    }
  }

  private schedule(delayMs = this.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((count) => {
          if (count > 0) this.logger.info("purged booking events past retention", { count });
        })
        .catch((error: unknown) => this.logger.error("booking event purge failed; retrying next interval", { error }))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, delayMs);
    this.timer.unref();
  }
}
