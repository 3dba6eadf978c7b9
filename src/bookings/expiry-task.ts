import { type Logger } from "../platform/logger.js";
import { type BookingService } from "./booking.service.js";

/**
 * Releases lapsed holds every `intervalMs`, in every API process (the statement skips bookings another process is
 * releasing). Correctness never waits for it: a lapsed hold's seats are claimable at once; this does the
 * bookkeeping (booking FAILED/EXPIRED, seats AVAILABLE on the map), and keeps failed holds from piling up.
 */
export class ExpiryTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly bookings: BookingService,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
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
      if (expired === 0 || this.stopped) break;
    }
    for (;;) {
      const purged = await this.bookings.purgeFailedHolds();
      if (purged === 0 || this.stopped) return total;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((count) => {
          if (count > 0) this.logger.debug("released lapsed holds", { count });
        })
        .catch((error: unknown) => this.logger.error("expiry task failed; retrying next interval", { error }))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
