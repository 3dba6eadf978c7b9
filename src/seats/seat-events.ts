import { type PubSub } from "@graphql-yoga/subscription";
import { type SeatMapChange } from "../domain/seat-change.js";
import { type Logger } from "../platform/logger.js";
import { UnknownShowError } from "../domain/errors.js";
import { pushQueue, type PushQueue } from "../realtime/bounded-queue.js";
import { seatChangeConflation } from "./seat-change-conflation.js";
import { type SeatCounts, type SeatService } from "./seat.service.js";

export const SEAT_MAP_CHANGED = "SEAT_MAP_CHANGED";

/** The seats module's topics on the event bus: a show's seat map changes, routed by show id. */
export type SeatEventMap = {
  [SEAT_MAP_CHANGED]: [showId: string, change: SeatMapChange];
};

/** Subscribers served before other work of this process gets a turn (see SeatEvents.deliver). */
const DELIVERY_SLICE = 100;

/**
 * A change as every subscriber of the show receives it (the `SeatMapChange` payload): resolved once per process, the
 * show's counts attached (a hint, see SeatEvents; null only if they could never be read).
 */
export interface ResolvedSeatMapChange extends SeatMapChange {
  readonly availableSeats: number | null;
  readonly heldSeats: number | null;
  readonly bookedSeats: number | null;
  readonly blockedSeats: number | null;
}

/** One show watched in this process: one bus subscription, its subscribers, and changes awaiting their counts. */
interface ShowFeed {
  readonly showId: string;
  readonly subscribers: Set<PushQueue<ResolvedSeatMapChange>>;
  /** Changes received from the bus whose counts are not read yet, in arrival order. */
  readonly pending: SeatMapChange[];
  readonly source: AsyncIterator<SeatMapChange>;
  counting: boolean;
  lastCounts: SeatCounts | null;
}

/**
 * Live seat-map changes: published after the statement that made them committed (one event per show per
 * statement), delivered to this process's subscribers. Publishing never throws into the caller: a lost event is
 * logged, and clients repair it by resyncing with `seatsChangedSince`.
 *
 * Fan-out costs one resolution per change per process, not per subscriber: each watched show has one bus subscription
 * here, and its changes are resolved (counts attached, payload built) once and the same object handed to every
 * subscriber; what is left per subscriber is graphql's field mapping and the socket write.
 *
 * Counts freshness: a show has at most one count query in flight; it answers every change that reached this process
 * before it started, and changes arriving meanwhile wait for the next one. So a change's counts were read after the
 * change reached this process (after its commit) and include it (on the primary; a read replica may lag), possibly
 * with later changes too: they are a hint, at most one count query old under load. Seats and versions are the truth.
 */
export class SeatEvents {
  private readonly inFlight = new Set<Promise<void>>();
  private subscriptions = 0;
  private readonly feeds = new Map<string, ShowFeed>();

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
   * The show's resolved changes for one subscriber, from now on. Refuses unknown shows up front (UnknownShowError)
   * instead of opening a stream that never speaks. While changes wait for a slow consumer, a seat's newer change
   * replaces its older one; how long a client may stay behind is the transport's business (the WebSocket server
   * bounds it per connection).
   */
  async open(showId: string): Promise<AsyncIterableIterator<ResolvedSeatMapChange>> {
    if (!(await this.showExists(showId))) throw new UnknownShowError();
    const feed = this.feeds.get(showId) ?? this.watch(showId);
    const stream = pushQueue<ResolvedSeatMapChange>({
      conflation: seatChangeConflation(),
      onEnd: () => {
        this.subscriptions--;
        feed.subscribers.delete(stream);
        if (feed.subscribers.size === 0 && this.feeds.get(showId) === feed) this.unwatch(feed);
      },
    });
    feed.subscribers.add(stream);
    this.subscriptions++;
    return stream;
  }

  /** Subscriptions open in this process (metrics). */
  activeSubscriptions(): number {
    return this.subscriptions;
  }

  /** Waits for events being published (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Starts taking the show's changes from the bus; each is noted as pending the moment it arrives. */
  private watch(showId: string): ShowFeed {
    const source = this.pubSub.subscribe(SEAT_MAP_CHANGED, showId)[Symbol.asyncIterator]();
    const feed: ShowFeed = { showId, subscribers: new Set(), pending: [], source, counting: false, lastCounts: null };
    this.feeds.set(showId, feed);
    void (async () => {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        feed.pending.push(next.value);
        if (!feed.counting) void this.resolvePending(feed);
      }
    })().catch((error: unknown) => this.logger.error("seat map feed failed", { showId, error }));
    return feed;
  }

  private unwatch(feed: ShowFeed): void {
    this.feeds.delete(feed.showId);
    feed.pending.length = 0;
    void feed.source.return?.();
  }

  /** Rounds of one count query each, until no change is pending; each round delivers what arrived before it began. */
  private async resolvePending(feed: ShowFeed): Promise<void> {
    feed.counting = true;
    try {
      while (feed.pending.length > 0 && feed.subscribers.size > 0) {
        const changes = feed.pending.splice(0);
        const counts = await this.countsOf(feed);
        const resolved = changes.map((change): ResolvedSeatMapChange => ({
          ...change,
          availableSeats: counts?.available ?? null,
          heldSeats: counts?.held ?? null,
          bookedSeats: counts?.booked ?? null,
          blockedSeats: counts?.blocked ?? null,
        }));
        await this.deliver([...feed.subscribers], resolved);
      }
    } finally {
      feed.counting = false;
      feed.pending.length = 0;
    }
  }

  /**
   * Hands the round's changes to every subscriber, a slice of subscribers at a time: each push sets off that
   * subscriber's graphql mapping and socket write, so a show with thousands of subscribers would otherwise hold the
   * event loop for all of them at once, and every other request of this process would wait. Each subscriber still
   * gets the round's changes in order.
   */
  private async deliver(
    subscribers: readonly PushQueue<ResolvedSeatMapChange>[],
    changes: readonly ResolvedSeatMapChange[],
  ): Promise<void> {
    for (let from = 0; from < subscribers.length; from += DELIVERY_SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const subscriber of subscribers.slice(from, from + DELIVERY_SLICE))
        for (const change of changes) subscriber.push(change);
    }
  }

  /** The show's counts now; after a failed read the last ones read (still a hint), and the failure logged. */
  private async countsOf(feed: ShowFeed): Promise<SeatCounts | null> {
    try {
      feed.lastCounts = (await this.seats.countSeats([feed.showId]))[0]!;
    } catch (error) {
      this.logger.warn("seat counts unavailable; delivering changes with the last counts read", {
        showId: feed.showId,
        error,
      });
    }
    return feed.lastCounts;
  }

  private async send(change: SeatMapChange): Promise<void> {
    try {
      this.pubSub.publish(SEAT_MAP_CHANGED, change.showId, change);
    } catch (error) {
      this.logger.warn("seat map event lost; subscribers will resync by version", { showId: change.showId, error });
    }
  }
}
