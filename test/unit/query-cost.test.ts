import { parse } from "graphql";
import { RowBudget } from "../../src/graphql/row-budget";
import { ConfigError, loadConfig } from "../../src/platform/config";
import { measureQuery, tokensExceed } from "../../src/server/query-shape";
import { nestsDeeperThan } from "../../src/server/request-shape";
import { jsonBytesAtMost } from "../../src/server/response-size";

describe("RowBudget", () => {
  it("charges rows, gives back what was not returned, and refuses what does not fit", () => {
    const budget = new RowBudget(100);
    budget.charge(60);
    budget.refund(20);
    budget.charge(60);
    expect(budget.rows).toBe(100);
    expect(() => budget.charge(1)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "RESPONSE_TOO_LARGE", limit: 100, actual: 101 }),
      }),
    );
    expect(budget.refusal?.extensions).toMatchObject({ unit: "rows", actual: 101 });
  });
});

describe("measureQuery", () => {
  it("measures a fan of fragments that would inline to 2^60 fields in linear time", () => {
    const fan = parse(
      "{ shows { edges { node { ...F1 } } } }\n" +
        Array.from(
          { length: 60 },
          (_, i) => `fragment F${i + 1} on Show { id ${i < 59 ? `...F${i + 2} ...F${i + 2}` : ""} }`,
        ).join("\n"),
    );
    const started = performance.now();
    const shape = measureQuery(fan, 10);
    expect(performance.now() - started).toBeLessThan(100);
    expect(shape.expandedFields).toBeGreaterThan(2 ** 59);
    expect(shape).toMatchObject({ fragments: 60, depth: 4 });
  });

  it("stops measuring depth one level past the cap, whatever the nesting", () => {
    const deep = parse(`{ ${"a { ".repeat(800)}b${" }".repeat(800)} }`);
    expect(measureQuery(deep, 10).depth).toBe(11);
    const inline = parse(`{ ${"... on Query { ".repeat(500)}shows { totalCount }${" }".repeat(500)} }`);
    expect(measureQuery(inline, 10).depth).toBe(11);
    expect(measureQuery(parse("{ shows { totalCount } }"), 10)).toEqual({
      fragments: 0,
      aliases: 0,
      depth: 2,
      expandedFields: 2,
    });
  });

  it("measures 100 fragments, each nested 30 levels and spreading the next at the bottom, without overflowing", () => {
    const nested = (i: number) => `${"... on Show { ".repeat(29)}id ${i < 100 ? `...F${i + 1}` : ""}${" }".repeat(29)}`;
    const chain = parse(
      "{ shows { edges { node { ...F1 } } } }\n" +
        Array.from({ length: 100 }, (_, i) => `fragment F${i + 1} on Show { ${nested(i + 1)} }`).join("\n"),
    );
    expect(measureQuery(chain, 10)).toMatchObject({ fragments: 100, depth: 4, expandedFields: 103 });
  });

  it("counts nothing twice and survives fragment cycles (validation reports them)", () => {
    const cyclic = parse("{ show(id: 1) { ...A } } fragment A on Show { x: id ...B } fragment B on Show { ...A }");
    expect(measureQuery(cyclic, 10)).toMatchObject({ fragments: 2, aliases: 1 });
  });
});

describe("request shape", () => {
  it("finds nesting deeper than a bound without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep, 32)).toBe(true);
    expect(nestsDeeperThan({ input: { seatNumbers: ["A1"] } }, 32)).toBe(false);
  });

  it("counts tokens only up to the limit", () => {
    expect(tokensExceed("{ a b c }", 5)).toBe(false);
    expect(tokensExceed("{ a b c d e }", 5)).toBe(true);
    expect(tokensExceed(`{ ${"a ".repeat(1_000_000)}}`, 5000)).toBe(true);
    expect(tokensExceed("{ a b # comments are not tokens\n }", 4)).toBe(false);
  });
});

describe("jsonBytesAtMost", () => {
  it("equals JSON's length for plain data and stops just past the limit", () => {
    const value = { data: { show: { seats: [{ seatNumber: "A1", number: 1, held: null, ok: true }], name: "Dürer" } } };
    const json = Buffer.byteLength(JSON.stringify(value));
    expect(jsonBytesAtMost(value, 1_000_000)).toBe(json);
    expect(jsonBytesAtMost(value, 10)).toBe(11);
  });
});

describe("query cost settings", () => {
  it("default the row budget to one seat map of the largest show and refuse a smaller one", () => {
    expect(loadConfig({}).queryLimits).toMatchObject({ maxRowsPerRequest: 100_000, maxTokens: 5000 });
    expect(loadConfig({ MAX_SEATS_PER_SHOW: "200000" }).queryLimits.maxRowsPerRequest).toBe(200_000);
    expect(() => loadConfig({ MAX_ROWS_PER_REQUEST: "5000" })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_ROWS_PER_REQUEST: "5000" })).toThrow(/MAX_ROWS_PER_REQUEST must be at least/);
  });
});
