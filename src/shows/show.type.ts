import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { Node } from "../graphql/node.type.js";

/** Where a show stands, from its cancellation and its start (by this process's clock). */
export enum ShowStatus {
  ON_SALE = "ON_SALE",
  STARTED = "STARTED",
  CANCELLED = "CANCELLED",
}

registerEnumType(ShowStatus, {
  name: "ShowStatus",
  description: "Where a show stands.",
  valuesConfig: {
    ON_SALE: { description: "Not started and not cancelled: seats can be held and bookings confirmed." },
    STARTED: { description: "The show has started: nothing can be held, extended or confirmed any more." },
    CANCELLED: { description: "The organiser cancelled it (`cancelledAt`, `cancelReason`); every seat is blocked." },
  },
});

/** A show's status at `now`: cancelled first, then started (the database decides holds by its own clock). */
export function showStatusOf(show: { cancelledAt: Date | null; startsAt: Date }, now: Date): ShowStatus {
  if (show.cancelledAt) return ShowStatus.CANCELLED;
  return show.startsAt.getTime() <= now.getTime() ? ShowStatus.STARTED : ShowStatus.ON_SALE;
}

@ObjectType({
  description: "An event with a reserved-seat hall: rows A, B, C… from the front, seats 1…n from the left.",
  implements: Node,
})
export class Show implements Node {
  /** The database id: the API shows it as a global id (see nodeIdResolver). */
  id!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => DateTimeScalar, { description: "When the show starts; seats can be held until then." })
  startsAt!: Date;

  @Field(() => Int, { name: "rows", description: "Number of rows in the hall." })
  rowCount!: number;

  @Field(() => Int, { description: "Seats in every row." })
  seatsPerRow!: number;

  @Field(() => Int, { description: "rows × seatsPerRow." })
  totalSeats!: number;

  @Field(() => DateTimeScalar, { description: "When the show was created." })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the organiser cancelled the show; null if not." })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the show was cancelled; null if it was not." })
  cancelReason!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "Seats one customer may hold and own on the show at once (held + booked); null: no cap.",
  })
  maxSeatsPerUser!: number | null;

  @Field(() => Boolean, { description: "Whether customers may refund their own confirmed bookings before the start." })
  ownerRefunds!: boolean;
}

@ObjectType({ description: "A page of shows, soonest first." })
export class ShowConnection extends ConnectionType("Show", Show) {}
