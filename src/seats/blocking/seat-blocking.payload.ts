import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/user-error.type.js";
import { type SeatRecord } from "../seat.service.js";
import { Seat } from "../seat.type.js";

@ObjectType({ description: "Result of blockSeats and unblockSeats." })
export class SeatBlockPayload {
  @Field(() => [Seat], {
    description: "The named seats as they are after the change, in the order named; empty when nothing changed.",
  })
  seats!: SeatRecord[];

  @Field(() => [UserError], { description: "Why nothing changed; empty on success." })
  userErrors!: UserError[];
}
