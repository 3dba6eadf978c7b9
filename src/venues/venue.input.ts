import { MaxLength, MinLength } from "class-validator";
import { Field, Float, ID, InputType, Int, registerEnumType } from "type-graphql";
import { NoControlCharacters } from "../graphql/validation.js";
import { ACCESSIBILITY, type Accessibility } from "./layout/index.js";

/** The GraphQL enum of the layout's accessibility kinds (values as the layout module spells them). */
export const AccessibilityKind = Object.fromEntries(ACCESSIBILITY.map((kind) => [kind, kind])) as {
  [K in Accessibility]: K;
};
registerEnumType(AccessibilityKind, {
  name: "Accessibility",
  description: "What a seat offers beyond a standard seat.",
  valuesConfig: {
    WHEELCHAIR: { description: "A wheelchair space." },
    COMPANION: {
      description: "A companion seat next to a wheelchair space: held only with an accessible seat in the same hold.",
    },
  },
});

@InputType({ description: "A seat category (price zone) of a layout; each show prices it." })
export class CategoryInput {
  @Field(() => String, { description: 'Key, e.g. "PREMIUM": A–Z, 0–9 and _, starting with a letter, at most 32.' })
  key!: string;

  @Field(() => String, { description: "Display name, 1–60 characters." })
  label!: string;

  @Field(() => String, { description: 'Colour for drawing, "#RRGGBB".' })
  color!: string;
}

@InputType({ description: "One seat given on its own: its number and what differs from its row." })
export class SeatInput {
  @Field(() => Int, { description: "Seat number in the row, 1–9999. Numbers missing from a row are gaps." })
  number!: number;

  @Field(() => String, { nullable: true, description: "Category key; the row's or section's when absent." })
  category?: string | null;

  @Field(() => [AccessibilityKind], { nullable: true, description: "Accessibility of this seat." })
  accessibility?: Accessibility[] | null;

  @Field(() => Float, { nullable: true, description: "Horizontal position for drawing (seat widths)." })
  x?: number | null;

  @Field(() => Float, { nullable: true, description: "Vertical position for drawing (rows)." })
  y?: number | null;
}

@InputType({ description: "A row: either `count` seats numbered from `firstNumber`, or the `seats` listed." })
export class RowInput {
  @Field(() => String, { description: 'Row label, e.g. "A": upper-case letters and digits, at most 4.' })
  label!: string;

  @Field(() => Int, { nullable: true, description: "Number of seats (with `firstNumber`); or give `seats`." })
  count?: number | null;

  @Field(() => Int, { nullable: true, description: "Number of the first seat with `count` (default 1)." })
  firstNumber?: number | null;

  @Field(() => [SeatInput], { nullable: true, description: "The row's seats; a missing number is a gap." })
  seats?: SeatInput[] | null;

  @Field(() => Float, {
    nullable: true,
    description: "Where the first seat sits, in seat widths from the section's left edge (default 0).",
  })
  offset?: number | null;

  @Field(() => [Int], { nullable: true, description: "Seat numbers followed by an aisle (a gap of one seat)." })
  aisleAfter?: number[] | null;

  @Field(() => String, { nullable: true, description: "Category of the row's seats; the section's when absent." })
  category?: string | null;

  @Field(() => [SeatInput], {
    nullable: true,
    description: "With `count`: seats that differ from the row (category, accessibility, position).",
  })
  overrides?: SeatInput[] | null;
}

@InputType({ description: "A section of a venue (Stalls, Circle, Box A), rows from its front." })
export class SectionInput {
  @Field(() => String, { description: 'Key, e.g. "STALLS": A–Z, 0–9 and _, starting with a letter.' })
  key!: string;

  @Field(() => String, { description: "Display name, 1–60 characters." })
  label!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Put before every seat number of the section, e.g. "C-" makes "C-A1": sections whose row labels repeat need ' +
      "distinct prefixes, since seat numbers are unique in a venue. Empty by default.",
  })
  seatPrefix?: string | null;

  @Field(() => String, { nullable: true, description: "Category of the section's seats unless a row or seat says." })
  category?: string | null;

  @Field(() => Float, { nullable: true, description: "Left edge for drawing (seat widths, default 0)." })
  x?: number | null;

  @Field(() => Float, { nullable: true, description: "Front edge for drawing (rows, default 0)." })
  y?: number | null;

  @Field(() => [RowInput], { description: "Rows from the front." })
  rows!: RowInput[];
}

@InputType({ description: "A venue layout: its seat categories and sections." })
export class VenueLayoutInput {
  @Field(() => [CategoryInput], { description: "Seat categories (price zones); every one must be used." })
  categories!: CategoryInput[];

  @Field(() => [SectionInput], { description: "Sections, the best first (best available looks in this order)." })
  sections!: SectionInput[];
}

@InputType({ description: "A new venue." })
export class CreateVenueInput {
  @Field(() => String, { description: "Display name, 1–200 characters." })
  @MinLength(1, { message: "name must not be empty" })
  @MaxLength(200, { message: "name must be at most 200 characters" })
  @NoControlCharacters("name")
  name!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Vienna": show times are local to it.' })
  @MaxLength(64, { message: "timeZone must be at most 64 characters" })
  timeZone!: string;

  @Field(() => VenueLayoutInput, { description: "The hall: version 1 of the venue's layout." })
  layout!: VenueLayoutInput;
}

@InputType({ description: "A new layout for a venue." })
export class ChangeVenueLayoutInput {
  @Field(() => ID, { description: "The venue." })
  @MaxLength(100, { message: "venueId is not a venue id" })
  venueId!: string;

  @Field(() => VenueLayoutInput, {
    description: "Replaces the latest version while no show uses it; otherwise becomes the next version.",
  })
  layout!: VenueLayoutInput;
}
