// The seat map: show header, counts, price legend, and the seats drawn on a canvas (seat-canvas.js) that zooms, pans
// and has an overview. It draws what `state` says; a seat chosen by pointer or keyboard goes to `onSeatClick` (the
// selection lives in the booking panel).
//
// The accessible surface: the map is one focusable listbox; its one option (#active-seat, aria-activedescendant)
// carries the label of the seat under the keyboard cursor ("Seat C4, available, Stalls, Premium, €45.00"). Arrow
// keys move by position, Home/End to the row's ends, Page Up/Down five rows, Ctrl+Home/End to the first/last seat,
// Enter or Space picks, + and − zoom, 0 shows the whole hall. `window.seatMap` is a read-only view for tests and the
// page benchmark: it tells, it never changes anything.

import { createCategoryLegend } from "./category-legend.js";
import { PALETTE } from "./palette.js";
import {
  drawMap,
  drawOverviewSeats,
  drawOverviewWindow,
  drawRowRail,
  drawSeatCell,
  overviewView,
  shiftMap,
} from "./seat-canvas.js";
import { attachPointerInput } from "./seat-input.js";
import { nearestSeat } from "./seat-layout.js";
import {
  centreOn,
  fitView,
  initialView,
  panBy,
  revealCell,
  SEAT_SIZE,
  showsAll,
  toWorld,
  zoomAt,
} from "./seat-view.js";
import { createMapHeader } from "./map-header.js";
import { isMine } from "./state.js";
import { statusText } from "./util.js";

const ZOOM_STEP = 1.4;
const FLASH_MS = 1600;
const HEX = /^#[0-9a-f]{6}$/i;

export function createSeatMap({ state, onSeatClick }) {
  const el = {
    viewport: document.getElementById("map-viewport"),
    map: document.getElementById("seat-map"),
    canvas: document.getElementById("seat-canvas"),
    overview: document.getElementById("seat-overview"),
    rail: document.getElementById("row-rail"),
    active: document.getElementById("active-seat"),
    info: document.getElementById("seat-info"),
    empty: document.getElementById("map-empty"),
  };
  const header = createMapHeader();
  const legend = createCategoryLegend({ state });
  const ctx = el.canvas.getContext("2d");
  const overviewCache = document.createElement("canvas");
  let scene = null;
  let view = { scale: 1, ox: 0, oy: 0 };
  let size = { width: 0, height: 0, dpr: 1 };
  let cells = new Set();
  let fullDraw = false;
  /** The view of the picture on the canvas now, and whether it must be drawn afresh (not shifted) next frame. */
  let drawnView = null;
  let redraw = false;
  let overviewDirty = false;
  /** Seats whose look changed since the overview was drawn (a pan or a hover changes nothing there). */
  let overviewSeats = new Set();
  let overviewOwn = null;
  let frame = 0;
  let firstPaint = false;
  let drawnSeats = 0;

  // ─── Building the scene ───────────────────────────────────────────────────────────────────────────────────

  /** Draws `state.seats` as `plan` (planSeatMap) places them, with the categories of `show`. */
  function renderGrid(show, plan) {
    legend.setCategories(show.categories);
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
    const fills = categoryFills();
    scene = {
      seats,
      bounds,
      stage,
      seatsCentreX,
      rowLabels,
      rails: railsOf(rowLabels),
      sectionLabels,
      index: indexCells(seats),
      look: (seat) => lookOf(seat),
      fill: (seat) => fills.get(seat.category) ?? PALETTE.seats.AVAILABLE.fill,
      cursor: null,
      hover: null,
      showCursor: false,
      flashing: new Set(),
    };
    el.empty.hidden = true;
    el.map.hidden = false;
    el.map.setAttribute("aria-busy", "false");
    measure();
    view = initialView(bounds, size.width, size.height, seatsCentreX);
    legend.countSeats();
    setCursor(null);
    overviewDirty = true;
    invalidate();
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

  function categoryFills() {
    const fills = new Map();
    for (const category of state.categories.values()) {
      if (HEX.test(category.color)) fills.set(category.key, category.color);
    }
    return fills;
  }

  /** What a seat looks like: its server status, or the local overlays "selected" and "held by you". */
  function lookOf(seat) {
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

  /** The seat whose cell holds the world point (x, y), if any. */
  function seatAt(x, y) {
    if (!scene) return null;
    for (const dx of [0, -1]) {
      for (const dy of [0, -1]) {
        const seat = scene.index.get(cellKey(Math.floor(x) + dx, Math.floor(y) + dy));
        if (seat && x >= seat.wx && x < seat.wx + 1 && y >= seat.wy && y < seat.wy + 1) return seat;
      }
    }
    return null;
  }

  // ─── Drawing: on demand, at most once a frame ─────────────────────────────────────────────────────────────

  function invalidate() {
    fullDraw = true;
    redraw = true;
    schedule();
  }

  function invalidateSeat(seat) {
    cells.add(seat);
    schedule();
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    if (!scene) return;
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    const shift = drawnView && !redraw && view.scale === drawnView.scale;
    const dx = shift ? view.ox - drawnView.ox : 0;
    const dy = shift ? view.oy - drawnView.oy : 0;
    if (fullDraw && shift && Math.abs(dx) < size.width / 2 && Math.abs(dy) < size.height / 2) {
      shiftMap(ctx, el.canvas, scene, view, size.width, size.height, dx, dy, size.dpr);
      for (const seat of cells) drawSeatCell(ctx, scene, view, seat);
    } else if (fullDraw) {
      drawnSeats = drawMap(ctx, scene, view, size.width, size.height);
      if (!firstPaint) {
        firstPaint = true;
        performance.mark("seat-map-drawn");
      }
    } else {
      for (const seat of cells) drawSeatCell(ctx, scene, view, seat);
    }
    if (fullDraw) drawRail();
    drawnView = view;
    redraw = false;
    fullDraw = false;
    cells = new Set();
    // Drawing every seat into the overview waits for the next frame, so the map itself is on screen first.
    if (overviewDirty) requestAnimationFrame(() => scene && drawOverview());
    else drawOverview();
  }

  function drawRail() {
    const width = el.rail.clientWidth;
    if (el.rail.width !== Math.round(width * size.dpr) || el.rail.height !== Math.round(size.height * size.dpr)) {
      el.rail.width = Math.round(width * size.dpr);
      el.rail.height = Math.round(size.height * size.dpr);
    }
    const rctx = el.rail.getContext("2d");
    rctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    drawRowRail(rctx, scene.rails, view, width, size.height);
  }

  function drawOverview() {
    // With the whole hall in view an overview would only cover some of it.
    el.overview.hidden = showsAll(view, scene.bounds, size.width, size.height);
    if (el.overview.hidden) return;
    const width = el.overview.clientWidth;
    const height = el.overview.clientHeight;
    if (!width || !height) return;
    const dpr = size.dpr;
    if (el.overview.width !== Math.round(width * dpr)) {
      el.overview.width = overviewCache.width = Math.round(width * dpr);
      el.overview.height = overviewCache.height = Math.round(height * dpr);
      overviewDirty = true;
    }
    overviewOwn = overviewView(scene.bounds, width, height);
    const octx = el.overview.getContext("2d");
    if (overviewDirty || overviewSeats.size) {
      const cctx = overviewCache.getContext("2d");
      cctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawOverviewSeats(cctx, scene, overviewOwn, width, height, overviewDirty ? null : overviewSeats);
      overviewDirty = false;
      overviewSeats = new Set();
    }
    octx.setTransform(1, 0, 0, 1, 0, 0);
    octx.drawImage(overviewCache, 0, 0);
    octx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOverviewWindow(octx, overviewOwn, view, size.width, size.height);
  }

  function measure() {
    const width = el.map.clientWidth;
    const height = el.map.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (width === size.width && height === size.height && dpr === size.dpr) return false;
    size = { width, height, dpr };
    el.canvas.width = Math.round(width * dpr);
    el.canvas.height = Math.round(height * dpr);
    return true;
  }

  function setView(next) {
    if (next.scale === view.scale && next.ox === view.ox && next.oy === view.oy) return;
    redraw ||= next.scale !== view.scale;
    view = next;
    fullDraw = true;
    schedule();
  }

  // ─── The keyboard cursor and its label ────────────────────────────────────────────────────────────────────

  /** Section, category, price and accessibility of a seat, for its label. */
  function seatDetails(seat) {
    const category = state.categories.get(seat.category);
    const details = [seat.sectionLabel, category?.label ?? seat.category];
    if (category?.priceText) details.push(category.priceText);
    if (seat.wheelchair) details.push("wheelchair space");
    if (seat.companion) details.push("companion seat, held with a wheelchair space");
    return details;
  }

  function describe(seat) {
    const look = lookOf(seat);
    return look === "SELECTED" ? "selected" : look === "MINE" ? "held by you" : statusText(seat.status);
  }

  function labelOf(seat) {
    return [`Seat ${seat.seatNumber}`, describe(seat), ...seatDetails(seat)].join(", ");
  }

  function setCursor(seat, { reveal = false } = {}) {
    const previous = scene?.cursor;
    if (scene) scene.cursor = seat;
    if (previous && previous !== seat) invalidateSeat(previous);
    if (seat) {
      if (reveal) setView(revealCell(view, seat.wx, seat.wy, size.width, size.height, scene.bounds));
      invalidateSeat(seat);
    }
    renderActive();
  }

  function renderActive() {
    const seat = scene?.cursor;
    el.active.textContent = seat ? labelOf(seat) : "No seat chosen: use the arrow keys.";
    el.active.setAttribute("aria-selected", String(Boolean(seat && state.selected.has(seat.seatNumber))));
    el.active.dataset.seat = seat?.seatNumber ?? "";
    el.active.dataset.status = seat?.status ?? "";
    renderInfo();
  }

  /** The seat under the mouse, else the keyboard's: shown in words under the map. */
  function renderInfo() {
    const seat = scene?.hover ?? scene?.cursor;
    el.info.textContent = seat ? [seat.seatNumber, describe(seat), ...seatDetails(seat)].join(" · ") : "\u00a0";
  }

  /** The seat the keyboard starts from: the available seat nearest the middle of the view. */
  function startingSeat() {
    const centre = toWorld(view, size.width / 2, size.height / 2);
    let best = null;
    let bestDistance = Infinity;
    for (const seat of scene.seats) {
      const distance =
        (seat.wx + 0.5 - centre.x) ** 2 + (seat.wy + 0.5 - centre.y) ** 2 + (seat.status === "AVAILABLE" ? 0 : 4);
      if (distance < bestDistance) {
        best = seat;
        bestDistance = distance;
      }
    }
    return best;
  }

  function onKey(event) {
    if (!scene) return;
    scene.showCursor = true;
    const cursor = scene.cursor ?? startingSeat();
    let next = null;
    if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(event.key)) {
      next = nearestSeat(scene.seats, cursor, event.key) ?? cursor;
    } else if (event.key === "Home" || event.key === "End") {
      if (event.ctrlKey || event.metaKey) next = event.key === "Home" ? scene.seats[0] : scene.seats.at(-1);
      else next = nearestSeat(scene.seats, cursor, event.key) ?? cursor;
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      next = cursor;
      for (let i = 0; i < 5; i++)
        next = nearestSeat(scene.seats, next, event.key === "PageUp" ? "ArrowUp" : "ArrowDown") ?? next;
    } else if (event.key === "Enter" || event.key === " ") {
      setCursor(cursor);
      onSeatClick(cursor.seatNumber);
    } else if (event.key === "+" || event.key === "=") {
      zoomBy(ZOOM_STEP);
    } else if (event.key === "-" || event.key === "_") {
      zoomBy(1 / ZOOM_STEP);
    } else if (event.key === "0") {
      setView(fitView(scene.bounds, size.width, size.height));
    } else {
      return;
    }
    event.preventDefault();
    if (next) setCursor(next, { reveal: true });
  }

  function zoomBy(factor, x = size.width / 2, y = size.height / 2) {
    if (scene) setView(zoomAt(view, factor, x, y, scene.bounds, size.width, size.height));
  }

  // ─── Redrawing after changes (called by live.js and the booking panel) ───────────────────────────────────

  /** One seat's status, selection or "mine" changed. */
  function renderSeat(seat) {
    if (seat.countedStatus !== undefined && seat.countedStatus !== seat.status) {
      legend.seatStatusChanged(seat, seat.countedStatus, seat.status);
      seat.countedStatus = seat.status;
    }
    if (!scene || seat.wx === undefined) return;
    invalidateSeat(seat);
    overviewSeats.add(seat);
    if (seat === scene.cursor || seat === scene.hover) renderActive();
  }

  function renderAllSeats() {
    if (!scene) return;
    overviewDirty = true;
    invalidate();
    renderActive();
  }

  function flashSeats(seatNumbers = []) {
    if (!scene) return;
    const seats = seatNumbers.map((n) => state.seats.get(n)).filter((seat) => seat?.wx !== undefined);
    seats.forEach((seat) => scene.flashing.add(seat));
    seats.forEach(invalidateSeat);
    setTimeout(() => {
      seats.forEach((seat) => scene?.flashing.delete(seat));
      seats.forEach(invalidateSeat);
    }, FLASH_MS);
  }

  function renderEmpty(text) {
    state.seats = new Map();
    scene = null;
    legend.clear();
    header.clear();
    el.map.hidden = true;
    el.rail.getContext("2d").clearRect(0, 0, el.rail.width, el.rail.height);
    el.empty.hidden = false;
    el.empty.textContent = text;
    ctx.clearRect(0, 0, el.canvas.width, el.canvas.height);
  }

  function setLoading(loading) {
    el.map.setAttribute("aria-busy", String(loading));
  }

  function focus() {
    el.map.focus();
  }

  // ─── Events ───────────────────────────────────────────────────────────────────────────────────────────────

  attachPointerInput(el.map, {
    onTap: (x, y) => {
      const world = toWorld(view, x, y);
      const seat = seatAt(world.x, world.y);
      if (!seat) return;
      setCursor(seat);
      onSeatClick(seat.seatNumber);
    },
    onPan: (dx, dy) => scene && setView(panBy(view, dx, dy, scene.bounds, size.width, size.height)),
    onZoom: (factor, x, y) => zoomBy(factor, x, y),
    onHover: (x, y) => {
      if (!scene) return;
      const world = x === null ? null : toWorld(view, x, y);
      const seat = world ? seatAt(world.x, world.y) : null;
      if (seat === scene.hover) return;
      const previous = scene.hover;
      scene.hover = seat;
      if (previous) invalidateSeat(previous);
      if (seat) invalidateSeat(seat);
      el.map.style.cursor = seat ? "pointer" : "";
      renderInfo();
    },
  });
  el.map.addEventListener("keydown", onKey);
  el.map.addEventListener("focus", () => {
    // A click focuses the map too: the seat cursor (and its ring) is for the keyboard, and a click sets it anyway.
    if (!scene || !el.map.matches(":focus-visible")) return;
    scene.showCursor = true;
    setCursor(scene.cursor ?? startingSeat(), { reveal: true });
  });
  el.map.addEventListener("blur", () => {
    if (!scene) return;
    scene.showCursor = false;
    if (scene.cursor) invalidateSeat(scene.cursor);
  });
  document.getElementById("zoom-in").addEventListener("click", () => zoomBy(ZOOM_STEP));
  document.getElementById("zoom-out").addEventListener("click", () => zoomBy(1 / ZOOM_STEP));
  document.getElementById("zoom-fit").addEventListener("click", () => {
    if (scene) setView(fitView(scene.bounds, size.width, size.height));
  });
  attachPointerInput(el.overview, {
    onTap: (x, y) => overviewOwn && moveTo(x, y),
    onPan: () => {},
    onZoom: () => {},
    onHover: () => {},
  });
  function moveTo(x, y) {
    const wx = (x - overviewOwn.ox) / overviewOwn.scale;
    const wy = (y - overviewOwn.oy) / overviewOwn.scale;
    setView(centreOn(view, wx, wy, scene.bounds, size.width, size.height));
  }
  new ResizeObserver(() => {
    if (scene && measure()) {
      setView(panBy(view, 0, 0, scene.bounds, size.width, size.height));
      invalidate();
    }
  }).observe(el.map);

  window.seatMap = Object.freeze({
    /** A seat as the map shows it, with its box on screen (CSS pixels, client coordinates), or null. */
    seat(seatNumber) {
      const seat = state.seats.get(seatNumber);
      if (!seat || !scene) return null;
      const rect = el.canvas.getBoundingClientRect();
      const box = screenBox(rect, seat.wx + (1 - SEAT_SIZE) / 2, seat.wy + (1 - SEAT_SIZE) / 2, SEAT_SIZE, SEAT_SIZE);
      // On screen and not under anything else (the zoom buttons, the overview, a phone's cart).
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      const inside =
        box.x >= rect.left && box.y >= rect.top && box.x + box.width <= rect.right && box.y + box.height <= rect.bottom;
      const inView = inside && document.elementFromPoint(cx, cy) === el.canvas;
      return {
        seatNumber,
        status: seat.status,
        look: lookOf(seat),
        fill: lookOf(seat) === "AVAILABLE" ? scene.fill(seat) : PALETTE.seats[lookOf(seat)].fill,
        label: labelOf(seat),
        version: seat.version === null ? null : String(seat.version),
        flashing: scene.flashing.has(seat),
        box,
        inView,
      };
    },
    /** The map as drawn: seats, seats drawn in the last full draw, the zoom, the stage and the seats' extent. */
    stats() {
      if (!scene) return null;
      const rect = el.canvas.getBoundingClientRect();
      const b = scene.bounds;
      const seatYs = range(scene.seats.map((seat) => seat.wy));
      const seatXs = range(scene.seats.map((seat) => seat.wx));
      const statuses = { AVAILABLE: 0, HELD: 0, BOOKED: 0, BLOCKED: 0 };
      scene.seats.forEach((seat) => statuses[seat.status]++);
      return {
        seats: scene.seats.length,
        statuses,
        drawnSeats,
        scale: view.scale,
        seatPixels: view.scale * SEAT_SIZE,
        stage: screenBox(rect, scene.stage.x, scene.stage.y, scene.stage.width, scene.stage.height),
        seatExtent: screenBox(rect, seatXs.min, seatYs.min, seatXs.max + 1 - seatXs.min, seatYs.max + 1 - seatYs.min),
        hall: screenBox(rect, b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY),
        sectionLabels: scene.sectionLabels.map((l) => ({
          label: l.label,
          box: screenBox(rect, l.wx, l.wy, l.width, 1),
        })),
        map: { x: rect.left, y: rect.top, width: rect.width, height: rect.height },
      };
    },
  });

  function screenBox(rect, x, y, width, height) {
    return {
      x: rect.left + view.ox + x * view.scale,
      y: rect.top + view.oy + y * view.scale,
      width: width * view.scale,
      height: height * view.scale,
    };
  }

  return {
    setLoading,
    setCounts: header.setCounts,
    renderShowHeader: header.renderShowHeader,
    renderEmpty,
    renderGrid,
    renderSeat,
    renderAllSeats,
    flashSeats,
    focus,
  };
}

/** Smallest and largest of `values` (a loop: spreading 100,000 values into Math.min overflows the stack). */
function range(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
