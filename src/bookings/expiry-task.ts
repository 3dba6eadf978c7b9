import { type Logger } from "../platform/logger.js";
import { RepeatingTask } from "../platform/repeating-task.js";
import { type BookingService } from "./booking.service.js";

/**
 * Releases lapsed holds every `intervalMs`, in every API process (the statement skips bookings another process is
 * releasing). Correctness never waits for it: a lapsed hold's seats are claimable at once; this does the
 * bookkeeping (booking FAILED/EXPIRED, seats AVAILABLE on the map), and keeps failed holds from piling up.
 */
export class ExpiryTask {
  private readonly task: RepeatingTask;

  constructor(
    private readonly bookings: BookingService,
    intervalMs: number,
    logger: Logger,
  ) {
    this.task = new RepeatingTask({
      what: "expiry task",
      intervalMs,
      logger,
      pass: async () => {
        const count = await this.runOnce();
        if (count > 0) logger.debug("released lapsed holds", { count });
      },
    });
  }

  start(): void {
    this.task.start();
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  /**
   * One pass: keeps releasing batches until nothing is due, then deletes failed holds past retention, also in
   * batches. Returns how many bookings expired.
   */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.bookings.expireDue();
      total += expired;
      if (expired === 0 || this.task.stopping) break;
    }
    for (;;) {
      const purged = await this.bookings.purgeFailedHolds();
      if (purged === 0 || this.task.stopping) return total;
    }
  }
}
