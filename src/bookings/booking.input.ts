import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, Max, MaxLength, Min, MinLength } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";

// Hard ceilings that reject absurd input at the edge; the configurable MAX_SEATS_PER_HOLD is checked by the service.
const SEAT_LIST_CEILING = 100;

/** Why the top-level seatNumbers and quantity of HoldSeatsInput are going. */
const FLAT_SELECTION = "Use seats: { seatNumbers } or seats: { quantity }; removed in 0.3.0";

@InputType({
  description:
    "Which seats to hold: exactly one of `seatNumbers` (these exact seats) or `quantity` (best available: adjacent " +
    "seats in one row nearest the front-centre when possible).",
})
export class SeatSelection {
  @Field(() => [String], { nullable: true, description: 'Exact seats, e.g. ["C11", "C12"]. No duplicates.' })
  seatNumbers?: string[] | null;

  @Field(() => Int, { nullable: true, description: "Number of seats, chosen by the API (best available)." })
  quantity?: number | null;
}

/** Input types whose fields are exclusive, marked `@oneOf` when the schema is built (see buildSchema). */
export const ONE_OF_INPUT_TYPES = ["SeatSelection"] as const;

@InputType({
  description:
    "Seats to hold: `seats` says which (exact seats or a quantity); the other fields narrow best available and " +
    "make the request idempotent.",
})
export class HoldSeatsInput {
  @Field(() => ID, { description: "The show." })
  @MaxLength(100, { message: "showId is not a show id" })
  showId!: string;

  @Field(() => SeatSelection, {
    nullable: true,
    description:
      "Which seats: exactly one of seatNumbers and quantity (required unless the deprecated fields are used).",
  })
  @IsOptional()
  seats?: SeatSelection | null;

  @Field(() => [String], {
    nullable: true,
    deprecationReason: FLAT_SELECTION,
    description: 'Exact seats, e.g. ["C11", "C12"]. No duplicates.',
  })
  @IsOptional()
  @ArrayMinSize(1, { message: "seatNumbers must not be empty" })
  @ArrayMaxSize(SEAT_LIST_CEILING, { message: `seatNumbers may list at most ${SEAT_LIST_CEILING} seats` })
  @MaxLength(24, { each: true, message: "each seat number is at most 24 characters, e.g. C12 or C-B3" })
  seatNumbers?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    deprecationReason: FLAT_SELECTION,
    description: "Number of seats, chosen by the API (best available).",
  })
  @IsOptional()
  @Min(1, { message: "quantity must be at least 1" })
  @Max(SEAT_LIST_CEILING, { message: `quantity must be at most ${SEAT_LIST_CEILING}` })
  quantity?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: "With quantity: only seats of these categories (keys of `Show.categories`).",
  })
  @IsOptional()
  @ArrayMaxSize(20, { message: "categories may list at most 20 keys" })
  @MaxLength(32, { each: true, message: "each category is a key of at most 32 characters" })
  categories?: string[] | null;

  @Field(() => String, { nullable: true, description: "With quantity: only seats of this section (a key)." })
  @IsOptional()
  @MaxLength(32, { message: "section is a key of at most 32 characters" })
  section?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "With quantity: seats for a wheelchair user's party (a wheelchair space, and companion seats beside it). " +
      "Without it, best available never picks wheelchair spaces or companion seats.",
  })
  @IsOptional()
  accessible?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Any unique string per attempt (e.g. a UUID). Retrying with the same key returns the original booking and changes nothing.",
  })
  @IsOptional()
  @MinLength(1, { message: "idempotencyKey must not be empty" })
  @MaxLength(200, { message: "idempotencyKey must be at most 200 characters" })
  @Matches(/^[\x21-\x7e]+$/, { message: "idempotencyKey must be printable ASCII without spaces" })
  idempotencyKey?: string | null;
}

/**
 * The hold request with `seats` moved to the top-level fields the service reads (and the rules check), of the same
 * class. `seats` with the deprecated fields as well is a problem of the input (null: none).
 */
export function withSeatSelection(input: HoldSeatsInput): { input: HoldSeatsInput; problem: string | null } {
  const { seats } = input;
  if (!seats) return { input, problem: null };
  if (input.seatNumbers != null || input.quantity != null) {
    return { input, problem: "Give seats, or the deprecated seatNumbers or quantity, not both." };
  }
  const flat = Object.assign(Object.create(HoldSeatsInput.prototype) as HoldSeatsInput, input, {
    seats: null,
    seatNumbers: seats.seatNumbers ?? null,
    quantity: seats.quantity ?? null,
  });
  return { input: flat, problem: null };
}

/**
 * A userError's field as the client sent it: the rules name the flat `["input", "seatNumbers" | "quantity"]`, which a
 * request that used `seats` must see as `["input", "seats", …]`.
 */
export function fieldAsSent(given: HoldSeatsInput, field: readonly string[] | null | undefined) {
  if (!given.seats || !field || field.length < 2 || field[0] !== "input") return field;
  return field[1] === "seatNumbers" || field[1] === "quantity" ? ["input", "seats", ...field.slice(1)] : field;
}

@InputType({ description: "The booking to confirm." })
export class ConfirmBookingInput {
  @Field(() => ID, { description: "The booking: yours, PENDING." })
  @MaxLength(100, { message: "bookingId is not a booking id" })
  bookingId!: string;
}

@InputType({ description: "The booking to cancel." })
export class CancelBookingInput {
  @Field(() => ID, { description: "The booking: yours, PENDING." })
  @MaxLength(100, { message: "bookingId is not a booking id" })
  bookingId!: string;
}

@InputType({ description: "The booking whose hold to extend." })
export class ExtendHoldInput {
  @Field(() => ID, { description: "The booking: yours, PENDING." })
  @MaxLength(100, { message: "bookingId is not a booking id" })
  bookingId!: string;
}
