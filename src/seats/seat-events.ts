import { type PubSub } from "@graphql-yoga/subscription";
import { type Events, type SeatChangeEvent, type SeatMapChangeEvent, Topic } from "../pubsub.js";
import { type Logger } from "../shared/logger.js";
import { type SeatCounts, type SeatService } from "./seat.service.js";

/** How many bytes of events one connection may have waiting, and what to do when it has more. */
export interface QueueBudget {
  readonly limitBytes: number;
  /** Bytes queued now across the connection's subscriptions (maintained by the queues). */
  queuedBytes: number;
  /** Bytes the transport holds but has not written yet (e.g. the socket's bufferedAmount). */
  transportBytes(): number;
  overflow(): void;
}

function boundedQueue<T>(source: AsyncIterableIterator<T>, budget: QueueBudget): AsyncIterableIterator<T> {
  const queue: { value: T; bytes: number }[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    for (const item of queue.splice(0)) budget.queuedBytes -= item.bytes;
    void source.return?.();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  void (async () => {
    try {
      for await (const value of source) {
        if (done) break;
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value, done: false });
          continue;
        }
        const bytes = JSON.stringify(value).length;
        queue.push({ value, bytes });
        budget.queuedBytes += bytes;
        if (budget.queuedBytes + budget.transportBytes() > budget.limitBytes) {
          finish();
          budget.overflow();
        }
      }
    } finally {
      finish();
    }
  })();
  const iterator: AsyncIterableIterator<T> = {
    next() {
      const item = queue.shift();
      if (item) {
        budget.queuedBytes -= item.bytes;
        return Promise.resolve({ value: item.value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** A seat changed by a committed statement. */
export interface CommittedSeatChange extends SeatChangeEvent {
  readonly showId: string;
}

/**
 * Publishes seat map changes to subscribers. Call `published` only after the statement that made the changes has
 * committed: one event per show per statement. Never throws into the caller: a lost event is logged, and clients
 * repair it by resyncing with `seatsChangedSince`.
 */
export class SeatEvents {
  private readonly inFlight = new Set<Promise<void>>();
  private subscriptions = 0;
  /** Latest seat-count query per show, shared by every subscriber of this process. */
  private readonly counts = new Map<string, { startedAt: number; counts: Promise<SeatCounts> }>();
  /** When an event reached this process (one entry per event object, shared by all its local subscribers). */
  private readonly receivedAt = new WeakMap<SeatMapChangeEvent, number>();

  constructor(
    private readonly pubSub: PubSub<Events>,
    private readonly seats: SeatService,
    private readonly logger: Logger,
  ) {}

  published(changes: readonly CommittedSeatChange[]): void {
    if (changes.length === 0) return;
    const byShow = new Map<string, SeatChangeEvent[]>();
    for (const { showId, seatNumber, status, version } of changes) {
      byShow.set(showId, [...(byShow.get(showId) ?? []), { seatNumber, status, version }]);
    }
    for (const [showId, seats] of byShow) {
      const sending = this.send(showId, seats).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  /**
   * The show's events for one subscriber. Events wait in a queue until the transport sends them (graphql-ws sends
   * one at a time and waits for the socket), so a subscriber that stops reading would queue without end; the queue
   * is therefore bounded by `budget`, shared by all subscriptions of one connection, and `budget.overflow()` is
   * called (and the stream ends) once the connection has more than `budget.limitBytes` waiting.
   */
  subscribe(showId: string, budget?: QueueBudget): AsyncIterableIterator<SeatMapChangeEvent> {
    const source = this.pubSub.subscribe(Topic.SEAT_MAP_CHANGED, showId);
    const events = budget ? boundedQueue(source, budget) : source;
    this.subscriptions++;
    let ended = false;
    const end = () => {
      if (!ended) this.subscriptions--;
      ended = true;
    };
    return {
      next: () => events.next().then((result) => (result.done && end(), result)),
      return: (value?: unknown) => (end(), events.return ? events.return(value) : Promise.resolve({ value: undefined, done: true as const })),
      throw: (error?: unknown) => (end(), events.throw ? events.throw(error) : Promise.reject(error)),
      [Symbol.asyncIterator]() {
        return this;
      },
    } as AsyncIterableIterator<SeatMapChangeEvent>;
  }

  /** Subscriptions open in this process (metrics). */
  activeSubscriptions(): number {
    return this.subscriptions;
  }

  /** Waits for events being published (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * The show's counts as of this event or later, for delivering it: one count query serves every event that reached
   * this process before the query started, and every subscriber of those events. A show nobody watches costs none.
   */
  countsFor(event: SeatMapChangeEvent): Promise<SeatCounts> {
    let receivedAt = this.receivedAt.get(event);
    if (receivedAt === undefined) {
      receivedAt = performance.now();
      this.receivedAt.set(event, receivedAt);
    }
    const latest = this.counts.get(event.showId);
    // A query that started after the event arrived here started after its commit, so it includes the change.
    if (latest && latest.startedAt >= receivedAt) return latest.counts;
    const entry = { startedAt: performance.now(), counts: this.seats.countSeats([event.showId]).then(([counts]) => counts!) };
    this.counts.set(event.showId, entry);
    entry.counts.then(
      () => setTimeout(() => this.counts.get(event.showId) === entry && this.counts.delete(event.showId), 10_000).unref(),
      () => this.counts.get(event.showId) === entry && this.counts.delete(event.showId),
    );
    return entry.counts;
  }

  private async send(showId: string, seats: SeatChangeEvent[]): Promise<void> {
    try {
      const version = seats.reduce((max, seat) => (BigInt(seat.version) > max ? BigInt(seat.version) : max), 0n);
      this.pubSub.publish(Topic.SEAT_MAP_CHANGED, showId, { showId, version: version.toString(), seats });
    } catch (error) {
      this.logger.warn("seat map event lost; subscribers will resync by version", { showId, error });
    }
  }
}
