import { BadUserInputError } from "../../src/graphql/errors";
import { databaseIdOf, fromGlobalId, parseGlobalId, toGlobalId, withDatabaseIds } from "../../src/graphql/global-id";

describe("global ids", () => {
  const showId = "7d0c3a52-2d0c-4d3e-9a7b-2f7e5d1c9a10";
  const bookingId = "0b7f7c1e-5a53-4a8e-b7d2-8c6f2e0e4d21";

  it("are base64url of Type:id without padding, and round-trip for every Node type", () => {
    expect(toGlobalId("Show", showId)).toBe(Buffer.from(`Show:${showId}`).toString("base64url"));
    expect(toGlobalId("Seat", "12133")).toBe("U2VhdDoxMjEzMw");
    for (const [type, id] of [
      ["Show", showId],
      ["Booking", bookingId],
      ["Venue", showId],
      ["Webhook", bookingId],
      ["Seat", "9223372036854775807"],
    ] as const) {
      const global = toGlobalId(type, id);
      expect(global).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(parseGlobalId(global)).toEqual({ type, databaseId: id });
      expect(fromGlobalId(global, type, ["id"])).toBe(id);
    }
  });

  it("refuse another type's id, naming both types and the argument", () => {
    const booking = toGlobalId("Booking", bookingId);
    expect(() => fromGlobalId(booking, "Show", ["input", "showId"])).toThrow(
      new BadUserInputError("`input.showId` is a Booking id, not a Show id.", ["input", "showId"]),
    );
    expect(databaseIdOf("Show", booking)).toBeNull();
  });

  it("refuse what this API did not make", () => {
    const malformed = [
      "",
      "nope",
      "not base64!",
      `${toGlobalId("Show", showId)}=`, // padded: one spelling per object
      Buffer.from(`Show:${showId}`).toString("base64"), // another alphabet
      Buffer.from("Show:not-a-uuid").toString("base64url"),
      Buffer.from(`Concert:${showId}`).toString("base64url"),
      Buffer.from("Seat:0123").toString("base64url"), // no leading zeros: one spelling per seat
      Buffer.from("Seat:99999999999999999999").toString("base64url"), // beyond bigint
      Buffer.from(`toString:${showId}`).toString("base64url"),
      "A".repeat(101),
    ];
    for (const id of malformed) {
      expect(parseGlobalId(id)).toBeNull();
      expect(() => fromGlobalId(id, "Show", ["id"])).toThrow(new BadUserInputError("`id` is not a Show id.", ["id"]));
    }
    // A UUID is never read as a Seat's legacy id, nor digits as a Show's.
    expect(() => fromGlobalId(showId, "Seat", ["id"])).toThrow(BadUserInputError);
    expect(() => fromGlobalId("12133", "Show", ["id"])).toThrow(BadUserInputError);
  });

  it("accept the legacy database ids until 0.3.0", () => {
    expect(fromGlobalId(showId, "Show", ["id"])).toBe(showId);
    expect(fromGlobalId(showId.toUpperCase(), "Booking", ["id"])).toBe(showId.toUpperCase());
    expect(fromGlobalId("12133", "Seat", ["id"])).toBe("12133");
    expect(databaseIdOf("Show", showId)).toBe(showId);
    expect(databaseIdOf("Show", toGlobalId("Show", showId))).toBe(showId);
  });

  it("are decoded in a copy of an input of the same class, optional ids left as given", () => {
    class Input {
      showId!: string;
      venueId?: string | null;
      name = "x";
    }
    const given = Object.assign(new Input(), { showId: toGlobalId("Show", showId), venueId: null });
    const decoded = withDatabaseIds(given, { showId: "Show", venueId: "Venue" });
    expect(decoded).toBeInstanceOf(Input);
    expect(decoded).toEqual(Object.assign(new Input(), { showId, venueId: null }));
    expect(given.showId).toBe(toGlobalId("Show", showId));
    expect(() => withDatabaseIds(given, { showId: "Venue" })).toThrow("`input.showId` is a Show id, not a Venue id.");
  });
});
