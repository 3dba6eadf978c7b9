import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "../shared/scalars.js";

export enum SeatStatus {
  AVAILABLE = "available",
  HELD = "held",
  BOOKED = "booked",
}

registerEnumType(SeatStatus, {
  name: "SeatStatus",
  description: "Where a seat stands right now.",
  valuesConfig: {
    AVAILABLE: { description: "Free to hold." },
    HELD: { description: "Held by a pending booking until `holdExpiresAt`." },
    BOOKED: { description: "Sold: part of a confirmed booking." },
  },
});

@ObjectType({ description: "One seat of a show's seat map." })
export class Seat {
  @Field(() => ID, { description: "Stable id of this seat of this show." })
  id!: string;

  @Field(() => String, { description: 'Row label + seat number, e.g. "C12". Unique within a show.' })
  seatNumber!: string;

  @Field(() => String, { description: 'Row label: "A" is the front row, then B…Z, AA, AB…' })
  row!: string;

  @Field(() => Int, { description: "Seat number within the row, 1 = leftmost." })
  number!: number;

  @Field(() => SeatStatus, { description: "Current status." })
  status!: SeatStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the current hold lapses; null unless HELD." })
  holdExpiresAt!: Date | null;
}
