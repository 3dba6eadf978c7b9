import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Logger } from "../platform/logger.js";

/** Entries deleted per statement: short transactions, so purging never holds many locks or a long snapshot. */
const PURGE_BATCH = 5000;
/** Delay of the first pass after start (not at once: start-up has more pressing work). */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Deletes seat history entries older than the retention (SEAT_HISTORY_RETENTION_DAYS; 0 keeps them for ever), in
 * batches found through a BRIN index on the time (in no particular order: every entry found is past retention). Runs
 * every `intervalMs` in every API process: each batch skips entries another process is deleting (FOR UPDATE SKIP
 * LOCKED), so processes share the work instead of queueing behind each other.
 */
export class SeatHistoryPurgeTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Set by stop(): a pass under way ends after its current batch (a pass run by hand, unstarted, runs to the end). */
  private stopRequested = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly retentionDays: number,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped || this.retentionDays === 0) return;
    this.stopped = false;
    this.stopRequested = false;
    // The first pass soon after start: a process that restarts more often than the interval still purges.
    this.schedule(Math.min(this.intervalMs, FIRST_PASS_DELAY_MS));
  }

  /** Stops scheduling and waits for a run in progress (it stops after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: deletes batches until none is left past the retention. Returns how many entries were deleted. */
  async runOnce(): Promise<number> {
    if (this.retentionDays === 0) return 0;
    let total = 0;
    for (;;) {
      const [row] = await this.prisma.$queryRaw<{ purged: number }[]>(Prisma.sql`/* purge_seat_history */
        WITH purged AS (
          DELETE FROM seat_history WHERE (seat_id, version) IN (
            SELECT seat_id, version FROM seat_history
            WHERE changed_at < now() - ${this.retentionDays}::int * interval '1 day'
            LIMIT ${PURGE_BATCH}::int FOR UPDATE SKIP LOCKED
          ) RETURNING 1
        )
        SELECT count(*)::int AS purged FROM purged`);
      const purged = row?.purged ?? 0;
      total += purged;
      if (purged < PURGE_BATCH || this.stopRequested) return total;
    }
  }

  private schedule(delayMs = this.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((count) => {
          if (count > 0) this.logger.info("purged seat history past retention", { count });
        })
        .catch((error: unknown) => this.logger.error("seat history purge failed; retrying next interval", { error }))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, delayMs);
    this.timer.unref();
  }
}
