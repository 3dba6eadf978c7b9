// Drawing the seat map on a <canvas>: the whole visible map, one seat's cell, and the overview. Draws what it is
// given (a scene and a view); it keeps no state of its own.
//
// Why a canvas and not a DOM grid: with one element per seat, a 10,000-seat hall costs the browser 10,000 styled
// boxes to lay out, hit-test and repaint, and every click or key press paid for that (272–296 ms to paint a click,
// 12 fps idle). A canvas draws only the seats in view, batched by colour, and a change repaints one seat's cell. The
// page keeps the accessible part in the DOM instead: one focusable map with the active seat's label, the panels,
// and a live region (see seat-map.js).

import { MARKERS, PALETTE } from "./palette.js";
import { SEAT_SIZE } from "./seat-view.js";

const INSET = (1 - SEAT_SIZE) / 2;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/**
 * A scene: { seats (objects with wx, wy: their cell's top-left), bounds, stage: { x, y, width, height },
 * rowLabels / sectionLabels: { label, wx, wy, width? }, look(seat) → a key of PALETTE.seats, fill(seat) → colour,
 * cursor, hover: a seat or null, flashing: Set of seats }.
 */
export function drawMap(ctx, scene, view, width, height, clip = null) {
  const area = clip ?? { x: 0, y: 0, width, height };
  ctx.save();
  if (clip) {
    ctx.beginPath();
    ctx.rect(area.x, area.y, area.width, area.height);
    ctx.clip();
  }
  ctx.fillStyle = PALETTE.hall;
  ctx.fillRect(area.x, area.y, area.width, area.height);
  drawStage(ctx, scene.stage, view);
  const x0 = (area.x - view.ox) / view.scale - 1;
  const y0 = (area.y - view.oy) / view.scale - 1;
  const x1 = x0 + area.width / view.scale + 1;
  const y1 = y0 + area.height / view.scale + 1;
  // Text is the dearest thing to draw: only the labels in the area.
  const inArea = (label) => label.wx + (label.width ?? 1) >= x0 && label.wx <= x1 && label.wy >= y0 && label.wy <= y1;
  if (view.scale >= 10) drawLabels(ctx, scene, view, inArea);
  const visible = [];
  for (const seat of scene.seats) {
    if (seat.wx >= x0 && seat.wx <= x1 && seat.wy >= y0 && seat.wy <= y1) visible.push(seat);
  }
  drawSeats(ctx, scene, view, visible);
  for (const seat of [scene.hover, scene.cursor, ...scene.flashing]) {
    if (seat && seat.wx >= x0 && seat.wx <= x1 && seat.wy >= y0 && seat.wy <= y1) drawRings(ctx, scene, view, seat);
  }
  ctx.restore();
  return visible.length;
}

/**
 * The map moved by (dx, dy) CSS pixels at the same zoom: the picture already on the canvas is shifted, and only the
 * strips it uncovers are drawn. A pan frame then costs a strip of seats, not every seat in view.
 */
export function shiftMap(ctx, canvas, scene, view, width, height, dx, dy, dpr) {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = "copy";
  ctx.drawImage(canvas, Math.round(dx * dpr), Math.round(dy * dpr));
  ctx.restore();
  if (dx > 0) drawMap(ctx, scene, view, width, height, { x: 0, y: 0, width: dx + 1, height });
  if (dx < 0) drawMap(ctx, scene, view, width, height, { x: width + dx - 1, y: 0, width: 1 - dx, height });
  if (dy > 0) drawMap(ctx, scene, view, width, height, { x: 0, y: 0, width, height: dy + 1 });
  if (dy < 0) drawMap(ctx, scene, view, width, height, { x: 0, y: height + dy - 1, width, height: 1 - dy });
}

/** Repaints one seat's cell (its status, selection, cursor or hover changed); nothing else is in a seat's cell. */
export function drawSeatCell(ctx, scene, view, seat) {
  const x = view.ox + seat.wx * view.scale;
  const y = view.oy + seat.wy * view.scale;
  ctx.fillStyle = PALETTE.hall;
  ctx.fillRect(x - 0.5, y - 0.5, view.scale + 1, view.scale + 1);
  drawSeats(ctx, scene, view, [seat]);
  drawRings(ctx, scene, view, seat);
}

function drawSeats(ctx, scene, view, seats) {
  const size = SEAT_SIZE * view.scale;
  const radius = size >= 10 ? size * 0.2 : 0;
  const byFill = new Map();
  const byOutline = new Map();
  const byLook = new Map();
  for (const seat of seats) {
    const look = scene.look(seat);
    const style = PALETTE.seats[look];
    push(byFill, look === "AVAILABLE" ? scene.fill(seat) : style.fill, seat);
    push(byOutline, style.outline, seat);
    if (MARKERS[look]) push(byLook, look, seat);
  }
  const box = (seat) => [view.ox + (seat.wx + INSET) * view.scale, view.oy + (seat.wy + INSET) * view.scale];
  const outline = (path, seat) => {
    const [x, y] = box(seat);
    if (radius) path.roundRect(x, y, size, size, radius);
    else path.rect(x, y, size, size);
  };
  for (const [colour, group] of byFill) {
    ctx.beginPath();
    group.forEach((seat) => outline(ctx, seat));
    ctx.fillStyle = colour;
    ctx.fill();
  }
  if (size >= 3) {
    ctx.lineWidth = Math.max(1, Math.min(2, size / 12));
    for (const [colour, group] of byOutline) {
      ctx.beginPath();
      group.forEach((seat) => outline(ctx, seat));
      ctx.strokeStyle = colour;
      ctx.stroke();
    }
  }
  if (size >= 5) {
    for (const [look, group] of byLook) drawMarkers(ctx, MARKERS[look], PALETTE.seats[look].marker, group, box, size);
  }
  if (size >= 14) drawAccessibility(ctx, seats, box, size);
}

function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Status shapes: the map never tells a status by colour alone. */
function drawMarkers(ctx, shape, colour, seats, box, size) {
  ctx.beginPath();
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = Math.max(1, size / 9);
  ctx.lineCap = "round";
  for (const seat of seats) {
    const [x, y] = box(seat);
    const at = (fx, fy) => [x + fx * size, y + fy * size];
    if (shape === "check") {
      ctx.moveTo(...at(0.25, 0.52));
      ctx.lineTo(...at(0.43, 0.7));
      ctx.lineTo(...at(0.76, 0.3));
    } else if (shape === "cross") {
      ctx.moveTo(...at(0.28, 0.28));
      ctx.lineTo(...at(0.72, 0.72));
      ctx.moveTo(...at(0.72, 0.28));
      ctx.lineTo(...at(0.28, 0.72));
    } else if (shape === "stripes") {
      ctx.moveTo(...at(0.15, 0.55));
      ctx.lineTo(...at(0.55, 0.15));
      ctx.moveTo(...at(0.45, 0.85));
      ctx.lineTo(...at(0.85, 0.45));
    } else if (shape === "dash") {
      ctx.moveTo(...at(0.26, 0.5));
      ctx.lineTo(...at(0.74, 0.5));
    } else if (shape === "dot") {
      const [cx, cy] = at(0.5, 0.5);
      ctx.moveTo(cx + size * 0.18, cy);
      ctx.arc(cx, cy, size * 0.18, 0, 2 * Math.PI);
    }
  }
  if (shape === "dot") ctx.fill();
  else ctx.stroke();
}

/** A wheelchair space has a filled corner mark, its companion seat a hollow one (their labels say so in words). */
function drawAccessibility(ctx, seats, box, size) {
  ctx.lineWidth = 1.5;
  for (const seat of seats) {
    if (!seat.wheelchair && !seat.companion) continue;
    const [x, y] = box(seat);
    ctx.beginPath();
    ctx.arc(x + size * 0.8, y + size * 0.2, size * 0.14, 0, 2 * Math.PI);
    ctx.fillStyle = PALETTE.hall;
    ctx.fill();
    ctx.strokeStyle = PALETTE.focus.ring;
    if (seat.wheelchair) {
      ctx.fillStyle = PALETTE.focus.ring;
      ctx.fill();
    }
    ctx.stroke();
  }
}

/** Hover, keyboard cursor and "look here" rings, drawn in the seat's cell around the seat. */
function drawRings(ctx, scene, view, seat) {
  const x = view.ox + seat.wx * view.scale;
  const y = view.oy + seat.wy * view.scale;
  const ring = (colour, width, inset) => {
    ctx.lineWidth = width;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x + inset, y + inset, view.scale - 2 * inset, view.scale - 2 * inset);
  };
  const edge = Math.max(1, (INSET * view.scale) / 2);
  if (scene.flashing.has(seat)) ring(PALETTE.seats.HELD.outline, Math.max(2, edge), edge / 2);
  if (seat === scene.cursor && scene.showCursor) {
    ring(PALETTE.focus.halo, Math.max(3, edge + 1), edge / 2);
    ring(PALETTE.focus.ring, Math.max(2, edge), edge / 2);
  } else if (seat === scene.hover) {
    ring(PALETTE.hover, 1.5, edge / 2);
  }
}

function drawStage(ctx, stage, view) {
  const x = view.ox + stage.x * view.scale;
  const y = view.oy + stage.y * view.scale;
  const w = stage.width * view.scale;
  const h = stage.height * view.scale;
  ctx.fillStyle = PALETTE.stage.fill;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, Math.min(8, h / 3));
  ctx.fill();
  const font = Math.min(16, h * 0.55);
  if (font < 7) return;
  ctx.fillStyle = PALETTE.stage.text;
  ctx.font = `600 ${font}px ${FONT}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText("STAGE", x + w / 2, y + h / 2);
}

function drawLabels(ctx, scene, view, inArea) {
  ctx.fillStyle = PALETTE.label;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `600 ${Math.min(14, view.scale * 0.45)}px ${FONT}`;
  for (const label of scene.rowLabels.filter(inArea)) {
    ctx.fillText(label.label, view.ox + (label.wx + 0.5) * view.scale, view.oy + (label.wy + 0.5) * view.scale);
  }
  ctx.font = `700 ${Math.min(15, view.scale * 0.5)}px ${FONT}`;
  for (const label of scene.sectionLabels.filter(inArea)) {
    const cx = view.ox + (label.wx + label.width / 2) * view.scale;
    ctx.fillText(label.label.toUpperCase(), cx, view.oy + (label.wy + 0.5) * view.scale);
  }
}

/**
 * The row rail: while a row's own label (left of its first seat) is off screen, its letter is drawn at the map's left
 * edge, level with the row, so a zoomed-in buyer still knows which row is which. `rails`: { label, wx, wy } per
 * visual row.
 */
export function drawRowRail(ctx, rails, view, width, height) {
  ctx.clearRect(0, 0, width, height);
  if (view.scale < 14) return;
  const size = Math.min(14, view.scale * 0.45);
  ctx.font = `700 ${size}px ${FONT}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const rail of rails) {
    const y = view.oy + (rail.wy + 0.5) * view.scale;
    if (y < 0 || y > height || view.ox + (rail.wx + 1) * view.scale > width) continue;
    ctx.fillStyle = PALETTE.hall;
    ctx.beginPath();
    ctx.roundRect(2, y - size * 0.8, width - 4, size * 1.6, size * 0.5);
    ctx.fill();
    ctx.fillStyle = PALETTE.label;
    ctx.fillText(rail.label, width / 2, y);
  }
}

/** The overview's own view: the whole map in a `width` × `height` box. */
export function overviewView(bounds, width, height) {
  const scale = Math.min(width / (bounds.maxX - bounds.minX), height / (bounds.maxY - bounds.minY));
  const ox = (width - (bounds.maxX - bounds.minX) * scale) / 2 - bounds.minX * scale;
  const oy = (height - (bounds.maxY - bounds.minY) * scale) / 2 - bounds.minY * scale;
  return { scale, ox, oy };
}

/**
 * The overview's picture: every seat as a small square (available in its category's colour, the rest in their
 * status's outline colour). Drawn into an off-screen canvas, not on every pan: all of it once, then only the seats
 * whose status changed (`only`), each square painted over its old one.
 */
export function drawOverviewSeats(ctx, scene, own, width, height, only = null) {
  if (!only) {
    ctx.fillStyle = PALETTE.hall;
    ctx.fillRect(0, 0, width, height);
    const { stage } = scene;
    ctx.fillStyle = PALETTE.stage.fill;
    ctx.fillRect(
      own.ox + stage.x * own.scale,
      own.oy + stage.y * own.scale,
      stage.width * own.scale,
      stage.height * own.scale,
    );
  }
  const byColour = new Map();
  for (const seat of only ?? scene.seats) {
    const look = scene.look(seat);
    push(byColour, look === "AVAILABLE" ? scene.fill(seat) : PALETTE.seats[look].outline, seat);
  }
  const size = Math.max(1, own.scale * SEAT_SIZE);
  for (const [colour, seats] of byColour) {
    ctx.beginPath();
    for (const seat of seats) ctx.rect(own.ox + seat.wx * own.scale, own.oy + seat.wy * own.scale, size, size);
    ctx.fillStyle = colour;
    ctx.fill();
  }
}

/** The part of the map on screen, as a rectangle on the overview. */
export function drawOverviewWindow(ctx, own, view, mapWidth, mapHeight) {
  const k = own.scale / view.scale;
  ctx.lineWidth = 2;
  ctx.strokeStyle = PALETTE.overviewWindow;
  ctx.strokeRect(own.ox - view.ox * k, own.oy - view.oy * k, mapWidth * k, mapHeight * k);
}
