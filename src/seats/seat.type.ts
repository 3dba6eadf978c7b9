import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { type SeatChange as SeatChangeRecord, SeatStatus } from "../domain/seat-change.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { Node } from "../graphql/node.type.js";

export { SeatStatus };

registerEnumType(SeatStatus, {
  name: "SeatStatus",
  description: "Where a seat stands right now.",
  valuesConfig: {
    AVAILABLE: { description: "Free to hold." },
    HELD: { description: "Held by a pending booking until `holdExpiresAt`." },
    BOOKED: { description: "Sold: part of a confirmed booking." },
    BLOCKED: { description: "Off sale: taken off sale by the box office, or its show was cancelled." },
  },
});

@ObjectType({ description: "One seat of a show's seat map.", implements: Node })
export class Seat implements Node {
  /** The database id: the API shows it as a global id (see nodeIdResolver). */
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

  @Field(() => String, {
    description:
      "Version of the seat's last change (a number, as a string). Apply a live change only if its version is higher.",
  })
  version!: string;
}

@ObjectType({ description: "A seat's state after a change." })
export class SeatChange implements SeatChangeRecord {
  @Field(() => ID, { description: "The seat's id, as `Seat.id`: a client cache can apply the change to that seat." })
  id!: string;

  @Field(() => String, { description: 'The seat, e.g. "C12".' })
  seatNumber!: string;

  @Field(() => SeatStatus, { description: "Its status after the change." })
  status!: SeatStatus;

  @Field(() => String, { description: "The change's version: a monotonically increasing number, as a string." })
  version!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the hold lapses; null unless HELD." })
  holdExpiresAt!: string | null;
}

@ObjectType({
  description: "What one committed change (a hold, confirmation, cancellation or expiry) did to a show's seat map.",
})
export class SeatMapChange {
  @Field(() => ID, { description: "The show." })
  showId!: string;

  @Field(() => String, { description: "The highest version among `seats` (a number, as a string)." })
  version!: string;

  @Field(() => [SeatChange], { description: "Every seat the change touched, with its new status." })
  seats!: SeatChange[];

  @Field(() => Int, { description: "Seats available after the change." })
  availableSeats!: number;

  @Field(() => Int, { description: "Seats held after the change." })
  heldSeats!: number;

  @Field(() => Int, { description: "Seats booked after the change." })
  bookedSeats!: number;

  @Field(() => Int, { description: "Seats off sale (BLOCKED) after the change." })
  blockedSeats!: number;
}
