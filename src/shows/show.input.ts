import { IsDate, IsOptional, Max, MaxLength, Min, MinLength } from "class-validator";
import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { ConnectionArgs } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { NoControlCharacters } from "../graphql/validation.js";

const MAX_ROWS = 702; // A…ZZ
const MAX_SEATS_PER_ROW = 1000;

@InputType({ description: "The price of one seat category for a show." })
export class PriceInput {
  @Field(() => String, { description: "Category key of the venue's layout." })
  category!: string;

  @Field(() => Int, { description: "Price in minor units of the currency (cents): 4500 is 45.00 EUR. No floats." })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 currency, e.g. "EUR": the same for every price of a show.' })
  currency!: string;
}

@InputType({
  description:
    "A new show: on a venue (`venueId`, prices per category) or, as a shortcut, on a rectangular hall of `rows` × " +
    "`seatsPerRow` (a one-section venue is made for it). Its start is `startsAt` (an instant) or `startsAtLocal` " +
    "(wall-clock time in the venue's time zone).",
})
export class CreateShowInput {
  @Field(() => String, { description: "Display name, 1–200 characters." })
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(200, { message: "name must be at most 200 characters" })
  @NoControlCharacters("name")
  name!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Start time with an offset (RFC 3339, e.g. 2026-12-01T19:30:00Z); or give startsAtLocal.",
  })
  @IsOptional()
  @IsDate()
  startsAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Start as wall-clock time in the venue\'s zone, e.g. "2027-03-01T19:30"; or give startsAt.',
  })
  @IsOptional()
  @MaxLength(32, { message: "startsAtLocal is a local date and time, e.g. 2027-03-01T19:30" })
  startsAtLocal?: string | null;

  @Field(() => ID, { nullable: true, description: "The venue; or give rows and seatsPerRow." })
  @IsOptional()
  @MaxLength(100, { message: "venueId is not a venue id" })
  venueId?: string | null;

  @Field(() => Int, { nullable: true, description: "Layout version of the venue (default: its latest)." })
  @IsOptional()
  @Min(1, { message: "layoutVersion must be at least 1" })
  layoutVersion?: number | null;

  @Field(() => [PriceInput], {
    nullable: true,
    description:
      "A price for every category of the layout (required with a venue; optional for the rectangular shortcut, " +
      "whose one category is STANDARD).",
  })
  @IsOptional()
  prices?: PriceInput[] | null;

  @Field(() => Int, { nullable: true, description: `Shortcut: number of rows, 1–${MAX_ROWS} (labelled A…ZZ).` })
  @IsOptional()
  @Min(1, { message: "rows must be at least 1" })
  @Max(MAX_ROWS, { message: `rows must be at most ${MAX_ROWS}` })
  rows?: number | null;

  @Field(() => Int, { nullable: true, description: `Shortcut: seats per row, 1–${MAX_SEATS_PER_ROW}.` })
  @IsOptional()
  @Min(1, { message: "seatsPerRow must be at least 1" })
  @Max(MAX_SEATS_PER_ROW, { message: `seatsPerRow must be at most ${MAX_SEATS_PER_ROW}` })
  seatsPerRow?: number | null;

  @Field(() => String, { nullable: true, description: 'Shortcut: the hall\'s IANA time zone (default "UTC").' })
  @IsOptional()
  @MaxLength(64, { message: "timeZone must be at most 64 characters" })
  timeZone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Refuse explicit holds that would strand a single free seat between taken ones (ORPHAN_SEAT). Default: true " +
      "on a venue; false for the rows × seatsPerRow shortcut, which keeps the behaviour it always had.",
  })
  noOrphanSeats?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: "Seats one customer may own on the show at once (held + booked), ≥ 1; omitted or null: no cap.",
  })
  @IsOptional()
  @Min(1, { message: "maxSeatsPerUser must be at least 1" })
  maxSeatsPerUser?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether customers may refund their own confirmed bookings before the start (default false).",
  })
  ownerRefunds?: boolean | null;
}

@InputType({
  description:
    "Changes to a show: only the fields given change (`maxSeatsPerUser: null` clears the cap). Prices and " +
    "layoutVersion can change only while nothing is sold.",
})
export class UpdateShowInput {
  @Field(() => ID, { description: "The show." })
  @MaxLength(100, { message: "id is not a show id" })
  id!: string;

  @Field(() => String, { nullable: true, description: "New display name, 1–200 characters." })
  @IsOptional()
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(200, { message: "name must be at most 200 characters" })
  @NoControlCharacters("name")
  name?: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "New start (an instant in the future); or startsAtLocal.",
  })
  @IsOptional()
  @IsDate()
  startsAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'New start as wall-clock time in the venue\'s zone, e.g. "2027-03-01T19:30"; or startsAt.',
  })
  @IsOptional()
  @MaxLength(32, { message: "startsAtLocal is a local date and time, e.g. 2027-03-01T19:30" })
  startsAtLocal?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Move the show to this layout version of its venue (its seats are made anew): only while no seat is held, " +
      "booked or blocked.",
  })
  @IsOptional()
  @Min(1, { message: "layoutVersion must be at least 1" })
  layoutVersion?: number | null;

  @Field(() => [PriceInput], {
    nullable: true,
    description: "The full new price list, one per category (as in createShow): only while no seat is held or booked.",
  })
  @IsOptional()
  prices?: PriceInput[] | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Seats one customer may own on the show (held + booked), ≥ 1; null clears the cap. May change at any time: " +
      "a customer already over a new cap keeps their seats but cannot take more.",
  })
  @IsOptional()
  @Min(1, { message: "maxSeatsPerUser must be at least 1" })
  maxSeatsPerUser?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Whether customers may refund their own confirmed bookings." })
  ownerRefunds?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Refuse explicit holds that strand a single seat." })
  noOrphanSeats?: boolean | null;
}

@InputType({ description: "The show to cancel and why." })
export class CancelShowInput {
  @Field(() => ID, { description: "The show." })
  @MaxLength(100, { message: "id is not a show id" })
  id!: string;

  @Field(() => String, {
    description: "Why (1–500 characters once trimmed): customers see it, and every seat's block reason names it.",
  })
  @MaxLength(500, { message: "reason must be at most 500 characters" })
  @NoControlCharacters("reason")
  reason!: string;
}

@ArgsType()
export class ShowsArgs extends ConnectionArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: "Only shows starting at or after this instant." })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only shows starting before this instant." })
  to?: Date | null;

  @Field(() => ID, { nullable: true, description: "Only shows at this venue." })
  @IsOptional()
  @MaxLength(100)
  venueId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only shows whose name or venue's name contains every word of this text (case-insensitive).",
  })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}
