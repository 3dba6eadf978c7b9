import { IsOptional, MaxLength } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";
import { ConnectionArgs } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { BookingStatus } from "./booking.type.js";

@ArgsType()
export class ShowBookingsArgs extends ConnectionArgs {
  @Field(() => [BookingStatus], { nullable: true, description: "Only bookings with these statuses (default: any)." })
  @IsOptional()
  status?: BookingStatus[] | null;

  @Field(() => String, { nullable: true, description: "Only this user's bookings (a token `sub`)." })
  @IsOptional()
  @MaxLength(200)
  userId?: string | null;
}

@ArgsType()
export class BookingSearchArgs extends ShowBookingsArgs {
  @Field(() => ID, { nullable: true, description: "Only bookings of this show." })
  @IsOptional()
  @MaxLength(100)
  showId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only bookings that list this seat, e.g. "C12".' })
  @IsOptional()
  @MaxLength(24)
  seatNumber?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only bookings created at or after this time." })
  @IsOptional()
  createdFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only bookings created before this time." })
  @IsOptional()
  createdTo?: Date | null;
}
