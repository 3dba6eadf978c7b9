import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../graphql/user-error.type.js";
import { Show } from "./show.type.js";

@ObjectType({ description: "Result of createShow." })
export class CreateShowPayload {
  @Field(() => Show, { nullable: true, description: "The new show; null when userErrors is not empty." })
  show!: Show | null;

  @Field(() => [UserError], { description: "Why the show was not created; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of updateShow." })
export class UpdateShowPayload {
  @Field(() => Show, {
    nullable: true,
    description: "The show as changed; null when userErrors is not empty (the show as it is for SHOW_CANCELLED).",
  })
  show!: Show | null;

  @Field(() => [UserError], { description: "Why nothing was changed; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of cancelShow." })
export class CancelShowPayload {
  @Field(() => Show, {
    nullable: true,
    description: "The cancelled show; also with SHOW_CANCELLED (it was cancelled before); null for other errors.",
  })
  show!: Show | null;

  @Field(() => Int, { description: "Bookings this call ended (CANCELLED_BY_ORGANIZER); confirmed ones were refunded." })
  cancelledBookings!: number;

  @Field(() => [UserError], { description: "Why the show was not cancelled by this call; empty on success." })
  userErrors!: UserError[];
}
