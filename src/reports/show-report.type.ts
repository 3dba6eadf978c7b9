import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../graphql/scalars.js";
import { Money } from "../graphql/money.type.js";
import { SeatStatus } from "../seats/index.js";

@ObjectType({ description: "Seats of one status." })
export class SeatStatusCount {
  @Field(() => SeatStatus)
  status!: SeatStatus;

  @Field(() => Int)
  seats!: number;
}

@ObjectType({ description: "Seats of one category or section by status, and what its booked seats sold for." })
export class SeatGroupReport {
  @Field(() => String, { description: "The category's or section's key." })
  key!: string;

  @Field(() => String, { description: "Its label in the show's layout." })
  label!: string;

  @Field(() => Int)
  available!: number;

  @Field(() => Int, { description: "Held by pending bookings (including holds lapsed but not yet released)." })
  held!: number;

  @Field(() => Int)
  booked!: number;

  @Field(() => Int)
  blocked!: number;

  @Field(() => Int, { description: "All its seats." })
  total!: number;

  @Field(() => Money, {
    nullable: true,
    description: "Sum of its BOOKED seats' prices; null for a show without prices.",
  })
  soldRevenue!: Money | null;
}

@ObjectType({ description: "Money taken and given back for a show." })
export class RevenueReport {
  @Field(() => Money, {
    nullable: true,
    description: "Sum of CONFIRMED bookings' totals; null for a show without prices.",
  })
  sold!: Money | null;

  @Field(() => Money, { nullable: true, description: "Sum of the show's refunds; null for a show without prices." })
  refunded!: Money | null;
}

@ObjectType({
  description:
    "Bookings of a show: by status (pending, confirmed, refunded, failed: each booking in exactly one), and by " +
    "failure reason (cancelled, expired, cancelledByOrganizer: whatever their status).",
})
export class BookingCountsReport {
  @Field(() => Int, { description: "PENDING (holds, including lapsed ones the expiry task has not released yet)." })
  pending!: number;

  @Field(() => Int, { description: "CONFIRMED." })
  confirmed!: number;

  @Field(() => Int, { description: "REFUNDED (every seat refunded)." })
  refunded!: number;

  @Field(() => Int, { description: "FAILED, whatever the reason (failed holds are deleted after their retention)." })
  failed!: number;

  @Field(() => Int, { description: "Holds cancelled by their owner (failure reason CANCELLED)." })
  cancelled!: number;

  @Field(() => Int, { description: "Holds the expiry task released (failure reason EXPIRED)." })
  expired!: number;

  @Field(() => Int, { description: "Bookings ended by the show's cancellation (CANCELLED_BY_ORGANIZER)." })
  cancelledByOrganizer!: number;
}

@ObjectType({ description: "Holds that lapsed: released as EXPIRED, or PENDING past their expiry (not released yet)." })
export class ExpiredHoldsReport {
  @Field(() => Int)
  bookings!: number;

  @Field(() => Int, { description: "The seats those holds listed." })
  seats!: number;
}

@ObjectType({ description: "Confirmations within one UTC hour." })
export class HourlyConfirmations {
  @Field(() => DateTimeScalar, { description: "Start of the hour (UTC)." })
  hour!: Date;

  @Field(() => Int, { description: "Bookings confirmed in that hour." })
  bookings!: number;

  @Field(() => Int, { description: "Their seats." })
  seats!: number;
}

@ObjectType({ description: "Seats off sale for one reason." })
export class BlockReasonCount {
  @Field(() => String)
  reason!: string;

  @Field(() => Int)
  seats!: number;
}

@ObjectType({ description: "The box office's report on one show, read from the primary in one snapshot." })
export class ShowReport {
  @Field(() => ID)
  showId!: string;

  @Field(() => [SeatStatusCount], { description: "Seats by status: all four statuses, in the order of SeatStatus." })
  byStatus!: SeatStatusCount[];

  @Field(() => [SeatGroupReport], { description: "By seat category, in the layout's order." })
  byCategory!: SeatGroupReport[];

  @Field(() => [SeatGroupReport], { description: "By section, in the layout's order." })
  bySection!: SeatGroupReport[];

  @Field(() => RevenueReport)
  revenue!: RevenueReport;

  @Field(() => BookingCountsReport)
  bookings!: BookingCountsReport;

  @Field(() => ExpiredHoldsReport)
  expiredHolds!: ExpiredHoldsReport;

  @Field(() => [HourlyConfirmations], {
    description:
      "Confirmations per UTC hour (hours with none are left out), oldest first: the latest 744 such hours at most.",
  })
  confirmationsPerHour!: HourlyConfirmations[];

  @Field(() => [BlockReasonCount], { description: "BLOCKED seats by reason, most seats first." })
  blockedByReason!: BlockReasonCount[];

  @Field(() => DateTimeScalar, { description: "The database time the report describes." })
  generatedAt!: Date;
}
