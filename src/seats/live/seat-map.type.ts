import { Field, Float, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A seat's place in the static layout." })
export class LayoutSeat {
  @Field(() => ID, { description: "The seat's id, as `Seat.id` and `SeatChange.id`." })
  id!: string;

  @Field(() => String, { description: 'Row label + seat number, e.g. "C12".' })
  seatNumber!: string;

  @Field(() => Int, { description: "Seat number within the row, 1 = leftmost." })
  number!: number;

  @Field(() => Float, { description: "Horizontal position for drawing, in seat widths from the venue's left." })
  x!: number;

  @Field(() => Float, { description: "Vertical position for drawing, in rows from the front." })
  y!: number;

  @Field(() => String, { description: "Category key (see `Show.categories` for its label, colour and price)." })
  category!: string;

  @Field(() => Int, {
    description:
      "Accessibility flags: 1 wheelchair space, 2 companion seat (0 for most seats; see `Seat.accessibility`).",
  })
  accessibility!: number;

  @Field(() => Boolean, {
    description: "Whether the next seat in `LayoutRow.seats` sits right beside this one (false at an aisle or gap).",
  })
  adjacentToNext!: boolean;
}

@ObjectType({ description: "One row of the static layout." })
export class LayoutRow {
  @Field(() => String, { description: "Key of the row's section (see `Show.sections`)." })
  section!: string;

  @Field(() => String, { description: 'Row label: "A" is the front row of its section.' })
  label!: string;

  @Field(() => Int, { description: "Row position across the venue, 0 = the first section's front row." })
  index!: number;

  @Field(() => [LayoutSeat], { description: "The row's seats, left to right." })
  seats!: LayoutSeat[];
}

@ObjectType({
  description:
    "A show's static layout: it changes only when an admin moves an unsold show to another layout version (its " +
    "seats then get new ids), so fetch it once and revalidate it (HTTP: ETag). Its seats, rows " +
    "front to back and seats left to right, are the layout order `SeatAvailability.statuses` follows.",
})
export class SeatLayout {
  @Field(() => Int, { description: "Number of seats (the length of `SeatAvailability.statuses`)." })
  seatCount!: number;

  @Field(() => [LayoutRow], { description: "Rows, section by section, each from its front." })
  rows!: LayoutRow[];
}

@ObjectType({
  description:
    "A show's seat availability, compact: one character per seat in layout order. Apply live `seatMapChanged` " +
    "events (by seat id or number, when their version is newer) on top, and resync with `seatsChangedSince`.",
})
export class SeatAvailability {
  @Field(() => String, { description: "Version of this availability: pass it to `seatsChangedSince`." })
  seatMapVersion!: string;

  @Field(() => String, {
    description:
      "One character per seat in layout order (`layout.rows[*].seats`): A available, H held, B booked, X blocked (off sale). A 10,000-" +
      "seat show answers 10,000 characters.",
  })
  statuses!: string;

  @Field(() => Int, { description: "Seats free to hold." })
  availableSeats!: number;

  @Field(() => Int, { description: "Seats held by pending bookings." })
  heldSeats!: number;

  @Field(() => Int, { description: "Seats sold." })
  bookedSeats!: number;

  @Field(() => Int, { description: "Seats off sale (BLOCKED)." })
  blockedSeats!: number;
}
