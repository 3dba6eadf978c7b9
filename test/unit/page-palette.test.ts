import palette from "../../web/js/palette.json";

/**
 * The seat map's colours (web/js/palette.json, the one source the page draws with) against WCAG 2.2 AA: seat outlines,
 * status markers and the focus ring need 3:1 against what they sit on (1.4.11 non-text contrast), text 4.5:1 (1.4.3).
 * The ratio is worked out here independently of the page's own contrast function.
 */

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((offset) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const seats = Object.entries(palette.seats);

describe("seat map palette", () => {
  it("computes WCAG ratios as the specification's examples give them", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#ffffff", "#ffffff")).toBe(1);
    // The outlines the audit measured on the DOM page, which failed: 2.65:1 and 2.13:1.
    expect(contrast("#34b383", "#ffffff")).toBeCloseTo(2.65, 1);
    expect(contrast("#aab2c0", "#ffffff")).toBeCloseTo(2.13, 1);
  });

  it.each(seats)("draws %s seats with an outline of at least 3:1 against the hall", (_look, style) => {
    expect(contrast(style.outline, palette.hall)).toBeGreaterThanOrEqual(3);
  });

  it.each(seats.filter(([, style]) => style.marker))(
    "marks %s seats with a shape of at least 3:1 on their fill",
    (_look, style) => {
      expect(contrast(style.marker!, style.fill)).toBeGreaterThanOrEqual(3);
    },
  );

  it("tells every status but available by a marker shape, not by colour alone", () => {
    expect(seats.filter(([, style]) => !style.marker).map(([look]) => look)).toEqual(["AVAILABLE"]);
  });

  it("keeps the focus ring at 3:1 and the map's text at 4.5:1", () => {
    expect(contrast(palette.focus.ring, palette.hall)).toBeGreaterThanOrEqual(3);
    expect(contrast(palette.focus.ring, palette.focus.halo)).toBeGreaterThanOrEqual(3);
    expect(contrast(palette.label, palette.hall)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(palette.stage.text, palette.stage.fill)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(palette.overviewWindow, palette.hall)).toBeGreaterThanOrEqual(3);
  });
});
