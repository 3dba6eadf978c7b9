import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength, MinLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

// Hard ceilings that reject absurd input at the edge; MAX_SEATS_PER_HOLD is checked by the statement.
const SEAT_LIST_CEILING = 100;
/** A list of seat numbers of sane size and length (whether they exist is the statement's business). */
const SeatList =
  (field: string): PropertyDecorator =>
  (target, property) => {
    ArrayMaxSize(SEAT_LIST_CEILING, { message: `${field} may list at most ${SEAT_LIST_CEILING} seats` })(
      target,
      property,
    );
    MaxLength(24, { each: true, message: "each seat number is at most 24 characters, e.g. C12 or C-B3" })(
      target,
      property,
    );
  };

@InputType({ description: "Seats of a confirmed booking to refund." })
export class RefundBookingInput {
  @Field(() => ID, { description: "The booking (CONFIRMED)." })
  @MaxLength(100, { message: "bookingId is not a booking id" })
  bookingId!: string;

  @Field(() => [String], {
    nullable: true,
    description: "The seats to refund, all of them the booking's; leave out to refund every seat of the booking.",
  })
  @IsOptional()
  @ArrayMinSize(1, { message: "seatNumbers must not be empty (leave it out to refund every seat)" })
  @SeatList("seatNumbers")
  seatNumbers?: string[] | null;

  @Field(() => String, { nullable: true, description: "Why (kept with the refund; at most 500 characters)." })
  @IsOptional()
  @MaxLength(500, { message: "reason must be at most 500 characters" })
  reason?: string | null;
}

@InputType({ description: "Seats a booking gives back and the seats it takes instead, in one step." })
export class ChangeSeatsInput {
  @Field(() => ID, { description: "The booking: CONFIRMED, or PENDING while its hold stands." })
  @MaxLength(100, { message: "bookingId is not a booking id" })
  bookingId!: string;

  @Field(() => [String], { description: "Seats of the booking to give back (at least one)." })
  @ArrayMinSize(1, { message: "release must list at least one seat" })
  @SeatList("release")
  release!: string[];

  @Field(() => [String], { description: "Seats to take instead (at least one; free, or held by a lapsed hold)." })
  @ArrayMinSize(1, { message: "take must list at least one seat" })
  @SeatList("take")
  take!: string[];

  @Field(() => String, {
    description:
      "Any unique string per change (e.g. a UUID). Repeating a change with its key returns the booking as it is and " +
      "changes nothing; the key with a different change is IDEMPOTENCY_KEY_REUSED.",
  })
  @MinLength(1, { message: "idempotencyKey must not be empty" })
  @MaxLength(200, { message: "idempotencyKey must be at most 200 characters" })
  @Matches(/^[\x21-\x7e]+$/, { message: "idempotencyKey must be printable ASCII without spaces" })
  idempotencyKey!: string;
}
