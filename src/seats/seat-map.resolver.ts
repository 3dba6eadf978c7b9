import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import { type SeatMapChange as SeatMapChangeRecord } from "../domain/seat-change.js";
import { SEAT_MAP_CHANGED, SeatEvents } from "./seat-events.js";
import { SeatMapChange } from "./seat.type.js";

@Resolver()
export class SeatMapResolver {
  constructor(private readonly seatEvents: SeatEvents) {}

  // The stream comes from the subscription source given to buildSchema for this topic (SeatEvents.open).
  @Subscription(() => SeatMapChange, {
    topics: SEAT_MAP_CHANGED,
    topicId: ({ args }) => (args as { showId: string }).showId,
    description:
      "Live changes of a show's seat map, one event per committed change. Anyone may subscribe. Apply a seat's " +
      "change only if its version is higher than the one you have; after (re)subscribing, call " +
      "`show { seatsChangedSince(version:) }` to fill any gap.",
  })
  async seatMapChanged(
    @Root() change: SeatMapChangeRecord,
    @Arg("showId", () => ID, { description: "The show to watch." }) _showId: string,
  ): Promise<SeatMapChange> {
    const counts = await this.seatEvents.countsFor(change);
    return {
      ...change,
      seats: [...change.seats],
      availableSeats: counts.available,
      heldSeats: counts.held,
      bookedSeats: counts.booked,
    };
  }
}
