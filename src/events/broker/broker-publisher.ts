import { type ConfirmChannel } from "amqplib";
import { type Logger } from "../../platform/logger.js";
import { type BookingEventRow, toEnvelope } from "../event-envelope.js";
import { type EventDeliveryObserver } from "../event-metrics.js";
import { type BrokerConnection } from "./broker-connection.js";
import { type BrokerCursorStore } from "./broker-cursor.js";

/** Confirms not all in within this: the connection is dropped and the batch is published again later. */
export const CONFIRM_TIMEOUT_MS = 15_000;

/** How long stop() lets a round under way finish before it closes the connection. */
const STOP_GRACE_MS = 2000;

/** What became of one published message. */
type Outcome = "ack" | "nack" | "closed";

export interface BrokerPublisherOptions {
  readonly exchange: string;
  /** Events published per round before waiting for the broker's confirms (AMQP_PUBLISH_BATCH). */
  readonly batch: number;
  /** How often to look for events when nothing wakes it (EVENT_RELAY_INTERVAL_MS). */
  readonly intervalMs: number;
  /** The cursor lease's length: renewed every third of it while a round waits on the broker. */
  readonly leaseMs: number;
}

/**
 * Publishes the log to the exchange in sequence order, at least once: a round takes the cursor's lease (one
 * publisher per exchange across processes, so the exchange gets the events in log order), publishes the events
 * after the cursor (routing key: the type; body: the envelope), waits for the broker's confirms, and only then moves
 * the cursor past the confirmed ones. A nack, a timeout or a dropped connection moves nothing: the same events go
 * again on a later round (a consumer dedupes by messageId, the event's id). Bookings never wait on any of this: the
 * publisher only reads the log.
 */
export class BrokerPublisher {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private busy = false;
  private wokenWhileBusy = false;
  private cursorReady = false;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: BrokerCursorStore,
    private readonly connection: BrokerConnection,
    private readonly observer: EventDeliveryObserver,
    private readonly logger: Logger,
    private readonly options: BrokerPublisherOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connection.open(); // at once, so that the first events do not wait for the handshake
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A round under way gets a moment to be confirmed (else its events go again, from whichever process is next);
    // closing the connection then settles whatever is still unconfirmed.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
    await this.connection.stop();
    await this.tail;
    // Another process takes over at once instead of waiting for the lease to run out.
    await this.store.release().catch(() => undefined);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.wokenWhileBusy = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Publishes what is after the cursor now (rounds run one at a time); resolves with how many events were confirmed. */
  runOnce(): Promise<number> {
    const run = this.tail.then(() => this.publishAll());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async publishAll(): Promise<number> {
    if (!this.cursorReady) {
      await this.store.ensure();
      this.cursorReady = true;
    }
    let total = 0;
    for (;;) {
      const state = await this.store.state();
      if (!state) {
        this.cursorReady = false; // deleted by hand: made again at the head next round
        return total;
      }
      if (state.head <= state.lastSequence) return total;
      // Not connected: no lease is taken, so a process that can reach the broker publishes instead.
      const channel = await this.connection.open();
      if (!channel) return total;
      const from = await this.store.claim();
      if (from === undefined) return total; // another process publishes
      const events = await this.store.eventsAfter(from, this.options.batch);
      if (events.length === 0) return total;
      const confirmed = await this.publishBatch(channel, from, events);
      total += confirmed;
      if (confirmed < events.length) return total;
    }
  }

  /** Publishes `events`, waits for their confirms, moves the cursor past the confirmed prefix; returns its length. */
  private async publishBatch(channel: ConfirmChannel, from: bigint, events: BookingEventRow[]): Promise<number> {
    const outcomes: Promise<Outcome>[] = [];
    for (const row of events) {
      const { outcome, writable } = this.publish(channel, row);
      outcomes.push(outcome);
      // A full socket buffer: let it drain (or the channel close) before writing more.
      if (!writable) await drained(channel);
    }
    const { settled, gaveUp } = await this.awaitConfirms(outcomes);
    const firstFailure = settled.findIndex((outcome) => outcome !== "ack");
    const confirmed = firstFailure === -1 ? events.length : firstFailure;
    const now = Date.now();
    for (const row of events.slice(0, confirmed)) {
      this.observer.delivered("broker", (now - new Date(row.occurred_at).getTime()) / 1000);
    }
    if (confirmed > 0 && !(await this.store.advance(from, BigInt(events[confirmed - 1]!.sequence)))) {
      // The lease ran out and another process took over: it publishes these again (duplicates, never a gap).
      this.logger.warn("lost the broker cursor's lease while publishing; another process continues", {
        exchange: this.options.exchange,
      });
      return 0;
    }
    if (firstFailure === -1) return confirmed;
    const reason = settled[firstFailure] === "nack" ? "nack" : (gaveUp ?? "connection_lost");
    const failedAt = String(events[firstFailure]!.sequence);
    this.observer.failed("broker", reason);
    this.logger.warn("the message broker did not confirm events; publishing them again later", {
      exchange: this.options.exchange,
      reason,
      sequence: failedAt,
      unconfirmed: events.length - confirmed,
    });
    await this.store.recordError(`${reason}: event ${failedAt} and later not confirmed`).catch(() => undefined);
    // Without a connection, give the lease up: another process that can reach the broker takes over at once.
    if (reason !== "nack") await this.store.release().catch(() => undefined);
    return confirmed;
  }

  /** Publishes one event; `writable` is false when the socket buffer is full. */
  private publish(channel: ConfirmChannel, row: BookingEventRow): { outcome: Promise<Outcome>; writable: boolean } {
    const envelope = toEnvelope(row);
    let writable = true;
    const outcome = new Promise<Outcome>((resolve) => {
      try {
        writable = channel.publish(
          this.options.exchange,
          envelope.type,
          Buffer.from(JSON.stringify(envelope)),
          {
            persistent: true,
            messageId: envelope.id,
            type: envelope.type,
            contentType: "application/json",
            timestamp: Math.floor(new Date(row.occurred_at).getTime() / 1000),
            appId: "booking-api",
          },
          (error: unknown) => {
            if (!error) resolve("ack");
            else resolve(error instanceof Error && error.message === "message nacked" ? "nack" : "closed");
          },
        );
      } catch {
        resolve("closed"); // the channel closed before this publish: no confirm callback will come
      }
    });
    return { outcome, writable };
  }

  /**
   * Every message's outcome. Renews the lease while waiting; when the confirms do not come in time, or the lease is
   * lost, the connection is dropped, which settles every outstanding message as closed (`gaveUp` says why).
   */
  private async awaitConfirms(outcomes: Promise<Outcome>[]): Promise<{ settled: Outcome[]; gaveUp?: string }> {
    const all = Promise.all(outcomes);
    let giveUp: (why: string) => void = () => undefined;
    const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
    const renewal = setInterval(() => {
      this.store.renew().then(
        (held) => held || giveUp("lease_lost"),
        () => undefined, // the database is unreachable: the timeout below still bounds the wait
      );
    }, this.options.leaseMs / 3);
    const timeout = setTimeout(() => giveUp("timeout"), CONFIRM_TIMEOUT_MS);
    try {
      const first = await Promise.race([all, gaveUp]);
      if (typeof first !== "string") return { settled: first };
      await this.connection.reset(first === "timeout" ? "confirms timed out" : "lost the cursor's lease");
      return { settled: await all, gaveUp: first };
    } finally {
      clearInterval(renewal);
      clearTimeout(timeout);
    }
  }

  private schedule(delayMs = this.options.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.busy = true;
      this.runOnce()
        .catch((error: unknown) => this.logger.error("publishing booking events failed; retrying", { error }))
        .finally(() => {
          this.busy = false;
          const again = this.wokenWhileBusy;
          this.wokenWhileBusy = false;
          this.schedule(again ? 0 : undefined);
        });
    }, delayMs);
    this.timer.unref();
  }
}

/** Resolves when the channel's socket buffer has drained, or the channel closed. */
function drained(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.off("drain", done);
      channel.off("close", done);
      resolve();
    };
    channel.once("drain", done);
    channel.once("close", done);
  });
}
