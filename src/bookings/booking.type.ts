import { Field, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../graphql/pagination.js";
import { BookingStatus, FailureReason } from "../generated/prisma/enums.js";
import { Money } from "../graphql/money.type.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { Node } from "../graphql/node.type.js";

export { BookingStatus, FailureReason };

registerEnumType(BookingStatus, {
  name: "BookingStatus",
  description: "Lifecycle of a booking: PENDING (seats held) → CONFIRMED (→ REFUNDED), or → FAILED.",
  valuesConfig: {
    PENDING: { description: "Seats are held until `expiresAt`; confirm or cancel before then." },
    CONFIRMED: { description: "Seats are booked; a refund gives some back (REFUNDED once every seat is)." },
    FAILED: { description: "No seats are held; `failureReason` says why. Final." },
    REFUNDED: { description: "Every seat of the confirmed booking was refunded (see `refunds`). Final." },
  },
});

registerEnumType(FailureReason, {
  name: "FailureReason",
  description: "Why a booking failed.",
  valuesConfig: {
    SEATS_UNAVAILABLE: { description: "Some requested seats were taken, so nothing was held." },
    EXPIRED: { description: "The hold lapsed before it was confirmed; its seats were released." },
    CANCELLED: { description: "The owner cancelled the hold; its seats were released." },
    CANCELLED_BY_ORGANIZER: {
      description: "The organiser cancelled the show: the hold or purchase ended and its seats went off sale.",
    },
  },
});

@ObjectType({ description: "A user's hold on seats of one show, and what became of it.", implements: Node })
export class Booking implements Node {
  /** The database id: the API shows it as a global id (see nodeIdResolver). */
  id!: string;

  showId!: string;

  @Field(() => String, { description: "The owner: the `sub` of the token that made the hold." })
  userId!: string;

  @Field(() => BookingStatus, { description: "Current status." })
  status!: BookingStatus;

  @Field(() => FailureReason, { nullable: true, description: "Why the booking failed; null unless FAILED." })
  failureReason!: FailureReason | null;

  @Field(() => [String], { description: "The seats this booking is (or was) for." })
  seatNumbers!: string[];

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the hold lapses (PENDING) or lapsed (FAILED with EXPIRED); null once CONFIRMED or CANCELLED.",
  })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { description: "When the hold was requested." })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it was confirmed; null unless it was." })
  confirmedAt!: Date | null;
}

@ObjectType({ description: "Seats of a confirmed booking given back, and the money for them." })
export class BookingRefund {
  @Field(() => [String], { description: "The seats refunded." })
  seatNumbers!: string[];

  @Field(() => Money, { nullable: true, description: "Their prices' sum; null for a show without prices." })
  amount!: Money | null;

  @Field(() => DateTimeScalar, { description: "When." })
  refundedAt!: Date;

  @Field(() => String, { description: "Who asked for it: the `sub` of the admin or owner." })
  refundedBy!: string;

  @Field(() => String, { nullable: true, description: "Why, as given." })
  reason!: string | null;
}

@ObjectType({ description: "A page of bookings, newest first." })
export class BookingConnection extends ConnectionType("Booking", Booking) {}
