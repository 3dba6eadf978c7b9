// The scene the seat map draws: every seat at its place in the world (one unit per seat cell), the stage, the row and
// section labels, the hall's bounds and an index from cell to seat. Built once per show from its planned layout;
// the canvas (seat-canvas.js) draws it, the map (seat-map.js) keeps its cursor, hover and flashing seats in it.

import { PALETTE } from "./palette.js";
import { isMine } from "./state.js";

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The scene of `state.seats` as `plan` (planSeatMap) places them. Each seat gets its world position (`wx`, `wy`) and
 * `countedStatus`, the status the price legend last counted it as. `state.categories` must be the show's already.
 */
export function buildScene(state, plan) {
  const seats = [];
  for (const row of plan.seatRows) {
    for (const place of row.seats) {
      const seat = state.seats.get(place.seatNumber);
      if (!seat) continue;
      seat.wx = place.x;
      seat.wy = place.y + row.bands;
      seat.countedStatus = seat.status;
      seats.push(seat);
    }
  }
  const seatXs = range(seats.map((seat) => seat.wx));
  const seatsCentreX = (seatXs.min + seatXs.max + 1) / 2;
  const seatsWidth = seatXs.max + 1 - seatXs.min;
  const stageWidth = Math.max(3, Math.min(seatsWidth * 0.6, 40));
  const stage = { x: seatsCentreX - stageWidth / 2, y: -2.6, width: stageWidth, height: 1.6 };
  const rowLabels = plan.rowLabels.map((label) => ({ label: label.label, wx: label.x, wy: label.y + label.bands }));
  const sectionLabels = plan.sectionLabels.map((label) => ({
    label: label.label,
    wx: label.x,
    wy: label.y + label.bands,
    width: label.width,
  }));
  const xs = range([...seats.map((seat) => seat.wx), ...rowLabels.map((label) => label.wx), stage.x]);
  const ys = range(seats.map((seat) => seat.wy));
  const bounds = {
    minX: Math.min(xs.min, stage.x),
    maxX: Math.max(xs.max + 1, stage.x + stage.width),
    minY: stage.y,
  };
  bounds.maxY = ys.max + 1;
  const fills = categoryFills(state);
  return {
    seats,
    bounds,
    stage,
    seatsCentreX,
    rowLabels,
    rails: railsOf(rowLabels),
    sectionLabels,
    index: indexCells(seats),
    look: (seat) => lookOf(state, seat),
    fill: (seat) => fills.get(seat.category) ?? PALETTE.seats.AVAILABLE.fill,
    cursor: null,
    hover: null,
    showCursor: false,
    flashing: new Set(),
  };
}

/** The leftmost row label of each visual row, front to back. */
function railsOf(rowLabels) {
  const byRow = new Map();
  for (const label of rowLabels) {
    const known = byRow.get(label.wy);
    if (!known || label.wx < known.wx) byRow.set(label.wy, label);
  }
  return [...byRow.values()].sort((a, b) => a.wy - b.wy);
}

/** Each category's own colour; a colour that is not plain #rrggbb falls back to the palette's (see `fill`). */
function categoryFills(state) {
  const fills = new Map();
  for (const category of state.categories.values()) {
    if (HEX.test(category.color)) fills.set(category.key, category.color);
  }
  return fills;
}

/** What a seat looks like: its server status, or the local overlays "selected" and "held by you". */
export function lookOf(state, seat) {
  if (seat.status === "AVAILABLE") return state.selected.has(seat.seatNumber) ? "SELECTED" : "AVAILABLE";
  if (seat.status === "HELD" && isMine(state, seat.seatNumber)) return "MINE";
  return seat.status;
}

/** Seats by their cell, a number per cell (a string key per seat costs a 100,000-seat hall visibly more). */
const cellKey = (x, y) => y * 100_000 + x;

function indexCells(seats) {
  const index = new Map();
  for (const seat of seats) index.set(cellKey(Math.floor(seat.wx), Math.floor(seat.wy)), seat);
  return index;
}

/** The seat of `scene` whose cell holds the world point (x, y), if any. */
export function seatAt(scene, x, y) {
  if (!scene) return null;
  for (const dx of [0, -1]) {
    for (const dy of [0, -1]) {
      const seat = scene.index.get(cellKey(Math.floor(x) + dx, Math.floor(y) + dy));
      if (seat && x >= seat.wx && x < seat.wx + 1 && y >= seat.wy && y < seat.wy + 1) return seat;
    }
  }
  return null;
}

/** Smallest and largest of `values` (a loop: spreading 100,000 values into Math.min overflows the stack). */
export function range(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
