import { type PubSub } from "@graphql-yoga/subscription";
import { type SeatMapChange } from "../domain/seat-change.js";
import { type Logger } from "../platform/logger.js";
import { UnknownShowError } from "../domain/errors.js";
import { eagerQueue } from "../realtime/bounded-queue.js";
import { type SeatCounts, type SeatService } from "./seat.service.js";

export const SEAT_MAP_CHANGED = "SEAT_MAP_CHANGED";

/** The seats module's topics on the event bus: a show's seat map changes, routed by show id. */
export type SeatEventMap = {
  [SEAT_MAP_CHANGED]: [showId: string, change: SeatMapChange];
};

/** How long a show's counts, once read for delivering events, may serve later events that arrived before the read. */
const COUNTS_KEPT_MS = 10_000;

/**
 * Live seat-map changes: published after the statement that made them committed (one event per show per
 * statement), delivered to this process's subscribers. Publishing never throws into the caller: a lost event is
 * logged, and clients repair it by resyncing with `seatsChangedSince`.
 */
export class SeatEvents {
  private readonly inFlight = new Set<Promise<void>>();
  private subscriptions = 0;
  /** Latest seat-count query per show, shared by every subscriber of this process. */
  private readonly counts = new Map<string, { startedAt: number; counts: Promise<SeatCounts> }>();
  /** When an event reached this process (one entry per event object, shared by all its local subscribers). */
  private readonly receivedAt = new WeakMap<SeatMapChange, number>();

  constructor(
    private readonly pubSub: PubSub<SeatEventMap>,
    private readonly seats: Pick<SeatService, "countSeats">,
    private readonly showExists: (showId: string) => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  /** Publishes committed changes, one event per show. */
  publish(changes: readonly SeatMapChange[]): void {
    for (const change of changes) {
      if (change.seats.length === 0) continue;
      const sending = this.send(change).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  /**
   * The show's events for one subscriber, from now on. Refuses unknown shows up front (UnknownShowError) instead of
   * opening a stream that never speaks. Events are taken from the bus as they arrive and noted then, so a slow
   * consumer still shares count queries (see countsFor); how many may wait for a slow client is the transport's
   * business (the WebSocket server bounds it per connection).
   */
  async open(showId: string): Promise<AsyncIterableIterator<SeatMapChange>> {
    if (!(await this.showExists(showId))) throw new UnknownShowError();
    return this.stream(showId);
  }

  /** The show's events for one subscriber, from now on. */
  private stream(showId: string): AsyncIterableIterator<SeatMapChange> {
    const events = eagerQueue(this.pubSub.subscribe(SEAT_MAP_CHANGED, showId), {
      onArrival: (event) => this.noteArrival(event),
    });
    this.subscriptions++;
    let ended = false;
    const end = () => {
      if (!ended) this.subscriptions--;
      ended = true;
    };
    const iterator: AsyncIterableIterator<SeatMapChange> = {
      next: () => events.next().then((result) => (result.done && end(), result)),
      return: () => (end(), events.return!()),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
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
  countsFor(event: SeatMapChange): Promise<SeatCounts> {
    const receivedAt = this.noteArrival(event);
    const latest = this.counts.get(event.showId);
    // A query that started after the event arrived here started after its commit, so it includes the change.
    if (latest && latest.startedAt >= receivedAt) return latest.counts;
    const entry = { startedAt: performance.now(), counts: this.seats.countSeats([event.showId]).then(([c]) => c!) };
    this.counts.set(event.showId, entry);
    const forget = () => this.counts.get(event.showId) === entry && this.counts.delete(event.showId);
    entry.counts.then(() => setTimeout(forget, COUNTS_KEPT_MS).unref(), forget);
    return entry.counts;
  }

  /** When the event reached this process (the first time it is seen here). */
  private noteArrival(event: SeatMapChange): number {
    let at = this.receivedAt.get(event);
    if (at === undefined) {
      at = performance.now();
      this.receivedAt.set(event, at);
    }
    return at;
  }

  private async send(change: SeatMapChange): Promise<void> {
    try {
      this.pubSub.publish(SEAT_MAP_CHANGED, change.showId, change);
    } catch (error) {
      this.logger.warn("seat map event lost; subscribers will resync by version", { showId: change.showId, error });
    }
  }
}
