import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { type Context } from "../graphql/context.js";
import { toMoney } from "../graphql/money.type.js";
import { Seat } from "../seats/seat.type.js";
import { type SeatRecord } from "../seats/seat.service.js";
import { accessibilityKinds } from "./accessibility.js";
import { type Accessibility } from "./layout/index.js";
import { AccessibilityKind } from "./venue.input.js";
import { SeatCategoryPrice, SeatPosition } from "./show-venue.type.js";

/** What a seat has from its venue: section, category with its price, accessibility and where it is drawn. */
@Resolver(() => Seat)
export class SeatDetailsResolver {
  @FieldResolver(() => String, { description: 'Key of the seat\'s section, e.g. "STALLS".' })
  section(@Root() seat: SeatRecord): string {
    return seat.sectionKey;
  }

  @FieldResolver(() => SeatCategoryPrice, { description: "The seat's category and its price in this show." })
  async category(@Root() seat: SeatRecord, @Ctx() ctx: Context): Promise<SeatCategoryPrice> {
    const show = await ctx.loaders.show.load(seat.showId);
    const catalog = show ? await ctx.loaders.catalog.load(show) : null;
    const category = catalog?.categories.find((c) => c.key === seat.categoryKey);
    const currency = show?.currency ?? null;
    return {
      key: seat.categoryKey,
      label: category?.label ?? seat.categoryKey,
      color: category?.color ?? "#4F7CAC",
      price: seat.price === null || currency === null ? null : toMoney({ amount: seat.price, currency }),
    };
  }

  @FieldResolver(() => [AccessibilityKind], { description: "Wheelchair space, companion seat; empty for most seats." })
  accessibility(@Root() seat: SeatRecord): Accessibility[] {
    return accessibilityKinds(seat.accessibility);
  }

  @FieldResolver(() => SeatPosition, { description: "Where to draw the seat." })
  position(@Root() seat: SeatRecord): SeatPosition {
    return { x: seat.x, y: seat.y };
  }
}
