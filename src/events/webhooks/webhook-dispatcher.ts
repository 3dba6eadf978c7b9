import { type PrismaClient } from "../../db/prisma.js";
import { storableText } from "../../db/storable-text.js";
import { type EventsConfig } from "../../platform/events-config.js";
import { type Logger } from "../../platform/logger.js";
import { toEnvelope } from "../event-envelope.js";
import { type EventDeliveryObserver } from "../event-metrics.js";
import {
  type AttemptRecord,
  type LeasedDeliveryRow,
  leaseDueDeliveries,
  recordAttempts,
  releaseLease,
} from "./sql/delivery.sql.js";
import { type TargetGuard } from "./target-guard.js";
import { signatureHeader } from "./webhook-secret.js";
import { type AttemptResult, postWebhook } from "./webhook-sender.js";

/** A lease outlasts the attempt's timeout by this much (the attempt's bookkeeping, a slow event loop). */
const LEASE_MARGIN_MS = 10_000;
/** Outcomes recorded per statement at most. */
const RECORD_BATCH = 200;

/** An attempt's outcome waiting to be recorded, and who waits for it. */
interface PendingOutcome {
  readonly row: LeasedDeliveryRow;
  readonly record: AttemptRecord;
  readonly failure: AttemptResult["failure"];
  readonly recorded: () => void;
}

export interface WebhookDispatcherTask {
  start(): void;
  stop(): Promise<void>;
  /** Run soon (events were just sequenced in this process). */
  wake(): void;
  /** Leases and delivers what is due now; resolves with how many deliveries were attempted. */
  runOnce(): Promise<number>;
}

/** The wait before the next attempt after `attempts` failed ones: base × 2^(attempts−1), capped, minus ≤20% jitter. */
export function retryDelayMs(attempts: number, config: EventsConfig["webhooks"], random = Math.random): number {
  const nominal = Math.min(config.retryBaseMs * 2 ** Math.min(attempts - 1, 40), config.retryMaxMs);
  // Jitter spreads the retries of many deliveries that failed together; taken off (never added), so the cap holds
  // and each wait stays longer than the one before it (doubling outgrows 20%).
  return Math.round(nominal * (1 - 0.2 * random()));
}

/**
 * Sends webhook deliveries: every API process runs one. It leases due deliveries (leaseDueDeliveries) up to its free
 * concurrency, POSTs each with Standard Webhooks headers while holding no transaction, and records the outcome only
 * if its lease still stands. Outcomes that end while a record is being written are recorded together by the next
 * statement (one statement per batch, not per delivery: at an on-sale's rate that is most of the relay's database
 * work). It runs every relayIntervalMs, when woken (events sequenced here), and again as soon as attempts are
 * recorded (slots are free, and the next event of those bookings may now be due).
 */
export class WebhookDispatcher implements WebhookDispatcherTask {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private stopped = true;
  private readonly outcomes: PendingOutcome[] = [];
  private recording: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: EventsConfig,
    private readonly guard: TargetGuard,
    private readonly logger: Logger,
    private readonly observer: EventDeliveryObserver,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pumping;
    // In-flight attempts end within their timeout; their outcomes are recorded.
    await Promise.all(this.inFlight);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.pumping) this.pumpAgain = true;
    else this.schedule(0);
  }

  async runOnce(): Promise<number> {
    const leased = await this.lease();
    await Promise.all(leased.map((row) => this.track(row)));
    return leased.length;
  }

  private schedule(delayMs = this.config.relayIntervalMs): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), delayMs);
    this.timer.unref();
  }

  /** Leases what fits in the free slots and starts sending it; one pump at a time, a wake during it runs it again. */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        try {
          const rows = await this.lease();
          if (this.stopped) {
            // Stopping: give back what was just leased rather than start sends the process may not finish.
            await Promise.all(
              rows.map((row) => this.prisma.$executeRaw(releaseLease(row.delivery_id, row.lease_token))),
            );
            return;
          }
          for (const row of rows) void this.track(row);
        } catch (error) {
          this.logger.error("leasing webhook deliveries failed; retrying", { error });
        }
      } while (this.pumpAgain && !this.stopped);
    })().finally(() => {
      this.pumping = undefined;
      this.schedule(this.pumpAgain ? 0 : this.config.relayIntervalMs);
    });
    return this.pumping;
  }

  private async lease(): Promise<LeasedDeliveryRow[]> {
    const free = this.config.webhooks.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const leaseMs = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
    return this.prisma.$queryRaw<LeasedDeliveryRow[]>(leaseDueDeliveries(free, leaseMs));
  }

  /** Delivers one leased row, counted in flight until its outcome is recorded; then looks for more work. */
  private track(row: LeasedDeliveryRow): Promise<void> {
    const delivery = this.deliver(row).catch((error: unknown) =>
      // The lease runs out and another attempt follows: at least once, never lost.
      this.logger.error("recording a webhook attempt failed; it will be retried", {
        delivery: String(row.delivery_id),
        error,
      }),
    );
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.wake();
    });
    return delivery;
  }

  private async deliver(row: LeasedDeliveryRow): Promise<void> {
    const envelope = toEnvelope(row);
    const body = JSON.stringify(envelope);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = row.previous_secret ? [row.secret, row.previous_secret] : [row.secret];
    const headers = {
      "content-type": "application/json",
      "webhook-id": envelope.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signatureHeader(secrets, envelope.id, timestamp, body),
    };
    const result = await postWebhook(row.url, headers, body, {
      guard: this.guard,
      timeoutMs: this.config.webhooks.timeoutMs,
      requireHttps: this.config.webhooks.requireHttps,
    });
    await this.record(row, result);
  }

  /** Queues the outcome for the next batch; resolves once it is recorded (or its batch failed: the lease runs out). */
  private record(row: LeasedDeliveryRow, result: AttemptResult): Promise<void> {
    const attempts = row.attempts + 1;
    const dead = result.failure !== null && attempts >= this.config.webhooks.maxAttempts;
    if (result.failure) this.observer.failed("webhook", result.failure.reason);
    return new Promise((recorded) => {
      this.outcomes.push({
        row,
        failure: result.failure,
        recorded,
        record: {
          deliveryId: row.delivery_id,
          leaseToken: row.lease_token,
          startedAt: result.startedAt,
          durationMs: result.durationMs,
          statusCode: result.statusCode,
          error: result.failure ? storableText(result.failure.error) : null,
          dead,
          retryInMs: result.failure && !dead ? retryDelayMs(attempts, this.config.webhooks) : 0,
        },
      });
      this.recording ??= this.recordQueued().finally(() => (this.recording = undefined));
    });
  }

  /** Records queued outcomes, a batch per statement, until none is left. */
  private async recordQueued(): Promise<void> {
    while (this.outcomes.length > 0) {
      const batch = this.outcomes.splice(0, RECORD_BATCH);
      try {
        const rows = await this.prisma.$queryRaw<{ delivery_id: bigint; status: string }[]>(
          recordAttempts(batch.map((outcome) => outcome.record)),
        );
        const statusOf = new Map(rows.map((row) => [String(row.delivery_id), row.status]));
        for (const outcome of batch) this.reportOutcome(outcome, statusOf.get(String(outcome.row.delivery_id)));
      } catch (error) {
        // Their leases run out and the attempts follow again: at least once, never lost.
        this.logger.error("recording webhook attempts failed; they will be retried", { count: batch.length, error });
      } finally {
        for (const outcome of batch) outcome.recorded();
      }
    }
  }

  private reportOutcome({ row, record, failure }: PendingOutcome, status: string | undefined): void {
    if (status === undefined) {
      this.logger.warn("a webhook delivery's lease was lost before its outcome was recorded", {
        delivery: String(row.delivery_id),
      });
      return;
    }
    if (status === "delivered")
      this.observer.delivered("webhook", (Date.now() - new Date(row.occurred_at).getTime()) / 1000);
    if (status === "dead") {
      this.observer.deadLettered();
      this.logger.warn("webhook delivery dead-lettered", {
        delivery: String(row.delivery_id),
        event: row.id,
        attempts: row.attempts + 1,
        error: failure?.error ?? record.error,
      });
    }
  }
}
