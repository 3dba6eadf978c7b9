import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Context } from "../context.js";
import { type Connection, ConnectionArgs, DEFAULT_PAGE_SIZE, toConnection } from "../shared/pagination.js";
import { toUserError } from "../shared/user-error.type.js";
import { inputProblems } from "../shared/validation.js";
import { Seat, SeatChange, type SeatChangeRow, SeatService, SeatStatus } from "../seats/index.js";
import { BadUserInputError } from "../shared/errors.js";
import { CreateShowInput } from "./show.input.js";
import { CreateShowPayload } from "./show.payload.js";
import { type ShowRecord, ShowService } from "./show.service.js";
import { Show, ShowConnection } from "./show.type.js";

@Resolver(() => Show)
export class ShowResolver {
  constructor(
    private readonly showService: ShowService,
    private readonly seatService: SeatService,
  ) {}

  @Query(() => ShowConnection, { description: "Shows, soonest first (Relay cursor pagination)." })
  async shows(@Args(() => ConnectionArgs) { first, after }: ConnectionArgs): Promise<Connection<ShowRecord>> {
    return toConnection(await this.showService.list(first ?? DEFAULT_PAGE_SIZE, after));
  }

  @Query(() => Show, { nullable: true, description: "A show by id; null when there is no such show." })
  show(@Arg("id", () => ID, { description: "Show id." }) id: string, @Ctx() ctx: Context): Promise<ShowRecord | null> {
    return ctx.loaders.show.load(id);
  }

  @Authorized("admin")
  @Mutation(() => CreateShowPayload, { description: "Creates a show and materializes its seats. Admins only." })
  async createShow(
    @Arg("input", () => CreateShowInput, { validate: false, description: "The show and its hall." }) input: CreateShowInput,
  ): Promise<CreateShowPayload> {
    const problems = await inputProblems(input);
    if (problems.length > 0) return { show: null, userErrors: problems.map(toUserError) };
    const outcome = await this.showService.create(input);
    return outcome.ok ? { show: outcome.value, userErrors: [] } : { show: null, userErrors: outcome.problems.map(toUserError) };
  }

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
      "Version of this seat map read: the highest seat version it contains, plus the database snapshot it was read after. Pass it to `seatsChangedSince` after subscribing to get every change this map does not show.",
  })
  seatMapVersion(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<string> {
    return ctx.loaders.seatMapVersion.load(show.id);
  }

  @FieldResolver(() => [SeatChange], {
    complexity: 250,
    description:
      "Seats that changed since `version` (a `seatMapVersion`, or a seat or event version), with their current status and version, oldest change first.",
  })
  async seatsChangedSince(
    @Root() show: ShowRecord,
    @Arg("version", () => String, { description: "A `seatMapVersion`, or a version number from a seat or event." }) version: string,
  ): Promise<SeatChangeRow[]> {
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
    @Arg("status", () => SeatStatus, { nullable: true, description: "Only seats with this status." }) status?: SeatStatus | null,
  ): Promise<Seat[]> {
    return ctx.loaders.seatsOfShow.load({ showId: show.id, status: status ?? null });
  }
}
