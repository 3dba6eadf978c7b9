import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, Max, MaxLength, Min, MinLength } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";

// Hard ceilings that reject absurd input at the edge; the configurable MAX_SEATS_PER_HOLD is checked by the service.
const SEAT_LIST_CEILING = 100;

@InputType({
  description:
    "Seats to hold: either `seatNumbers` (these exact seats) or `quantity` (best available: adjacent seats in one " +
    "row nearest the front-centre when possible).",
})
export class HoldSeatsInput {
  @Field(() => ID, { description: "The show." })
  @MaxLength(100, { message: "showId is not a show id" })
  showId!: string;

  @Field(() => [String], { nullable: true, description: 'Exact seats, e.g. ["C11", "C12"]. No duplicates.' })
  @IsOptional()
  @ArrayMinSize(1, { message: "seatNumbers must not be empty" })
  @ArrayMaxSize(SEAT_LIST_CEILING, { message: `seatNumbers may list at most ${SEAT_LIST_CEILING} seats` })
  @MaxLength(12, { each: true, message: "each seat number is a row label and a seat, e.g. C12" })
  seatNumbers?: string[] | null;

  @Field(() => Int, { nullable: true, description: "Number of seats, chosen by the API (best available)." })
  @IsOptional()
  @Min(1, { message: "quantity must be at least 1" })
  @Max(SEAT_LIST_CEILING, { message: `quantity must be at most ${SEAT_LIST_CEILING}` })
  quantity?: number | null;

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
