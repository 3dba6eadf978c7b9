import fc from "fast-check";
import {
  MAX_PRICE,
  type Money,
  checkPrice,
  formatMoney,
  isCurrency,
  minorUnitDigits,
  sumMoney,
} from "../../src/domain/money";

const euros = (amount: number): Money => ({ amount, currency: "EUR" });

describe("currencies", () => {
  it("knows upper-case ISO 4217 codes Intl lists", () => {
    for (const code of ["EUR", "USD", "JPY", "KWD", "CHF"]) expect(isCurrency(code)).toBe(true);
  });

  it("refuses lower case, made-up codes and other lengths", () => {
    for (const code of ["eur", "Eur", "XYZ", "EU", "EURO", "", " EUR", "€"]) expect(isCurrency(code)).toBe(false);
  });

  it("reads each currency's minor digits from Intl", () => {
    expect(minorUnitDigits("EUR")).toBe(2);
    expect(minorUnitDigits("USD")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(minorUnitDigits("KWD")).toBe(3);
    expect(minorUnitDigits("BHD")).toBe(3);
  });

  it("refuses digits for a currency it does not know, though Intl would guess two", () => {
    expect(() => minorUnitDigits("XYZ")).toThrow(RangeError);
    expect(() => minorUnitDigits("eur")).toThrow(RangeError);
  });
});

describe("sums", () => {
  it("adds nothing to zero", () => {
    expect(sumMoney([], "EUR")).toEqual({ amount: 0, currency: "EUR" });
  });

  it("adds many small amounts exactly, where floats of the major unit drift", () => {
    const tenCents = Array.from({ length: 100_000 }, () => euros(10));
    expect(sumMoney(tenCents, "EUR")).toEqual(euros(1_000_000));
    // What the integers avoid: 100,000 × 0.1 as floats is not 10,000.
    expect(tenCents.reduce((total) => total + 0.1, 0)).not.toBe(10_000);
  });

  it("matches BigInt arithmetic on random amounts, refunds included", () => {
    const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 200 }), (amounts) => {
        const expected = amounts.reduce((total, value) => total + BigInt(value), 0n);
        return sumMoney(amounts.map(euros), "EUR").amount === Number(expected);
      }),
    );
  });

  it("refuses to add another currency", () => {
    expect(() => sumMoney([euros(100), { amount: 100, currency: "USD" }], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([euros(100)], "USD")).toThrow(RangeError);
  });

  it("refuses a total beyond the safe integers, either way", () => {
    expect(sumMoney([euros(Number.MAX_SAFE_INTEGER - 1), euros(1)], "EUR")).toEqual(euros(Number.MAX_SAFE_INTEGER));
    expect(() => sumMoney([euros(Number.MAX_SAFE_INTEGER), euros(1)], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([euros(Number.MAX_SAFE_INTEGER), euros(Number.MAX_SAFE_INTEGER)], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([euros(Number.MIN_SAFE_INTEGER), euros(-1)], "EUR")).toThrow(RangeError);
    // Only the total counts: a sum that passes the limit on the way and comes back is exact.
    expect(sumMoney([euros(Number.MAX_SAFE_INTEGER), euros(1), euros(-1)], "EUR")).toEqual(
      euros(Number.MAX_SAFE_INTEGER),
    );
  });

  it("refuses amounts that are not safe integers, and unknown currencies", () => {
    expect(() => sumMoney([euros(0.5)], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([euros(Number.NaN)], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([euros(2 ** 53)], "EUR")).toThrow(RangeError);
    expect(() => sumMoney([], "XYZ")).toThrow(RangeError);
  });
});

describe("formatting", () => {
  it.each([
    [euros(0), "€0.00"],
    [euros(5), "€0.05"],
    [euros(4500), "€45.00"],
    [euros(123_456_789), "€1,234,567.89"],
    [euros(-5), "-€0.05"],
    [{ amount: 4500, currency: "JPY" }, "¥4,500"],
    [{ amount: 4500, currency: "KWD" }, "KWD\u00a04.500"],
    [{ amount: 5, currency: "KWD" }, "KWD\u00a00.005"],
    [{ amount: 4500, currency: "USD" }, "$45.00"],
  ])("writes %j as %s", (money, expected) => {
    expect(formatMoney(money)).toBe(expected);
  });

  it("writes the largest safe amount exactly, which a float of euros cannot hold", () => {
    expect(formatMoney(euros(Number.MAX_SAFE_INTEGER))).toBe("€90,071,992,547,409.91");
    expect(formatMoney(euros(Number.MIN_SAFE_INTEGER))).toBe("-€90,071,992,547,409.91");
  });

  it("follows the locale", () => {
    expect(formatMoney(euros(4500), "de-DE")).toBe("45,00\u00a0€");
    expect(formatMoney({ amount: 4500, currency: "JPY" }, "ja-JP")).toBe("￥4,500");
  });

  it("keeps every digit of random amounts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        const digits = formatMoney(euros(amount)).replace(/[^0-9]/g, "");
        return digits === String(amount).padStart(3, "0");
      }),
    );
  });

  it("refuses unknown currencies and amounts that are not safe integers", () => {
    expect(() => formatMoney({ amount: 100, currency: "XYZ" })).toThrow(RangeError);
    expect(() => formatMoney(euros(1.5))).toThrow(RangeError);
  });
});

describe("prices", () => {
  it("accepts whole amounts from free to the maximum", () => {
    for (const amount of [0, 1, 4500, MAX_PRICE]) expect(checkPrice(amount)).toBeNull();
    expect(MAX_PRICE).toBe(10_000_000);
  });

  it("explains why other amounts are not prices", () => {
    expect(checkPrice(-1)).toMatch(/negative/);
    expect(checkPrice(MAX_PRICE + 1)).toMatch(/exceed/);
    for (const amount of [12.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(checkPrice(amount)).toMatch(/whole number/);
  });
});
