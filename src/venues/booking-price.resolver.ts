import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Booking } from "../bookings/booking.type.js";
import { type Context } from "../graphql/context.js";
import { Money, toMoney } from "../graphql/money.type.js";
import { type PricedBooking } from "./booking-lines.js";
import { BookingLineItem } from "./show-venue.type.js";

/** What a booking costs: its total, fixed when its seats were claimed, and a line per seat. */
@Resolver(() => Booking)
export class BookingPriceResolver {
  @FieldResolver(() => Money, {
    nullable: true,
    description: "Sum of its seats' prices when they were held (exact, minor units); null without prices or seats.",
  })
  total(@Root() booking: PricedBooking): Money | null {
    if (booking.total === null || booking.currency === null) return null;
    return toMoney({ amount: Number(booking.total), currency: booking.currency });
  }

  @FieldResolver(() => [BookingLineItem], { description: "One line per seat: its category and price." })
  async lineItems(@Root() booking: PricedBooking, @Ctx() ctx: Context): Promise<BookingLineItem[]> {
    const lines = await ctx.loaders.bookingLines.load(booking);
    return lines.map((line) => ({
      ...line,
      price:
        line.price === null || booking.currency === null
          ? null
          : toMoney({ amount: line.price, currency: booking.currency }),
    }));
  }
}
