import { type Logger } from "./logger.js";

/**
 * A background job of every API process (releasing lapsed holds, the retention purges, sequencing booking events):
 * one pass at a time, the next `intervalMs` after the last ended, until stopped. A failed pass is logged and the next
 * one runs on time.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private stopRequested = false;

  constructor(
    private readonly options: {
      /** For the log: "<what> failed; retrying". */
      readonly what: string;
      readonly intervalMs: number;
      readonly pass: () => Promise<void>;
      readonly logger: Logger;
    },
  ) {}

  /** Set by stop() until the next start(): a pass under way ends early where it can (a pass run by hand, unstarted, runs to the end). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Starts passes: the first after `firstDelayMs` (by default one interval). */
  start(firstDelayMs = this.options.intervalMs): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(firstDelayMs);
  }

  /** Stops scheduling and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.options
        .pass()
        .catch((error: unknown) => this.options.logger.error(`${this.options.what} failed; retrying`, { error }))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
