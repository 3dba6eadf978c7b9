import { Field, ObjectType } from "type-graphql";
import { UserError } from "../graphql/user-error.type.js";
import { Booking } from "./booking.type.js";

@ObjectType({ description: "Result of holdSeats." })
export class HoldSeatsPayload {
  @Field(() => Booking, {
    nullable: true,
    description:
      "The booking: PENDING on success; FAILED (SEATS_UNAVAILABLE) when seats were taken; null when the input was rejected.",
  })
  booking!: Booking | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the held seats are side by side in one row; null when nothing was held. "Best available" holds ' +
      "are adjacent whenever a row had enough adjacent free seats when the seats were claimed.",
  })
  adjacent!: boolean | null;

  @Field(() => [UserError], { description: "Why the seats were not held; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of confirmBooking, cancelBooking and extendHold." })
export class BookingPayload {
  @Field(() => Booking, { nullable: true, description: "The booking as it is after the request; null when not found." })
  booking!: Booking | null;

  @Field(() => [UserError], { description: "Why the request did nothing; empty on success." })
  userErrors!: UserError[];
}
