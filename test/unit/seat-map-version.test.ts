import { formatSeatMapVersion, parseSeatMapVersion } from "../../src/seats/seat-map-version";

describe("seat map versions", () => {
  it("round-trips a version with its snapshot", () => {
    const text = formatSeatMapVersion(1234n, "5001:5007:5003,5004");
    expect(text).toBe("1234@5001:5007:5003,5004");
    expect(parseSeatMapVersion(text)).toEqual({ version: 1234n, snapshot: "5001:5007:5003,5004" });
  });

  it("reads a plain seat or event version", () => {
    expect(parseSeatMapVersion(" 42 ")).toEqual({ version: 42n, snapshot: null });
  });

  it("refuses anything else", () => {
    for (const text of ["", "abc", "1@x", "-1", "9".repeat(20), "1@1:2", `1@1:2:${"3,".repeat(5000)}3`]) {
      expect(parseSeatMapVersion(text)).toBeNull();
    }
  });

  it("refuses versions and snapshots PostgreSQL would refuse", () => {
    for (const text of [
      "9223372036854775808",
      "1@0:1:",
      "1@5:1:",
      "1@5:10:20",
      "1@5:10:4",
      "1@5:10:7,6",
      "1@1:99999999999999999999:",
    ]) {
      expect(parseSeatMapVersion(text)).toBeNull();
    }
    expect(parseSeatMapVersion("9223372036854775807@5:10:5,6,6")).toEqual({
      version: 9223372036854775807n,
      snapshot: "5:10:5,6,6",
    });
  });
});
