import { Field, ObjectType } from "type-graphql";
import { UserError } from "../graphql/user-error.type.js";
import { Venue, VenueLayout } from "./venue.type.js";

@ObjectType({ description: "Result of createVenue." })
export class CreateVenuePayload {
  @Field(() => Venue, { nullable: true, description: "The new venue; null when userErrors is not empty." })
  venue!: Venue | null;

  @Field(() => [UserError], { description: "Every problem of the input, with its field path; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of changeVenueLayout." })
export class ChangeVenueLayoutPayload {
  @Field(() => VenueLayout, { nullable: true, description: "The layout version made; null on userErrors." })
  layout!: VenueLayout | null;

  @Field(() => [UserError], { description: "Every problem of the input, with its field path; empty on success." })
  userErrors!: UserError[];
}
