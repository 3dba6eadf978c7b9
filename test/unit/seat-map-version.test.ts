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
});
