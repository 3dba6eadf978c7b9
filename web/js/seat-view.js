// Where the seat map is looked at from: a scale (CSS pixels per seat width) and the screen position of the map's
// origin, and the moves on it (fit, zoom about a point, pan, bring a seat into view). Pure: no DOM and no page state.
//
// World units are the layout's: one seat width across, one row down (see seat-layout.js). A seat fills the cell
// [x, x + 1) × [y, y + 1) and is drawn a little smaller, so the gap between seats stays visible at every zoom.

/** CSS pixels per seat width at the default zoom when the hall does not fit: seats of 0.8 × 30 = 24 px (WCAG 2.5.8). */
export const TARGET_SCALE = 30;
/** The closest zoom: a seat of about 48 px. */
export const MAX_SCALE = 60;
/** The seat's share of its cell (the rest is the gap, where the focus ring goes). */
export const SEAT_SIZE = 0.8;
/** Pixels of hall kept around the map when it is fitted: above and below, and beside it (clear of the zoom buttons). */
const MARGIN = 12;
const SIDE_MARGIN = 56;

/**
 * The view a map opens at: the whole of `bounds` ({ minX, minY, maxX, maxY }) when it fits with seats of at least
 * 24 px; otherwise 24 px seats, centred across on the seats and showing the stage at the top (the front centre, where
 * most buyers look first). The overview shows the rest.
 */
export function initialView(bounds, width, height, seatsCentreX) {
  const fit = fitScale(bounds, width, height);
  if (fit >= TARGET_SCALE) return centred(bounds, width, height, Math.min(fit, MAX_SCALE));
  const scale = TARGET_SCALE;
  return clampView(
    { scale, ox: width / 2 - seatsCentreX * scale, oy: MARGIN - bounds.minY * scale },
    bounds,
    width,
    height,
  );
}

/** The whole map in view (however small its seats get). */
export function fitView(bounds, width, height) {
  return centred(bounds, width, height, Math.min(fitScale(bounds, width, height), MAX_SCALE));
}

/** The smallest zoom: the whole map in view, or the current fit if that is closer. */
export function minScale(bounds, width, height) {
  return Math.min(fitScale(bounds, width, height), TARGET_SCALE);
}

function fitScale(bounds, width, height) {
  const w = bounds.maxX - bounds.minX;
  const h = bounds.maxY - bounds.minY;
  return Math.max(0.5, Math.min((width - 2 * SIDE_MARGIN) / w, (height - 2 * MARGIN) / h));
}

function centred(bounds, width, height, scale) {
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  return { scale, ox: width / 2 - cx * scale, oy: height / 2 - cy * scale };
}

/** Zoom by `factor` keeping the world point under screen point (px, py) where it is. */
export function zoomAt(view, factor, px, py, bounds, width, height) {
  const scale = Math.min(MAX_SCALE, Math.max(minScale(bounds, width, height), view.scale * factor));
  const wx = (px - view.ox) / view.scale;
  const wy = (py - view.oy) / view.scale;
  return clampView({ scale, ox: px - wx * scale, oy: py - wy * scale }, bounds, width, height);
}

export function panBy(view, dx, dy, bounds, width, height) {
  return clampView({ ...view, ox: view.ox + dx, oy: view.oy + dy }, bounds, width, height);
}

/** Moves the view so that world point (wx, wy) is at the centre of the screen. */
export function centreOn(view, wx, wy, bounds, width, height) {
  return clampView(
    { ...view, ox: width / 2 - wx * view.scale, oy: height / 2 - wy * view.scale },
    bounds,
    width,
    height,
  );
}

/** The smallest pan that brings the cell at (x, y) fully into view, with a seat's margin around it. */
export function revealCell(view, x, y, width, height, bounds) {
  const pad = view.scale;
  let { ox, oy } = view;
  const left = ox + x * view.scale;
  const top = oy + y * view.scale;
  if (left < pad) ox += pad - left;
  else if (left + view.scale > width - pad) ox -= left + view.scale - (width - pad);
  if (top < pad) oy += pad - top;
  else if (top + view.scale > height - pad) oy -= top + view.scale - (height - pad);
  if (ox === view.ox && oy === view.oy) return view;
  return clampView({ ...view, ox, oy }, bounds, width, height);
}

/** A map smaller than the screen stays centred; a bigger one cannot be dragged further than its edge plus a margin. */
export function clampView(view, bounds, width, height) {
  // Whole pixels: a pan then shifts the picture on the canvas by whole pixels, with nothing resampled.
  return {
    scale: view.scale,
    ox: Math.round(clampAxis(view.ox, view.scale, bounds.minX, bounds.maxX, width)),
    oy: Math.round(clampAxis(view.oy, view.scale, bounds.minY, bounds.maxY, height)),
  };
}

function clampAxis(offset, scale, min, max, size) {
  const span = (max - min) * scale;
  if (span + 2 * MARGIN <= size) return (size - span) / 2 - min * scale;
  const highest = MARGIN - min * scale;
  const lowest = size - MARGIN - max * scale;
  return Math.min(highest, Math.max(lowest, offset));
}

/** Whether the whole of `bounds` is on screen. */
export function showsAll(view, bounds, width, height) {
  const left = view.ox + bounds.minX * view.scale;
  const top = view.oy + bounds.minY * view.scale;
  const right = view.ox + bounds.maxX * view.scale;
  const bottom = view.oy + bounds.maxY * view.scale;
  return left >= 0 && top >= 0 && right <= width && bottom <= height;
}

/** World point under screen point (px, py). */
export function toWorld(view, px, py) {
  return { x: (px - view.ox) / view.scale, y: (py - view.oy) / view.scale };
}
