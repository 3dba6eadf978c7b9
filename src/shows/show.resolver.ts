import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type Context } from "../graphql/context.js";
import { BadUserInputError, withPublicErrors } from "../graphql/errors.js";
import { type Connection, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { toUserError } from "../graphql/user-error.type.js";
import { inputProblems } from "../graphql/validation.js";
import { CreateShowInput, ShowsArgs } from "./show.input.js";
import { CreateShowPayload } from "./show.payload.js";
import { type ShowRecord, ShowService } from "./show.service.js";
import { Show, ShowConnection } from "./show.type.js";

@Resolver(() => Show)
export class ShowResolver {
  constructor(private readonly showService: ShowService) {}

  @Query(() => ShowConnection, {
    description: "Shows, soonest first (Relay cursor pagination), optionally by date range, venue and text.",
  })
  async shows(@Args(() => ShowsArgs) { first, after, ...filter }: ShowsArgs): Promise<Connection<ShowRecord>> {
    if (filter.from && filter.to && filter.from >= filter.to)
      throw new BadUserInputError("`from` must be before `to`.", ["to"]);
    return toConnection(await withPublicErrors(this.showService.list(first ?? DEFAULT_PAGE_SIZE, after, filter)));
  }

  @Query(() => Show, { nullable: true, description: "A show by id; null when there is no such show." })
  show(@Arg("id", () => ID, { description: "Show id." }) id: string, @Ctx() ctx: Context): Promise<ShowRecord | null> {
    return ctx.loaders.show.load(id);
  }

  @Authorized("admin")
  @Mutation(() => CreateShowPayload, { description: "Creates a show and materializes its seats. Admins only." })
  async createShow(
    @Arg("input", () => CreateShowInput, { validate: false, description: "The show and its hall." })
    input: CreateShowInput,
  ): Promise<CreateShowPayload> {
    const problems = await inputProblems(input);
    if (problems.length > 0) return { show: null, userErrors: problems.map(toUserError) };
    const outcome = await this.showService.create(input);
    return outcome.ok
      ? { show: outcome.value, userErrors: [] }
      : { show: null, userErrors: outcome.problems.map(toUserError) };
  }
}
