import { decodeTimeIdCursor, encodeTimeIdCursor } from "../../src/domain/cursor";
import { BadCursorError } from "../../src/domain/errors";
import { parseInt8 } from "../../src/domain/ids";

describe("keyset cursors", () => {
  const id = "7d0c3a52-2d0c-4d3e-9a7b-2f7e5d1c9a10";

  it("round-trips a time and an id", () => {
    const at = new Date("2026-12-01T19:30:00.123Z");
    expect(decodeTimeIdCursor(encodeTimeIdCursor(at, id))).toEqual({ at, id });
  });

  it("refuses cursors it did not issue, naming the argument", () => {
    const forged = [
      "not base64 at all!",
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from(JSON.stringify(["yesterday", id])).toString("base64url"),
      Buffer.from(JSON.stringify([new Date().toISOString(), "not-a-uuid"])).toString("base64url"),
      // Dates JavaScript accepts but no stored time can have (PostgreSQL refuses the first).
      Buffer.from(JSON.stringify(["-271821-04-20T00:00:00.000Z", id])).toString("base64url"),
      Buffer.from(JSON.stringify(["+275760-09-13T00:00:00.000Z", id])).toString("base64url"),
    ];
    for (const cursor of forged) {
      expect(() => decodeTimeIdCursor(cursor)).toThrow(new BadCursorError("after"));
    }
    expect(() => decodeTimeIdCursor("x", "before")).toThrow("`before` is not a cursor returned by this API.");
  });

  it("carry the ids the caller says are ids (the audit log's are numbers)", () => {
    const at = new Date("2026-12-01T19:30:00.123Z");
    const isNumber = (text: string) => parseInt8(text) !== null;
    expect(decodeTimeIdCursor(encodeTimeIdCursor(at, "42"), "after", isNumber)).toEqual({ at, id: "42" });
    expect(() => decodeTimeIdCursor(encodeTimeIdCursor(at, "42"))).toThrow(BadCursorError);
    expect(() => decodeTimeIdCursor(encodeTimeIdCursor(at, id), "after", isNumber)).toThrow(BadCursorError);
  });
});

describe("bigint numbers (ids, versions, sequences)", () => {
  it("parse what PostgreSQL's bigint holds, and nothing else", () => {
    expect(parseInt8("0")).toBe(0n);
    expect(parseInt8("9223372036854775807")).toBe(9223372036854775807n);
    for (const text of ["9223372036854775808", "99999999999999999999", "-1", "1.5", "1e3", " 1", ""]) {
      expect(parseInt8(text)).toBeNull();
    }
  });
});
