import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { viewerOf } from "../graphql/auth-checker.js";
import { type Context } from "../graphql/context.js";
import { BadUserInputError, withPublicErrors } from "../graphql/errors.js";
import { type Connection, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { toUserError } from "../graphql/user-error.type.js";
import { inputProblems } from "../graphql/validation.js";
import { type ShowAdminService } from "./show-admin.service.js";
import { CancelShowInput, CreateShowInput, ShowsArgs, UpdateShowInput } from "./show.input.js";
import { CancelShowPayload, CreateShowPayload, UpdateShowPayload } from "./show.payload.js";
import { type ShowRecord, ShowService } from "./show.service.js";
import { Show, ShowConnection, ShowStatus, showStatusOf } from "./show.type.js";
import { fromGlobalId, withDatabaseIds } from "../graphql/global-id.js";

@Resolver(() => Show)
export class ShowResolver {
  constructor(
    private readonly showService: ShowService,
    private readonly admin: ShowAdminService,
  ) {}

  @Query(() => ShowConnection, {
    description: "Shows, soonest first (Relay cursor pagination), optionally by date range, venue and text.",
  })
  async shows(@Args(() => ShowsArgs) args: ShowsArgs): Promise<Connection<ShowRecord>> {
    const { first, after, ...filter } = withDatabaseIds(args, { venueId: "Venue" }, []);
    if (filter.from && filter.to && filter.from >= filter.to)
      throw new BadUserInputError("`from` must be before `to`.", ["to"]);
    return toConnection(await withPublicErrors(this.showService.list(first ?? DEFAULT_PAGE_SIZE, after, filter)));
  }

  @Query(() => Show, { nullable: true, description: "A show by id; null when there is no such show." })
  show(@Arg("id", () => ID, { description: "Show id." }) id: string, @Ctx() ctx: Context): Promise<ShowRecord | null> {
    return ctx.loaders.show.load(fromGlobalId(id, "Show", ["id"]));
  }

  @Authorized("admin")
  @Mutation(() => CreateShowPayload, { description: "Creates a show and materializes its seats. Admins only." })
  async createShow(
    @Arg("input", () => CreateShowInput, { validate: false, description: "The show and its hall." })
    given: CreateShowInput,
  ): Promise<CreateShowPayload> {
    const input = withDatabaseIds(given, { venueId: "Venue" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { show: null, userErrors: problems.map(toUserError) };
    const outcome = await this.showService.create(input);
    return outcome.ok
      ? { show: outcome.value, userErrors: [] }
      : { show: null, userErrors: outcome.problems.map(toUserError) };
  }

  @FieldResolver(() => ShowStatus, {
    description: "CANCELLED once cancelled, STARTED from its start, ON_SALE before (computed when read).",
  })
  status(@Root() show: ShowRecord): ShowStatus {
    return showStatusOf(show, new Date());
  }

  @Authorized("admin")
  @Mutation(() => UpdateShowPayload, {
    description:
      "Changes a show's name, start, prices, layout version, purchase cap, owner refunds or orphan-seat rule: only " +
      "the fields given. Prices and layout only while nothing is sold (INVALID_STATE). Admins only.",
  })
  async updateShow(
    @Arg("input", () => UpdateShowInput, { validate: false, description: "The show and what changes." })
    given: UpdateShowInput,
  ): Promise<UpdateShowPayload> {
    const input = withDatabaseIds(given, { id: "Show" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { show: null, userErrors: problems.map(toUserError) };
    const outcome = await this.admin.update(input);
    return outcome.ok
      ? { show: outcome.value, userErrors: [] }
      : { show: outcome.value ?? null, userErrors: outcome.problems.map(toUserError) };
  }

  @Authorized("admin")
  @Mutation(() => CancelShowPayload, {
    description:
      "Cancels a show (started or not): no hold succeeds once it is marked cancelled; its pending and confirmed " +
      "bookings end CANCELLED_BY_ORGANIZER (confirmed ones refunded) and every seat ends BLOCKED. Calling it again " +
      "finishes a cancellation that was interrupted; otherwise SHOW_CANCELLED. Admins only.",
  })
  async cancelShow(
    @Arg("input", () => CancelShowInput, { validate: false, description: "The show and why." })
    given: CancelShowInput,
    @Ctx() ctx: Context,
  ): Promise<CancelShowPayload> {
    const input = withDatabaseIds(given, { id: "Show" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { show: null, cancelledBookings: 0, userErrors: problems.map(toUserError) };
    const outcome = await this.admin.cancel(input.id, input.reason, viewerOf(ctx).id);
    return outcome.ok
      ? { ...outcome.value, userErrors: [] }
      : {
          show: outcome.value?.show ?? null,
          cancelledBookings: outcome.value?.cancelledBookings ?? 0,
          userErrors: outcome.problems.map(toUserError),
        };
  }
}
