import { sqlState } from "../../src/db/db-errors";

describe("sqlState", () => {
  it("finds PostgreSQL's SQLSTATE wherever the driver or Prisma put it", () => {
    expect(sqlState({ code: "40P01" })).toBe("40P01");
    expect(sqlState({ code: "P2010", meta: { code: "23505" } })).toBe("23505");
    expect(sqlState({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "40001" } } } })).toBe(
      "40001",
    );
    expect(sqlState(new Error("wrapper", { cause: { code: "23505" } }))).toBe("23505");
  });

  it("ignores Prisma's own codes and anything that is not a SQLSTATE", () => {
    expect(sqlState({ code: "P2002" })).toBeUndefined();
    expect(sqlState({ code: "ECONNRESET" })).toBeUndefined();
    expect(sqlState(null)).toBeUndefined();
    const cyclic: { cause?: unknown } = {};
    cyclic.cause = cyclic;
    expect(sqlState(cyclic)).toBeUndefined();
  });
});
