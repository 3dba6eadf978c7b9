// The status legend's sample seats, drawn by the map's own drawing code, so the legend always looks like the map.

import { PALETTE } from "./palette.js";
import { drawSeatCell } from "./seat-canvas.js";

const SAMPLE_PX = 22;

/** Draws every `canvas[data-look]` (a key of PALETTE.seats) as one seat; `data-mark` adds the accessibility mark. */
export function drawLegendSamples(root = document) {
  const dpr = window.devicePixelRatio || 1;
  for (const canvas of root.querySelectorAll("canvas[data-look]")) {
    canvas.width = canvas.height = Math.round(SAMPLE_PX * dpr);
    canvas.style.width = canvas.style.height = `${SAMPLE_PX}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const look = canvas.dataset.look;
    const seat = {
      wx: 0,
      wy: 0,
      wheelchair: canvas.dataset.mark === "wheelchair",
      companion: canvas.dataset.mark === "companion",
    };
    const scene = {
      look: () => look,
      fill: () => PALETTE.seats.AVAILABLE.fill,
      flashing: new Set(),
      cursor: null,
      hover: null,
    };
    drawSeatCell(ctx, scene, { scale: SAMPLE_PX, ox: 0, oy: 0 }, seat);
  }
}
