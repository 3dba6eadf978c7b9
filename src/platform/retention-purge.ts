import { type Logger } from "./logger.js";
import { RepeatingTask } from "./repeating-task.js";

/** Delay of the first pass after start (not at once: start-up has more pressing work). */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Deletes what is past a retention (in days; 0 keeps everything for ever) in batches, every `intervalMs` in every
 * API process. Each batch is one short statement (`deleteBatch(days, size)`, returning how many rows it deleted) that
 * skips rows another process is deleting (FOR UPDATE SKIP LOCKED), so processes share the work instead of queueing
 * behind each other, and no purge holds many locks or a long snapshot.
 */
export class RetentionPurge {
  private readonly task: RepeatingTask;

  constructor(
    private readonly options: {
      /** What is purged, for the log: "seat history", "booking events". */
      readonly what: string;
      readonly retentionDays: number;
      readonly intervalMs: number;
      readonly batchSize: number;
      readonly deleteBatch: (retentionDays: number, batchSize: number) => Promise<number>;
      readonly logger: Logger;
    },
  ) {
    this.task = new RepeatingTask({
      what: `${options.what} purge`,
      intervalMs: options.intervalMs,
      logger: options.logger,
      pass: async () => {
        const count = await this.runOnce();
        if (count > 0) options.logger.info(`purged ${options.what} past retention`, { count });
      },
    });
  }

  start(): void {
    // The first pass soon after start: a process that restarts more often than the interval still purges.
    if (this.options.retentionDays > 0) this.task.start(Math.min(this.options.intervalMs, FIRST_PASS_DELAY_MS));
  }

  /** Stops scheduling and waits for a pass under way (it stops after its current batch). */
  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: deletes batches until none is left past the retention. Returns how many rows were deleted. */
  async runOnce(): Promise<number> {
    const { retentionDays, batchSize } = this.options;
    if (retentionDays === 0) return 0;
    let total = 0;
    for (;;) {
      const deleted = await this.options.deleteBatch(retentionDays, batchSize);
      total += deleted;
      if (deleted < batchSize || this.task.stopping) return total;
    }
  }
}
