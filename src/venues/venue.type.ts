import { Field, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";
import { Node } from "../graphql/node.type.js";

@ObjectType({ description: "A seat category (price zone) of a layout." })
export class SeatCategory {
  @Field(() => String, { description: 'Key, e.g. "PREMIUM".' })
  key!: string;

  @Field(() => String, { description: "Display name." })
  label!: string;

  @Field(() => String, { description: 'Colour for drawing, "#RRGGBB".' })
  color!: string;
}

@ObjectType({ description: "A section of a venue layout." })
export class VenueSection {
  @Field(() => String, { description: 'Key, e.g. "STALLS".' })
  key!: string;

  @Field(() => String, { description: "Display name." })
  label!: string;

  @Field(() => String, { description: "Put before its seat numbers (may be empty)." })
  seatPrefix!: string;

  @Field(() => Int, { description: "Rows in the section." })
  rowCount!: number;
}

@ObjectType({ description: "One version of a venue's layout: immutable once a show uses it." })
export class VenueLayout {
  @Field(() => Int, { description: "1, 2, …: a new version each time the layout of a used version changes." })
  version!: number;

  @Field(() => Int, { description: "Seats in the layout." })
  totalSeats!: number;

  @Field(() => [SeatCategory], { description: "Its seat categories." })
  categories!: SeatCategory[];

  @Field(() => [VenueSection], { description: "Its sections, the best first." })
  sections!: VenueSection[];

  @Field(() => DateTimeScalar, { description: "When this version was made." })
  createdAt!: Date;
}

@ObjectType({ description: "A venue (hall): a layout defined once and reused by many shows.", implements: Node })
export class Venue implements Node {
  /** The database id: the API shows it as a global id (see nodeIdResolver). */
  id!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Vienna": show times are local to it.' })
  timeZone!: string;

  @Field(() => DateTimeScalar, { description: "When the venue was created." })
  createdAt!: Date;
}

@ObjectType({ description: "A page of venues, by name." })
export class VenueConnection extends ConnectionType("Venue", Venue) {}
