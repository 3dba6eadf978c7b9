import { Field, Float, Int, ObjectType } from "type-graphql";
import { Money } from "../graphql/money.type.js";
import { SeatCategory } from "./venue.type.js";

@ObjectType({ description: "A seat's category in its show, with its price." })
export class SeatCategoryPrice extends SeatCategory {
  @Field(() => Money, { nullable: true, description: "Price of one seat; null for a show without prices." })
  price!: Money | null;
}

@ObjectType({ description: "A seat category of a show: its price there, and how many of its seats are where." })
export class ShowCategory extends SeatCategoryPrice {
  @Field(() => Int, { description: "Seats of this category." })
  totalSeats!: number;

  @Field(() => Int, { description: "Of them, free to hold now." })
  availableSeats!: number;
}

@ObjectType({ description: "A section of a show's venue, with how many of its seats are free." })
export class ShowSection {
  @Field(() => String, { description: 'Key, e.g. "STALLS".' })
  key!: string;

  @Field(() => String, { description: "Display name." })
  label!: string;

  @Field(() => Int, { description: "Seats in the section." })
  totalSeats!: number;

  @Field(() => Int, { description: "Of them, free to hold now." })
  availableSeats!: number;
}

@ObjectType({ description: "Where a seat is drawn: in seat widths from the left and rows from the front." })
export class SeatPosition {
  @Field(() => Float, { description: "Horizontal, seat widths from the venue's left." })
  x!: number;

  @Field(() => Float, { description: "Vertical, rows from the front." })
  y!: number;
}

@ObjectType({ description: "One seat of a booking and what it costs." })
export class BookingLineItem {
  @Field(() => String, { description: 'The seat, e.g. "C12".' })
  seatNumber!: string;

  @Field(() => String, { description: "Its category key." })
  category!: string;

  @Field(() => Money, { nullable: true, description: "Its price; null for a show without prices." })
  price!: Money | null;
}
