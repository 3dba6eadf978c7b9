import { ANY_SEAT } from "../../src/bookings/booking.ports";
import { isSameRequest, parseHoldRequest, requestFingerprint } from "../../src/bookings/hold-request";

const SHOW = "7d0c3a52-2d0c-4d3e-9a7b-2f7e5d1c9a10";
const parse = (request: Parameters<typeof parseHoldRequest>[0], max = 4) => parseHoldRequest(request, max);
const problemOf = (request: Parameters<typeof parseHoldRequest>[0], max = 4) => {
  const result = parse(request, max);
  if (result.ok) throw new Error("expected a problem");
  return result.problem;
};

describe("parseHoldRequest", () => {
  it("normalises exact seats once", () => {
    const result = parse({ showId: SHOW, seatNumbers: [" c11", "C12 "], idempotencyKey: "k1" });
    expect(result).toEqual({
      ok: true,
      hold: {
        kind: "exact",
        showId: SHOW,
        key: "k1",
        seatNumbers: ["C11", "C12"],
      },
    });
  });

  it("takes a quantity as a best-available request", () => {
    expect(parse({ showId: SHOW, quantity: 3 })).toEqual({
      ok: true,
      hold: { kind: "best", showId: SHOW, key: null, quantity: 3, preference: ANY_SEAT },
    });
  });

  it("takes categories, a section and accessibility as a best-available preference, normalised", () => {
    const result = parse({
      showId: SHOW,
      quantity: 2,
      categories: ["premium ", "STANDARD", "PREMIUM"],
      section: " stalls",
      accessible: true,
    });
    expect(result).toEqual({
      ok: true,
      hold: {
        kind: "best",
        showId: SHOW,
        key: null,
        quantity: 2,
        preference: { categories: ["PREMIUM", "STANDARD"], section: "STALLS", accessible: true },
      },
    });
    if (!result.ok) throw new Error("expected a hold");
    // A preference is part of what an idempotency key stands for; no preference keeps the old fingerprint.
    const plain = parse({ showId: SHOW, quantity: 2 });
    if (!plain.ok) throw new Error("expected a hold");
    expect(requestFingerprint(result.hold)).not.toBe(requestFingerprint(plain.hold));
    expect(problemOf({ showId: SHOW, quantity: 2, categories: [] }).field).toEqual(["input", "categories"]);
  });

  it("refuses a preference with exact seats", () => {
    expect(problemOf({ showId: SHOW, seatNumbers: ["A1"], section: "STALLS" })).toEqual({
      code: "INVALID_INPUT",
      message: "section narrows a quantity (best available), not seatNumbers.",
      field: ["input", "section"],
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
    expect(problemOf({ showId: SHOW, seatNumbers: ["A1", "A 1", "C_B3", "A"] })).toMatchObject({
      message:
        'Seat numbers are an optional section prefix, a row label and a seat number, e.g. "A1", "AB12" or "C-B3".',
      seatNumbers: ["A 1", "C_B3", "A"],
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
