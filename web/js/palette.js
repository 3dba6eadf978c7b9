// The seat map's colours, in one place: web/js/palette.json (read by the page, the unit test of its contrast ratios
// and the page benchmark), and the WCAG contrast ratio that checks them.
//
// Status is never told by colour alone: every status but "available" has a marker shape on the seat too
// (selected ✓, yours ●, held stripes, booked ✕, off sale —). Seat outlines and markers keep at least 3:1 against the
// hall and their fill (WCAG 2.2, 1.4.11); text keeps 4.5:1 (1.4.3). An available seat is filled with its category's
// colour, which comes from the venue: its outline, not its fill, is what must stand out from the hall.

import palette from "./palette.json" with { type: "json" };

export const PALETTE = palette;

/** Shape drawn on a seat of each look, besides its colours. */
export const MARKERS = { SELECTED: "check", MINE: "dot", HELD: "stripes", BOOKED: "cross", BLOCKED: "dash" };

/** WCAG 2 relative luminance of "#rrggbb". */
export function luminance(hex) {
  const channel = (offset) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two "#rrggbb" colours, 1–21. */
export function contrastRatio(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
