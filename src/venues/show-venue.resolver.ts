import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { formatLocalDateTime, instantToLocal } from "../domain/time-zone.js";
import { type Context } from "../graphql/context.js";
import { toMoney } from "../graphql/money.type.js";
import { type LiveSeatMaps } from "../seats/live/live-seat-maps.js";
import { Show, type ShowRecord } from "../shows/index.js";
import { ShowCategory, ShowSection } from "./show-venue.type.js";
import { type VenueRecord } from "./venue.store.js";
import { Venue } from "./venue.type.js";

/** What a show adds from its venue: the venue, local time, categories with prices and availability, sections. */
@Resolver(() => Show)
export class ShowVenueResolver {
  constructor(private readonly maps: LiveSeatMaps) {}

  @FieldResolver(() => Venue, { nullable: true, description: "The venue; null for shows made before venues." })
  async venue(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<VenueRecord | null> {
    return (await ctx.loaders.catalog.load(show)).venue;
  }

  @FieldResolver(() => Int, { nullable: true, description: "The venue layout version the show is on." })
  async layoutVersion(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<number | null> {
    return (await ctx.loaders.catalog.load(show)).layoutVersion;
  }

  @FieldResolver(() => String, { description: 'The venue\'s IANA time zone, e.g. "Europe/Vienna".' })
  timeZone(@Root() show: ShowRecord): string {
    return show.timeZone;
  }

  @FieldResolver(() => String, {
    description: 'Start as wall-clock time in `timeZone`, e.g. "2027-03-01T19:30:00" (`startsAt` is the instant).',
  })
  startsAtLocal(@Root() show: ShowRecord): string {
    return formatLocalDateTime(instantToLocal(show.startsAt, show.timeZone));
  }

  @FieldResolver(() => String, { nullable: true, description: "ISO 4217 currency of its prices; null without." })
  currency(@Root() show: ShowRecord): string | null {
    return show.currency;
  }

  @FieldResolver(() => Boolean, {
    description: "Whether explicit holds that would strand a single free seat are refused (ORPHAN_SEAT).",
  })
  noOrphanSeats(@Root() show: ShowRecord): boolean {
    return show.noOrphanSeats;
  }

  @FieldResolver(() => [ShowCategory], {
    description: "Seat categories with their price for this show and their seats free now, in layout order.",
  })
  async categories(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<ShowCategory[]> {
    const [catalog, counts] = await Promise.all([ctx.loaders.catalog.load(show), this.countsBy(show, "category")]);
    return catalog.categories.map((category) => ({
      ...category,
      price: category.price && toMoney(category.price),
      totalSeats: counts.get(category.key)?.total ?? 0,
      availableSeats: counts.get(category.key)?.available ?? 0,
    }));
  }

  @FieldResolver(() => [ShowSection], { description: "Sections with their seats free now, the best first." })
  async sections(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<ShowSection[]> {
    const [catalog, counts] = await Promise.all([ctx.loaders.catalog.load(show), this.countsBy(show, "section")]);
    return catalog.sections.map((section) => ({
      ...section,
      totalSeats: counts.get(section.key)?.total ?? 0,
      availableSeats: counts.get(section.key)?.available ?? 0,
    }));
  }

  private async countsBy(show: ShowRecord, kind: "section" | "category") {
    const map = await this.maps.get(show.id);
    if (!map) throw new Error(`show ${show.id} has no seats`);
    return map.countsBy(kind);
  }
}
