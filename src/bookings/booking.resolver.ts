import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Outcome } from "../domain/problem.js";
import { viewerOf } from "../graphql/auth-checker.js";
import { type Context } from "../graphql/context.js";
import { BadUserInputError, withPublicErrors } from "../graphql/errors.js";
import { type Connection, ConnectionArgs, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { fromGlobalId, withDatabaseIds } from "../graphql/global-id.js";
import { toUserError } from "../graphql/user-error.type.js";
import { inputProblems } from "../graphql/validation.js";
import { Seat, type SeatRecord } from "../seats/index.js";
import { Show, type ShowRecord } from "../shows/index.js";
import {
  CancelBookingInput,
  ConfirmBookingInput,
  ExtendHoldInput,
  fieldAsSent,
  HoldSeatsInput,
  withSeatSelection,
} from "./booking.input.js";
import { BookingPayload, HoldSeatsPayload } from "./booking.payload.js";
import { BookingQueries } from "./booking.queries.js";
import { type SeatAllocator } from "./booking.ports.js";
import { BookingService } from "./booking.service.js";
import { Booking, BookingConnection, BookingStatus } from "./booking.type.js";
import { type BookingRecord } from "./sql/rows.js";

/** What myBookings lists by default: holds and purchases; failed attempts only when asked for. */
const DEFAULT_LISTED_STATUSES: readonly BookingStatus[] = [BookingStatus.PENDING, BookingStatus.CONFIRMED];

/** The client address to cap holds by; null when the transport could not tell it. */
const knownAddress = (address: string): string | null => (address === "unknown" || address === "" ? null : address);

/** Why the bare `id:` argument of confirmBooking, cancelBooking and extendHold is going. */
const OLD_BOOKING_ID = "Use input.bookingId; removed in 0.3.0";

/**
 * The booking a confirm, cancel or extend names: `input.bookingId`, or the deprecated bare `id` (both optional in the
 * schema while the old form lives), exactly one of them; with the argument path its userErrors point at.
 */
function namedBooking(input: { bookingId: string } | null, id: string | null) {
  if ((input == null) === (id == null)) {
    throw new BadUserInputError("Give exactly one of `input` (with `bookingId`) and the deprecated `id`.", ["input"]);
  }
  const field = input ? ["input", "bookingId"] : ["id"];
  return { bookingId: fromGlobalId(input?.bookingId ?? id!, "Booking", field), field };
}

/** The service names the booking's argument `id` (its problems' field): `bookingField` is where the client gave it. */
const toPayload = (outcome: Outcome<BookingRecord>, bookingField: readonly string[] = ["id"]): BookingPayload => ({
  booking: outcome.value ?? null,
  userErrors: outcome.ok
    ? []
    : outcome.problems.map((problem) =>
        toUserError(problem.field?.join(".") === "id" ? { ...problem, field: [...bookingField] } : problem),
      ),
});

@Resolver(() => Booking)
export class BookingResolver {
  constructor(
    private readonly bookings: BookingService,
    private readonly queries: BookingQueries,
    /** Tells whether held seats sit side by side (the live seat maps in the API). */
    private readonly allocator: Pick<SeatAllocator, "areAdjacent">,
  ) {}

  @Authorized()
  @Query(() => Booking, {
    nullable: true,
    description: "One of your bookings (admins: any booking); null when there is none.",
  })
  booking(
    @Arg("id", () => ID, { description: "Booking id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<BookingRecord | null> {
    return withPublicErrors(this.queries.get(viewerOf(ctx), fromGlobalId(id, "Booking", ["id"])));
  }

  @Authorized()
  @Query(() => BookingConnection, {
    description: "Your bookings, newest first (Relay cursor pagination); PENDING and CONFIRMED unless `status` says.",
  })
  async myBookings(
    @Args(() => ConnectionArgs) { first, after }: ConnectionArgs,
    @Ctx() ctx: Context,
    @Arg("status", () => [BookingStatus], {
      nullable: true,
      description: "Only bookings with these statuses (e.g. [FAILED] for failed, cancelled and lapsed holds).",
    })
    status?: BookingStatus[] | null,
  ): Promise<Connection<BookingRecord>> {
    const statuses = status && status.length > 0 ? status : DEFAULT_LISTED_STATUSES;
    const page = await withPublicErrors(
      this.queries.listForUser(viewerOf(ctx).id, first ?? DEFAULT_PAGE_SIZE, after, statuses),
    );
    return toConnection(page);
  }

  @Authorized()
  @Mutation(() => HoldSeatsPayload, {
    description:
      "Holds seats for HOLD_TTL_SECONDS, all or nothing. On success the booking is PENDING; confirm it before `expiresAt`.",
  })
  async holdSeats(
    @Arg("input", () => HoldSeatsInput, { validate: false, description: "Which seats." }) given: HoldSeatsInput,
    @Ctx() ctx: Context,
  ): Promise<HoldSeatsPayload> {
    const selection = withSeatSelection(withDatabaseIds(given, { showId: "Show" }));
    const { input } = selection;
    const problems = selection.problem
      ? [{ code: "INVALID_INPUT" as const, message: selection.problem, field: ["input", "seats"] }]
      : await inputProblems(input);
    const asSent = <E extends { field?: readonly string[] | null }>(error: E): E => ({
      ...error,
      field: fieldAsSent(given, error.field),
    });
    if (problems.length > 0)
      return { booking: null, adjacent: null, userErrors: problems.map(toUserError).map(asSent) };
    const payload = toPayload(await this.bookings.hold(viewerOf(ctx).id, input, knownAddress(ctx.clientAddress)));
    const held = payload.booking?.status === "PENDING" ? payload.booking.seatNumbers : null;
    return {
      ...payload,
      userErrors: payload.userErrors.map(asSent),
      adjacent: held ? await this.allocator.areAdjacent(input.showId, held) : null,
    };
  }

  @Authorized()
  @Mutation(() => BookingPayload, { description: "Confirms your PENDING booking: its seats become BOOKED." })
  async confirmBooking(
    @Arg("input", () => ConfirmBookingInput, { nullable: true, description: "Which booking." })
    input: ConfirmBookingInput | null,
    @Arg("id", () => ID, { nullable: true, deprecationReason: OLD_BOOKING_ID, description: "Booking id." })
    id: string | null,
    @Ctx() ctx: Context,
  ): Promise<BookingPayload> {
    const { bookingId, field } = namedBooking(input, id);
    return toPayload(await withPublicErrors(this.bookings.confirm(viewerOf(ctx), bookingId)), field);
  }

  @Authorized()
  @Mutation(() => BookingPayload, { description: "Cancels your PENDING booking: its seats become AVAILABLE." })
  async cancelBooking(
    @Arg("input", () => CancelBookingInput, { nullable: true, description: "Which booking." })
    input: CancelBookingInput | null,
    @Arg("id", () => ID, { nullable: true, deprecationReason: OLD_BOOKING_ID, description: "Booking id." })
    id: string | null,
    @Ctx() ctx: Context,
  ): Promise<BookingPayload> {
    const { bookingId, field } = namedBooking(input, id);
    return toPayload(await withPublicErrors(this.bookings.cancel(viewerOf(ctx), bookingId)), field);
  }

  @Authorized()
  @Mutation(() => BookingPayload, {
    description: "Pushes your PENDING booking's expiry back by HOLD_TTL_SECONDS, at most HOLD_MAX_EXTENSIONS times.",
  })
  async extendHold(
    @Arg("input", () => ExtendHoldInput, { nullable: true, description: "Which booking." })
    input: ExtendHoldInput | null,
    @Arg("id", () => ID, { nullable: true, deprecationReason: OLD_BOOKING_ID, description: "Booking id." })
    id: string | null,
    @Ctx() ctx: Context,
  ): Promise<BookingPayload> {
    const { bookingId, field } = namedBooking(input, id);
    return toPayload(await withPublicErrors(this.bookings.extend(viewerOf(ctx), bookingId)), field);
  }

  @FieldResolver(() => Show, { description: "The show the seats belong to." })
  async show(@Root() booking: BookingRecord, @Ctx() ctx: Context): Promise<ShowRecord> {
    const show = await ctx.loaders.show.load(booking.showId);
    if (!show) throw new Error(`booking ${booking.id} references missing show ${booking.showId}`);
    return show;
  }

  @FieldResolver(() => [Seat], { description: "The booking's seats as they are now, in `seatNumbers` order." })
  seats(@Root() booking: BookingRecord, @Ctx() ctx: Context): Promise<SeatRecord[]> {
    return ctx.loaders.seatsOfBooking.load(booking);
  }
}
