import { ArrayMaxSize, ArrayMinSize, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { NoControlCharacters } from "../../graphql/validation.js";
import { MAX_BLOCK_REASON, MAX_SEATS_PER_BLOCK } from "./seat-blocking.service.js";

// Ceilings checked at the edge; the service checks the reason after trimming, and repeated seats.
@InputType({ description: "Blocked seats to put back on sale." })
export class UnblockSeatsInput {
  @Field(() => ID, { description: "The show." })
  @MaxLength(100, { message: "showId is not a show id" })
  showId!: string;

  @Field(() => [String], {
    description: `Seats of the show, e.g. ["A1", "A2"]: 1 to ${MAX_SEATS_PER_BLOCK}, no duplicates.`,
  })
  @ArrayMinSize(1, { message: "seatNumbers must not be empty" })
  @ArrayMaxSize(MAX_SEATS_PER_BLOCK, { message: `seatNumbers may list at most ${MAX_SEATS_PER_BLOCK} seats` })
  @MaxLength(24, { each: true, message: "each seat number is at most 24 characters, e.g. C12 or C-B3" })
  seatNumbers!: string[];
}

@InputType({ description: "Seats to take off sale, and why." })
export class BlockSeatsInput extends UnblockSeatsInput {
  @Field(() => String, {
    description: `Why they are off sale (house seats, camera position…): 1 to ${MAX_BLOCK_REASON} characters, trimmed.`,
  })
  // Generous here (surrounding spaces are trimmed before the real limit applies); bounded so nothing huge is trimmed.
  @MaxLength(4 * MAX_BLOCK_REASON, { message: `reason must be at most ${MAX_BLOCK_REASON} characters` })
  @NoControlCharacters("reason")
  reason!: string;
}
