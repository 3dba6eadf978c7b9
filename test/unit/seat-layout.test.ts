import { isInLayout, parseSeatNumber, rowLabel, rowLabels, seatNumber } from "../../src/domain/seat-layout";

describe("seat layout", () => {
  it("labels rows A…Z, then AA, AB…AZ, BA…, like spreadsheet columns", () => {
    expect(rowLabels(3)).toEqual(["A", "B", "C"]);
    expect(rowLabel(25)).toBe("Z");
    expect(rowLabel(26)).toBe("AA");
    expect(rowLabel(27)).toBe("AB");
    expect(rowLabel(51)).toBe("AZ");
    expect(rowLabel(52)).toBe("BA");
    expect(rowLabel(701)).toBe("ZZ");
    expect(rowLabel(702)).toBe("AAA");
  });

  it("round-trips every seat number of a large hall", () => {
    for (let row = 0; row < 800; row += 7) {
      for (const seat of [1, 9, 10, 99, 100, 1000]) {
        const parsed = parseSeatNumber(seatNumber(row, seat));
        expect(parsed).toEqual({ rowIndex: row, rowLabel: rowLabel(row), seatInRow: seat });
      }
    }
  });

  it("parses case-insensitively and rejects what is not a seat number", () => {
    expect(parseSeatNumber(" c12 ")).toEqual({ rowIndex: 2, rowLabel: "C", seatInRow: 12 });
    for (const bad of ["", "A", "12", "A0", "A01", "1A", "A-1", "Ä1", "A1B", "ABCDE1", "A1234567"]) {
      expect(parseSeatNumber(bad)).toBeNull();
    }
  });

  it("knows which seats a hall has", () => {
    const layout = { rows: 3, seatsPerRow: 10 };
    expect(isInLayout(parseSeatNumber("C10")!, layout)).toBe(true);
    expect(isInLayout(parseSeatNumber("D1")!, layout)).toBe(false);
    expect(isInLayout(parseSeatNumber("A11")!, layout)).toBe(false);
  });
});
