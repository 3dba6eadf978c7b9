import { isSameRequest, parseHoldRequest, seatsOutsideLayout } from "../../src/bookings/hold-request";

const SHOW = "7d0c3a52-2d0c-4d3e-9a7b-2f7e5d1c9a10";
const parse = (request: Parameters<typeof parseHoldRequest>[0], max = 4) => parseHoldRequest(request, max);
const problemOf = (request: Parameters<typeof parseHoldRequest>[0], max = 4) => {
  const result = parse(request, max);
  if (result.ok) throw new Error("expected a problem");
  return result.problem;
};

describe("parseHoldRequest", () => {
  it("normalises exact seats once and parses their positions", () => {
    const result = parse({ showId: SHOW, seatNumbers: [" c11", "C12 "], idempotencyKey: "k1" });
    expect(result).toEqual({
      ok: true,
      hold: {
        kind: "exact",
        showId: SHOW,
        key: "k1",
        seatNumbers: ["C11", "C12"],
        positions: [
          { rowIndex: 2, rowLabel: "C", seatInRow: 11 },
          { rowIndex: 2, rowLabel: "C", seatInRow: 12 },
        ],
      },
    });
  });

  it("takes a quantity as a best-available request", () => {
    expect(parse({ showId: SHOW, quantity: 3 })).toEqual({
      ok: true,
      hold: { kind: "best", showId: SHOW, key: null, quantity: 3 },
    });
  });

  it("needs exactly one of seatNumbers or quantity, pointing at the field to fill or drop", () => {
    expect(problemOf({ showId: SHOW })).toEqual({
      code: "INVALID_INPUT",
      message: "Give exactly one of seatNumbers or quantity.",
      field: ["input", "quantity"],
    });
    expect(problemOf({ showId: SHOW, seatNumbers: ["A1"], quantity: 1 }).field).toEqual(["input", "seatNumbers"]);
  });

  it("refuses empty, too long, duplicated and malformed seat lists, in that order", () => {
    expect(problemOf({ showId: SHOW, seatNumbers: [] }).message).toBe("seatNumbers must not be empty.");
    expect(problemOf({ showId: SHOW, seatNumbers: ["A1", "A2", "A3"] }, 2)).toEqual({
      code: "INVALID_INPUT",
      message: "A hold may have at most 2 seats.",
      field: ["input", "seatNumbers"],
    });
    expect(problemOf({ showId: SHOW, seatNumbers: ["a1", "A1 ", "1A", "1A"] })).toMatchObject({
      message: "Seat listed twice: A1, 1A.",
      seatNumbers: ["A1", "1A"],
    });
    expect(problemOf({ showId: SHOW, seatNumbers: ["A1", "1A", "A0"] })).toMatchObject({
      message: 'Seat numbers are a row label and a seat number, e.g. "A1" or "AB12".',
      seatNumbers: ["1A", "A0"],
    });
  });

  it("refuses a quantity above the per-hold limit", () => {
    expect(problemOf({ showId: SHOW, quantity: 5 }, 4)).toEqual({
      code: "INVALID_INPUT",
      message: "A hold may have at most 4 seats.",
      field: ["input", "quantity"],
    });
  });
});

describe("seatsOutsideLayout", () => {
  it("names the seats the hall does not have", () => {
    const result = parse({ showId: SHOW, seatNumbers: ["A1", "C5", "A6"] }, 10);
    if (!result.ok || result.hold.kind !== "exact") throw new Error("expected exact seats");
    expect(seatsOutsideLayout(result.hold, { rows: 3, seatsPerRow: 5 })).toEqual({
      code: "NOT_FOUND",
      message: "This show has no seat A6.",
      field: ["input", "seatNumbers"],
      seatNumbers: ["A6"],
    });
    expect(seatsOutsideLayout(result.hold, { rows: 3, seatsPerRow: 6 })).toBeNull();
  });
});

describe("isSameRequest", () => {
  const exact = parse({ showId: SHOW, seatNumbers: ["a1", "A2"] });
  const best = parse({ showId: SHOW, quantity: 2 });
  if (!exact.ok || !best.ok) throw new Error("fixtures must parse");

  it("matches exact seats in order, after normalisation", () => {
    expect(isSameRequest({ showId: SHOW, seatNumbers: ["A1", "A2"] }, exact.hold)).toBe(true);
    expect(isSameRequest({ showId: SHOW, seatNumbers: ["A2", "A1"] }, exact.hold)).toBe(false);
    expect(isSameRequest({ showId: "other", seatNumbers: ["A1", "A2"] }, exact.hold)).toBe(false);
  });

  it("matches a quantity by the seats it got, or by none when it failed", () => {
    expect(isSameRequest({ showId: SHOW, seatNumbers: ["B4", "B5"] }, best.hold)).toBe(true);
    expect(isSameRequest({ showId: SHOW, seatNumbers: [] }, best.hold)).toBe(true);
    expect(isSameRequest({ showId: SHOW, seatNumbers: ["B4"] }, best.hold)).toBe(false);
  });
});
