import { GraphQLError } from "graphql";
import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { type Context } from "../context.js";
import { type SeatMapChangeEvent } from "../pubsub.js";
import { SeatMapChange } from "./seat.type.js";

@Resolver()
export class SeatMapResolver {
  @Subscription(() => SeatMapChange, {
    description:
      "Live changes of a show's seat map, one event per committed change. Anyone may subscribe. Apply a seat's change only if its version is higher than the one you have; after (re)subscribing, call `show { seatsChangedSince(version:) }` to fill any gap.",
    subscribe: async ({ args, context }) => {
      const { showId } = args as { showId: string };
      const ctx = context as Context;
      // Refuse unknown shows up front instead of opening a stream that never speaks.
      if (!(await ctx.loaders.show.load(showId))) {
        throw new GraphQLError("No show with this id.", { extensions: { code: "BAD_USER_INPUT", field: ["showId"] } });
      }
      return ctx.live.subscribe(showId);
    },
  })
  async seatMapChanged(
    @Root() change: SeatMapChangeEvent,
    @Arg("showId", () => ID, { description: "The show to watch." }) _showId: string,
    @Ctx() ctx: Context,
  ): Promise<SeatMapChange> {
    const counts = await ctx.live.countsFor(change);
    return { ...change, availableSeats: counts.available, heldSeats: counts.held, bookedSeats: counts.booked } as SeatMapChange;
  }
}
