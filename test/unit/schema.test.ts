import "reflect-metadata";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSchema, SCHEMA_FILE } from "../../src/graphql/schema";

const noInstances = {
  get: () => {
    throw new Error("not needed to print the schema");
  },
};

describe("schema.graphql", () => {
  it("is what type-graphql emits from the code (run `npm run schema` after changing the API)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "schema-"));
    try {
      const emitted = path.join(dir, "schema.graphql");
      await buildSchema(noInstances, { emitSchemaFile: emitted });
      expect(await readFile(SCHEMA_FILE, "utf8")).toBe(await readFile(emitted, "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps the contract's names and shapes", async () => {
    const sdl = await readFile(SCHEMA_FILE, "utf8");
    const compact = sdl
      .replace(/"""[\s\S]*?"""/g, "")
      .replace(/"[^"\n]*"/g, "")
      .replace(/\s+/g, " ");
    for (const expected of [
      "scalar DateTime",
      "enum SeatStatus { AVAILABLE BLOCKED BOOKED HELD }",
      "enum BookingStatus { CONFIRMED FAILED PENDING REFUNDED }",
      "enum FailureReason { CANCELLED CANCELLED_BY_ORGANIZER EXPIRED SEATS_UNAVAILABLE }",
      "enum UserErrorCode { COMPANION_REQUIRES_ACCESSIBLE HOLD_EXPIRED IDEMPOTENCY_KEY_REUSED INVALID_INPUT INVALID_STATE LIMIT_EXCEEDED NOT_ALLOWED NOT_FOUND ORPHAN_SEAT REHOLD_COOLDOWN SEATS_UNAVAILABLE SHOW_CANCELLED SHOW_STARTED }",
      "enum Accessibility { COMPANION WHEELCHAIR }",
      "type Money { amount: Int! currency: String! formatted: String! }",
      "createVenue( input: CreateVenueInput! ): CreateVenuePayload!",
      "changeVenueLayout( input: ChangeVenueLayoutInput! ): ChangeVenueLayoutPayload!",
      "venue( id: ID! ): Venue",
      "input PriceInput { amount: Int! category: String! currency: String! }",
      "cancelBooking( id: ID @deprecated(reason: ) input: CancelBookingInput ): BookingPayload!",
      "confirmBooking( id: ID @deprecated(reason: ) input: ConfirmBookingInput ): BookingPayload!",
      "input ConfirmBookingInput { bookingId: ID! }",
      "interface Node { id: ID! }",
      "node( id: ID! ): Node",
      "nodes( ids: [ID!]! ): [Node]!",
      "type Show implements Node {",
      "type Booking implements Node {",
      "type Seat implements Node {",
      "type Venue implements Node {",
      "type Webhook implements Node {",
      "createShow( input: CreateShowInput! ): CreateShowPayload!",
      "extendHold( id: ID @deprecated(reason: ) input: ExtendHoldInput ): BookingPayload!",
      "holdSeats( input: HoldSeatsInput! ): HoldSeatsPayload!",
      "booking( id: ID! ): Booking",
      "show( id: ID! ): Show",
      "shows( after: String first: Int = 20 from: DateTime search: String to: DateTime venueId: ID ): ShowConnection!",
      "myBookings( after: String first: Int = 20 status: [BookingStatus!] ): BookingConnection!",
      "seats( status: SeatStatus ): [Seat!]!",
    ]) {
      expect(compact).toContain(expected);
    }
  });
});
