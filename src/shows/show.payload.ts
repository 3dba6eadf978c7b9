import { Field, ObjectType } from "type-graphql";
import { UserError } from "../graphql/user-error.type.js";
import { Show } from "./show.type.js";

@ObjectType({ description: "Result of createShow." })
export class CreateShowPayload {
  @Field(() => Show, { nullable: true, description: "The new show; null when userErrors is not empty." })
  show!: Show | null;

  @Field(() => [UserError], { description: "Why the show was not created; empty on success." })
  userErrors!: UserError[];
}
