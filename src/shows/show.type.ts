import { Field, ID, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";

@ObjectType({
  description: "An event with a reserved-seat hall: rows A, B, C… from the front, seats 1…n from the left.",
})
export class Show {
  @Field(() => ID, { description: "Show id (a UUID)." })
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
}

@ObjectType({ description: "A page of shows, soonest first." })
export class ShowConnection extends ConnectionType("Show", Show) {}
