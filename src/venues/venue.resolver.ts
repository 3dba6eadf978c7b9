import { Arg, Args, Authorized, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { withPublicErrors } from "../graphql/errors.js";
import { type Connection, ConnectionArgs, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { toUserError } from "../graphql/user-error.type.js";
import { inputProblems } from "../graphql/validation.js";
import { type LayoutDefinition } from "./layout/index.js";
import { ChangeVenueLayoutInput, CreateVenueInput } from "./venue.input.js";
import { ChangeVenueLayoutPayload, CreateVenuePayload } from "./venue.payload.js";
import { type VenueService } from "./venue.service.js";
import { type VenueLayoutRecord, type VenueRecord } from "./venue.store.js";
import { Venue, VenueConnection, VenueLayout } from "./venue.type.js";
import { fromGlobalId, withDatabaseIds } from "../graphql/global-id.js";

@Resolver(() => Venue)
export class VenueResolver {
  constructor(private readonly venueService: VenueService) {}

  @Query(() => Venue, { nullable: true, description: "A venue by id; null when there is no such venue." })
  venue(@Arg("id", () => ID, { description: "Venue id." }) id: string): Promise<VenueRecord | null> {
    return this.venueService.get(fromGlobalId(id, "Venue", ["id"]));
  }

  @Query(() => VenueConnection, { description: "Venues by name (Relay cursor pagination)." })
  async venues(@Args(() => ConnectionArgs) { first, after }: ConnectionArgs): Promise<Connection<VenueRecord>> {
    return toConnection(await withPublicErrors(this.venueService.list(first ?? DEFAULT_PAGE_SIZE, after)));
  }

  @FieldResolver(() => VenueLayout, {
    nullable: true,
    description: "A version of the layout, the latest when `version` is absent; null when there is no such version.",
  })
  async layout(
    @Root() venue: VenueRecord,
    @Arg("version", () => Int, { nullable: true, description: "Layout version." }) version: number | null,
  ): Promise<VenueLayout | null> {
    const layout = await this.venueService.layout(venue.id, version ?? null);
    return layout && toVenueLayout(layout);
  }

  @Authorized("admin")
  @Mutation(() => CreateVenuePayload, {
    description: "Creates a venue from its layout (version 1); every problem is reported. Admins only.",
  })
  async createVenue(
    @Arg("input", () => CreateVenueInput, { validate: false, description: "The venue and its layout." })
    input: CreateVenueInput,
  ): Promise<CreateVenuePayload> {
    const problems = await inputProblems(input);
    if (problems.length > 0) return { venue: null, userErrors: problems.map(toUserError) };
    const outcome = await this.venueService.create({ ...input, layout: input.layout as LayoutDefinition });
    return outcome.ok
      ? { venue: outcome.value, userErrors: [] }
      : { venue: null, userErrors: outcome.problems.map(toUserError) };
  }

  @Authorized("admin")
  @Mutation(() => ChangeVenueLayoutPayload, {
    description:
      "Changes a venue's layout: the latest version is replaced while no show uses it, otherwise a new version is " +
      "made (shows keep the version they were created on). Admins only.",
  })
  async changeVenueLayout(
    @Arg("input", () => ChangeVenueLayoutInput, { validate: false, description: "The venue and its new layout." })
    given: ChangeVenueLayoutInput,
  ): Promise<ChangeVenueLayoutPayload> {
    const input = withDatabaseIds(given, { venueId: "Venue" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { layout: null, userErrors: problems.map(toUserError) };
    const outcome = await this.venueService.changeLayout(input.venueId, input.layout as LayoutDefinition);
    return outcome.ok
      ? { layout: toVenueLayout(outcome.value), userErrors: [] }
      : { layout: null, userErrors: outcome.problems.map(toUserError) };
  }
}

/** The GraphQL view of a stored layout version (its definition was validated when stored). */
export function toVenueLayout(layout: VenueLayoutRecord): VenueLayout {
  const definition = layout.definition as unknown as LayoutDefinition;
  return {
    version: layout.version,
    totalSeats: layout.totalSeats,
    createdAt: layout.createdAt,
    categories: definition.categories.map(({ key, label, color }) => ({ key, label, color })),
    sections: definition.sections.map((section) => ({
      key: section.key,
      label: section.label,
      seatPrefix: section.seatPrefix ?? "",
      rowCount: section.rows.length,
    })),
  };
}
