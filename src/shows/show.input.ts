import { IsDate, Max, MaxLength, Min, MinLength } from "class-validator";
import { Field, InputType, Int } from "type-graphql";
import { DateTimeScalar } from "../graphql/scalars.js";
import { NoControlCharacters } from "../graphql/validation.js";

const MAX_ROWS = 702; // A…ZZ
const MAX_SEATS_PER_ROW = 1000;

@InputType({ description: "A new show and the shape of its hall." })
export class CreateShowInput {
  @Field(() => String, { description: "Display name, 1–200 characters." })
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(200, { message: "name must be at most 200 characters" })
  @NoControlCharacters("name")
  name!: string;

  @Field(() => DateTimeScalar, { description: "Start time (RFC 3339, e.g. 2026-12-01T19:30:00Z)." })
  @IsDate()
  startsAt!: Date;

  @Field(() => Int, { description: `Number of rows, 1–${MAX_ROWS} (labelled A…ZZ).` })
  @Min(1, { message: "rows must be at least 1" })
  @Max(MAX_ROWS, { message: `rows must be at most ${MAX_ROWS}` })
  rows!: number;

  @Field(() => Int, { description: `Seats per row, 1–${MAX_SEATS_PER_ROW}.` })
  @Min(1, { message: "seatsPerRow must be at least 1" })
  @Max(MAX_SEATS_PER_ROW, { message: `seatsPerRow must be at most ${MAX_SEATS_PER_ROW}` })
  seatsPerRow!: number;
}
