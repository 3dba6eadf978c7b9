import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { GraphQLJSONObject } from "graphql-scalars";
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { IsInt8Digits } from "../graphql/validation.js";
import { BOOKING_EVENT_TYPES, enumNameOf } from "./event-types.js";

/** The GraphQL enum of event types: BOOKING_HELD = "booking.held", … (the values are the types' own names). */
export const BookingEventType = Object.fromEntries(BOOKING_EVENT_TYPES.map((type) => [enumNameOf(type), type]));

registerEnumType(BookingEventType, {
  name: "BookingEventType",
  description:
    "What happened. Webhooks and the broker carry the value's dotted form (`booking.confirmed` for BOOKING_CONFIRMED), which is also the broker's routing key.",
});

@ObjectType({
  description:
    "A committed change of a booking, a show or seats' sale state, as webhooks, the message broker and `bookingEvents` all carry it. Delivery is at least once: dedupe by `id`.",
})
export class BookingEvent {
  @Field(() => ID, { description: "Unique per event and the same on every channel and retry: dedupe by it." })
  id!: string;

  @Field(() => BookingEventType, { description: "What happened." })
  type!: string;

  @Field(() => DateTimeScalar, { description: "When the change was made." })
  timestamp!: Date;

  @Field(() => String, {
    description: "Position in the whole log: 1, 2, 3… without gaps, in commit order. Also this event's cursor.",
  })
  sequence!: string;

  @Field(() => ID, { description: "The show." })
  showId!: string;

  @Field(() => Int, { description: "Position among the show's events: 1, 2, 3… without gaps." })
  position!: number;

  @Field(() => ID, { nullable: true, description: "The booking; null for show and seat events." })
  bookingId!: string | null;

  @Field(() => [String], {
    description: "The seat versions the change produced (the versions `seatMapChanged` carries).",
  })
  seatVersions!: string[];

  @Field(() => GraphQLJSONObject, {
    description:
      "booking.*: the booking as the API returns it (refunds and seat changes add `released`, `taken`, `refundedAmount`); show.*: the show; seats.*: `seatNumbers` and `reason`.",
  })
  data!: Record<string, unknown>;
}

@ObjectType({ description: "A BookingEvent in a page of the log." })
export class BookingEventEdge {
  @Field(() => String, { description: "The event's sequence: pass it as `after` to continue from here." })
  cursor!: string;

  @Field(() => BookingEvent, { description: "The event." })
  node!: BookingEvent;
}

@ObjectType({
  description: "A page of the event log, oldest first. No total: the log is long; poll with `after` instead.",
})
export class BookingEventConnection {
  @Field(() => [BookingEventEdge], { description: "This page's events." })
  edges!: BookingEventEdge[];

  @Field(() => PageInfo, { description: "`endCursor` is the last event's sequence (null on an empty page)." })
  pageInfo!: PageInfo;
}

export const MAX_EVENTS_PER_PAGE = 1000;

@ArgsType()
export class BookingEventsArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Events after this sequence (a previous page\'s `endCursor`, or the last `sequence` you processed); null or "0": from the oldest kept.',
  })
  @IsOptional()
  @IsInt8Digits("after must be an event sequence (digits)")
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 100,
    description: `How many events (1–${MAX_EVENTS_PER_PAGE}; null means 100).`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_EVENTS_PER_PAGE)
  first?: number | null;

  @Field(() => [BookingEventType], { nullable: true, description: "Only these types (default: every type)." })
  @IsOptional()
  types?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Only this show's events." })
  @IsOptional()
  @MaxLength(100)
  showId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this booking's events." })
  @IsOptional()
  @MaxLength(100)
  bookingId?: string | null;
}
