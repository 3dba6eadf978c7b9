import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { type SeatChange as SeatChangeRecord } from "../domain/seat-change.js";
import { type Context } from "../graphql/context.js";
import { BadUserInputError } from "../graphql/errors.js";
import { Show, type ShowRecord } from "../shows/index.js";
import { type SeatRecord, SeatService } from "./seat.service.js";
import { Seat, SeatChange, SeatStatus } from "./seat.type.js";

/** The seat fields of `Show`: the seats module adds them to the shows module's type from its own folder. */
@Resolver(() => Show)
export class ShowSeatsResolver {
  constructor(private readonly seatService: SeatService) {}

  @FieldResolver(() => Int, { description: "Seats free to hold now." })
  async availableSeats(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.seatCounts.load(show.id)).available;
  }

  @FieldResolver(() => Int, { description: "Seats held by pending bookings now." })
  async heldSeats(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.seatCounts.load(show.id)).held;
  }

  @FieldResolver(() => Int, { description: "Seats sold." })
  async bookedSeats(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.seatCounts.load(show.id)).booked;
  }

  @FieldResolver(() => String, {
    description:
      "Version of this seat map read: the highest seat version it contains, plus the database snapshot it was read " +
      "after. Pass it to `seatsChangedSince` after subscribing to get every change this map does not show.",
  })
  seatMapVersion(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<string> {
    return ctx.loaders.seatMapVersion.load(show.id);
  }

  @FieldResolver(() => [SeatChange], {
    complexity: 250,
    description:
      "Seats that changed since `version` (a `seatMapVersion`, or a seat or event version), with their current " +
      "status and version, oldest change first.",
  })
  async seatsChangedSince(
    @Root() show: ShowRecord,
    @Arg("version", () => String, { description: "A `seatMapVersion`, or a version number from a seat or event." })
    version: string,
  ): Promise<SeatChangeRecord[]> {
    const changes = await this.seatService.changedSince(show.id, version);
    if (!changes) throw new BadUserInputError("`version` is not a seat map version.", ["version"]);
    return changes;
  }

  @FieldResolver(() => [Seat], {
    // A whole hall per show: the query-cost limit counts it like a big page, so one request cannot ask for dozens.
    complexity: 250,
    description: "The seat map: every seat (or those of one status), front row first, left to right.",
  })
  seats(
    @Root() show: ShowRecord,
    @Ctx() ctx: Context,
    @Arg("status", () => SeatStatus, { nullable: true, description: "Only seats with this status." })
    status?: SeatStatus | null,
  ): Promise<SeatRecord[]> {
    return ctx.loaders.seatsOfShow.load({ showId: show.id, status: status ?? null });
  }
}
