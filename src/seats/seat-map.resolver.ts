import { Arg, ID, Resolver, Root, Subscription } from "type-graphql";
import { fromGlobalId, toGlobalId } from "../graphql/global-id.js";
import { SEAT_MAP_CHANGED, type ResolvedSeatMapChange } from "./seat-events.js";
import { SeatMapChange } from "./seat.type.js";

@Resolver()
export class SeatMapResolver {
  // The stream comes from the subscription source given to buildSchema for this topic (SeatEvents.open). Its changes
  // arrive resolved, one object shared by every subscriber of the show: nothing here may cost work per subscriber.
  @Subscription(() => SeatMapChange, {
    topics: SEAT_MAP_CHANGED,
    topicId: ({ args }) => fromGlobalId((args as { showId: string }).showId, "Show", ["showId"]),
    description:
      "Live changes of a show's seat map, one event per committed change. Anyone may subscribe. Apply a seat's " +
      "change only if its version is higher than the one you have; after (re)subscribing, call " +
      "`show { seatsChangedSince(version:) }` to fill any gap.",
  })
  seatMapChanged(
    @Root() change: ResolvedSeatMapChange,
    @Arg("showId", () => ID, { description: "The show to watch." }) _showId: string,
  ): SeatMapChange {
    // Counts are missing only if they could never be read for this show: the client gets an error event for this
    // change and resyncs by version.
    if (change.availableSeats === null) throw new Error("Seat counts unavailable");
    return withGlobalIds(change);
  }
}

/** Each change as the API shows it, made once and shared by every subscriber of the show (as the change itself is). */
const shownChanges = new WeakMap<ResolvedSeatMapChange, SeatMapChange>();

function withGlobalIds(change: ResolvedSeatMapChange): SeatMapChange {
  let shown = shownChanges.get(change);
  if (!shown) {
    shown = {
      ...(change as SeatMapChange),
      showId: toGlobalId("Show", change.showId),
      seats: change.seats.map((seat) => ({ ...seat, id: toGlobalId("Seat", seat.id) })),
    };
    shownChanges.set(change, shown);
  }
  return shown;
}
