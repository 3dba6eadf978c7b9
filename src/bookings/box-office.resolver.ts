import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Outcome } from "../domain/problem.js";
import { viewerOf } from "../graphql/auth-checker.js";
import { type Context } from "../graphql/context.js";
import { withPublicErrors } from "../graphql/errors.js";
import { toMoney } from "../graphql/money.type.js";
import { type Connection, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { toUserError } from "../graphql/user-error.type.js";
import { withDatabaseIds } from "../graphql/global-id.js";
import { inputProblems } from "../graphql/validation.js";
import { Show, type ShowRecord } from "../shows/index.js";
import { BookingPayload } from "./booking.payload.js";
import { type BookingQueries } from "./booking.queries.js";
import { Booking, BookingConnection, BookingRefund } from "./booking.type.js";
import { BookingSearchArgs, ShowBookingsArgs } from "./box-office.args.js";
import { ChangeSeatsInput, RefundBookingInput } from "./box-office.input.js";
import { type BoxOfficeService } from "./box-office.service.js";
import { type BookingRecord } from "./sql/rows.js";

const toPayload = (outcome: Outcome<BookingRecord>): BookingPayload => ({
  booking: outcome.value ?? null,
  userErrors: outcome.ok ? [] : outcome.problems.map(toUserError),
});

/** Refunds, seat changes and the admins' booking lists. */
@Resolver(() => Booking)
export class BoxOfficeResolver {
  constructor(
    private readonly boxOffice: BoxOfficeService,
    private readonly queries: BookingQueries,
  ) {}

  @Authorized()
  @Mutation(() => BookingPayload, {
    description:
      "Refunds seats of a CONFIRMED booking (all of them unless `seatNumbers` says), all or nothing: they go back on " +
      "sale, the booking keeps the rest (REFUNDED when none is left), and `refunds` records it. Admins refund any " +
      "booking; owners their own, only while the show allows it (`ownerRefunds`) and has not started (else NOT_ALLOWED).",
  })
  async refundBooking(
    @Arg("input", () => RefundBookingInput, { validate: false, description: "Which booking and seats." })
    given: RefundBookingInput,
    @Ctx() ctx: Context,
  ): Promise<BookingPayload> {
    const input = withDatabaseIds(given, { bookingId: "Booking" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { booking: null, userErrors: problems.map(toUserError) };
    return toPayload(await withPublicErrors(this.boxOffice.refund(viewerOf(ctx), input)));
  }

  @Authorized("admin")
  @Mutation(() => BookingPayload, {
    description:
      "Moves a booking (CONFIRMED, or PENDING while its hold stands) from the `release` seats to the `take` seats at " +
      "once, all or nothing; taken seats get the booking's state. Repeating it with the same idempotencyKey changes " +
      "nothing and returns the booking.",
  })
  async changeSeats(
    @Arg("input", () => ChangeSeatsInput, { validate: false, description: "Which booking and seats." })
    given: ChangeSeatsInput,
    @Ctx() ctx: Context,
  ): Promise<BookingPayload> {
    const input = withDatabaseIds(given, { bookingId: "Booking" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { booking: null, userErrors: problems.map(toUserError) };
    return toPayload(await this.boxOffice.changeSeats(viewerOf(ctx), input));
  }

  @Authorized("admin")
  @Query(() => BookingConnection, {
    description: "Admins: bookings matching every filter given, newest first (Relay cursor pagination).",
  })
  async bookings(@Args(() => BookingSearchArgs) args: BookingSearchArgs): Promise<Connection<BookingRecord>> {
    const filter = { ...withDatabaseIds(args, { showId: "Show" }, []), statuses: args.status };
    return toConnection(
      await withPublicErrors(this.queries.search(filter, args.first ?? DEFAULT_PAGE_SIZE, args.after)),
    );
  }

  @FieldResolver(() => [BookingRefund], { description: "Its refunds, oldest first." })
  async refunds(@Root() booking: BookingRecord, @Ctx() ctx: Context): Promise<BookingRefund[]> {
    const refunds = await ctx.loaders.refundsOfBooking.load(booking.id);
    return refunds.map((refund) => ({
      ...refund,
      amount:
        refund.amount === null || refund.currency === null
          ? null
          : toMoney({ amount: Number(refund.amount), currency: refund.currency }),
    }));
  }
}

/** Show.bookings: a show's bookings, for admins. */
@Resolver(() => Show)
export class ShowBookingsResolver {
  constructor(private readonly queries: BookingQueries) {}

  @Authorized("admin")
  @FieldResolver(() => BookingConnection, {
    description:
      "Admins: the show's bookings, newest first (Relay cursor pagination); any status unless `status` says.",
  })
  async bookings(
    @Root() show: ShowRecord,
    @Args(() => ShowBookingsArgs) args: ShowBookingsArgs,
  ): Promise<Connection<BookingRecord>> {
    const filter = { showId: show.id, userId: args.userId, statuses: args.status };
    return toConnection(
      await withPublicErrors(this.queries.search(filter, args.first ?? DEFAULT_PAGE_SIZE, args.after)),
    );
  }
}
