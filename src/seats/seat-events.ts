import { type PubSub } from "@graphql-yoga/subscription";
import { type Events, type SeatChangeEvent, type SeatMapChangeEvent, Topic } from "../pubsub.js";
import { type Logger } from "../shared/logger.js";
import { type SeatService } from "./seat.service.js";

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

  subscribe(showId: string): AsyncIterable<SeatMapChangeEvent> {
    return this.pubSub.subscribe(Topic.SEAT_MAP_CHANGED, showId);
  }

  /** Waits for events being published (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async send(showId: string, seats: SeatChangeEvent[]): Promise<void> {
    try {
      const [counts] = await this.seats.countSeats([showId]);
      const version = seats.reduce((max, seat) => (BigInt(seat.version) > max ? BigInt(seat.version) : max), 0n);
      this.pubSub.publish(Topic.SEAT_MAP_CHANGED, showId, {
        showId,
        version: version.toString(),
        seats,
        availableSeats: counts!.available,
        heldSeats: counts!.held,
        bookedSeats: counts!.booked,
      });
    } catch (error) {
      this.logger.warn("seat map event lost; subscribers will resync by version", { showId, error });
    }
  }
}
