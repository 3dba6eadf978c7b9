import { type ComplexityEstimator } from "graphql-query-complexity";
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { type SeatChange as SeatChangeRecord } from "../domain/seat-change.js";
import { type Context } from "../graphql/context.js";
import { BadUserInputError } from "../graphql/errors.js";
import { toGlobalId } from "../graphql/global-id.js";
import { Show, type ShowRecord } from "../shows/index.js";
import { type SeatRecord, SeatService } from "./seat.service.js";
import { Seat, SeatChange, SeatStatus } from "./seat.type.js";

/**
 * Static cost of a field that returns a whole hall, per seat field asked for: the estimate cannot know the hall's
 * size, so it counts a seat map like a big page whose cost grows with what each seat renders (one seat map with every
 * seat field fits MAX_QUERY_COMPLEXITY; ten do not). How many seats are returned is bounded by the row budget.
 */
const SEAT_MAP_COST_PER_FIELD = 250;
const seatMapCost: ComplexityEstimator = ({ childComplexity }) =>
  SEAT_MAP_COST_PER_FIELD * Math.max(1, childComplexity);

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

  @FieldResolver(() => Int, { description: "Seats off sale (BLOCKED): taken off sale, or the show was cancelled." })
  async blockedSeats(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.seatCounts.load(show.id)).blocked;
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
    complexity: seatMapCost,
    description:
      "Seats that changed since `version` (a `seatMapVersion`, or a seat or event version), with their current " +
      "status and version, oldest change first.",
  })
  async seatsChangedSince(
    @Root() show: ShowRecord,
    @Ctx() ctx: Context,
    @Arg("version", () => String, { description: "A `seatMapVersion`, or a version number from a seat or event." })
    version: string,
  ): Promise<SeatChangeRecord[]> {
    // Every seat may have changed: charge the whole hall before reading, give back what was not returned.
    ctx.rowBudget.charge(show.totalSeats);
    const changes = await this.seatService.changedSince(show.id, version);
    ctx.rowBudget.refund(show.totalSeats - (changes?.length ?? 0));
    if (!changes) throw new BadUserInputError("`version` is not a seat map version.", ["version"]);
    return changes.map((change) => ({ ...change, id: toGlobalId("Seat", change.id) }));
  }

  @FieldResolver(() => [Seat], {
    complexity: seatMapCost,
    description: "The seat map: every seat (or those of one status), front row first, left to right.",
  })
  async seats(
    @Root() show: ShowRecord,
    @Ctx() ctx: Context,
    @Arg("status", () => SeatStatus, { nullable: true, description: "Only seats with this status." })
    status?: SeatStatus | null,
  ): Promise<SeatRecord[]> {
    // Charged per field, not per read: seven aliases of one show's seats read it once but render it seven times.
    ctx.rowBudget.charge(show.totalSeats);
    const seats = await ctx.loaders.seatsOfShow.load({ showId: show.id, status: status ?? null });
    ctx.rowBudget.refund(show.totalSeats - seats.length);
    return seats;
  }
}
