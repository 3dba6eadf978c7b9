import { Field, ID, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { SeatStatus } from "../seats/index.js";

@ObjectType({ description: "One change of a seat: its state after the change." })
export class SeatHistoryEntry {
  @Field(() => String, {
    description: "The seat's version after the change (as `Seat.version`): a number, as a string.",
  })
  version!: string;

  @Field(() => SeatStatus, { description: "Its status after the change." })
  status!: SeatStatus;

  @Field(() => ID, {
    nullable: true,
    description: "The booking that held or booked the seat, or that released it; null when no booking was involved.",
  })
  bookingId!: string | null;

  @Field(() => String, { nullable: true, description: "That booking's user, while the booking still exists." })
  userId!: string | null;

  @Field(() => String, { nullable: true, description: "Why the seat is off sale; null unless BLOCKED." })
  blockReason!: string | null;

  @Field(() => DateTimeScalar, { description: "When the change was made (the start of the transaction that made it)." })
  changedAt!: Date;
}

@ObjectType({ description: "A seat's changes, oldest first (kept SEAT_HISTORY_RETENTION_DAYS)." })
export class SeatHistoryConnection extends ConnectionType("SeatHistoryEntry", SeatHistoryEntry) {}
