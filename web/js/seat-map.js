// The seat map: show header, counts, price legend, and the seats drawn on a canvas that zooms, pans and has an
// overview. It draws what `state` says; a seat chosen by pointer or keyboard goes to `onSeatClick` (the selection
// lives in the booking panel). This module puts the map's parts together and is what the rest of the page calls:
//   seat-scene.js     the scene: where each seat, label and the stage are, and which seat a point is on
//   map-viewport.js   the scene on screen: zoom, pan and drawing at most once a frame (seat-canvas.js draws)
//   map-overview.js   the small whole hall in the corner, and moving there by a click
//   seat-cursor.js    the keyboard's seat cursor, the mouse's hover seat, and their labels (the accessible surface)
//   seat-map-hook.js  `window.seatMap`, the read-only view of the map for tests and the page benchmark

import { createCategoryLegend } from "./category-legend.js";
import { createMapHeader } from "./map-header.js";
import { createMapOverview } from "./map-overview.js";
import { createMapViewport } from "./map-viewport.js";
import { createSeatCursor } from "./seat-cursor.js";
import { attachPointerInput } from "./seat-input.js";
import { installSeatMapHook } from "./seat-map-hook.js";
import { buildScene } from "./seat-scene.js";

/** How long refused seats flash after a failed hold. */
const FLASH_MS = 1600;

export function createSeatMap({ state, onSeatClick }) {
  const el = {
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
  // The viewport tells the overview after each frame it draws, and it draws nothing until renderGrid gives it a scene.
  const viewport = createMapViewport({
    map: el.map,
    canvas: el.canvas,
    rail: el.rail,
    onDrawn: () => overview.mapDrawn(),
  });
  const overview = createMapOverview({ canvas: el.overview, viewport });
  const cursor = createSeatCursor({ state, viewport, map: el.map, active: el.active, info: el.info, onSeatClick });

  /** Draws `state.seats` as `plan` (planSeatMap) places them, with the categories of `show`. */
  function renderGrid(show, plan) {
    legend.setCategories(show.categories);
    const scene = buildScene(state, plan);
    el.empty.hidden = true;
    el.map.hidden = false;
    el.map.setAttribute("aria-busy", "false");
    viewport.showScene(scene);
    legend.countSeats();
    cursor.setCursor(null);
    overview.redrawAll();
    viewport.invalidate();
  }

  // ─── Redrawing after changes (called by live.js and the booking panel) ───────────────────────────────────

  /** One seat's status, selection or "mine" changed. */
  function renderSeat(seat) {
    if (seat.countedStatus !== undefined && seat.countedStatus !== seat.status) {
      legend.seatStatusChanged(seat, seat.countedStatus, seat.status);
      seat.countedStatus = seat.status;
    }
    const scene = viewport.scene;
    if (!scene || seat.wx === undefined) return;
    viewport.invalidateSeat(seat);
    overview.seatChanged(seat);
    if (seat === scene.cursor || seat === scene.hover) cursor.renderActive();
  }

  function renderAllSeats() {
    if (!viewport.scene) return;
    overview.redrawAll();
    viewport.invalidate();
    cursor.renderActive();
  }

  /** The seats a refusal names blink for a moment, so the eye finds them on a large map. */
  function flashSeats(seatNumbers = []) {
    const scene = viewport.scene;
    if (!scene) return;
    const seats = seatNumbers.map((n) => state.seats.get(n)).filter((seat) => seat?.wx !== undefined);
    seats.forEach((seat) => scene.flashing.add(seat));
    seats.forEach(viewport.invalidateSeat);
    setTimeout(() => {
      seats.forEach((seat) => viewport.scene?.flashing.delete(seat));
      seats.forEach(viewport.invalidateSeat);
    }, FLASH_MS);
  }

  function renderEmpty(text) {
    state.seats = new Map();
    viewport.clear();
    legend.clear();
    header.clear();
    el.map.hidden = true;
    el.empty.hidden = false;
    el.empty.textContent = text;
  }

  function setLoading(loading) {
    el.map.setAttribute("aria-busy", String(loading));
  }

  function focus() {
    el.map.focus();
  }

  // ─── Pointer and zoom buttons (the keyboard is seat-cursor.js's) ─────────────────────────────────────────

  attachPointerInput(el.map, {
    onTap: (x, y) => {
      const seat = viewport.seatUnder(x, y);
      if (seat) cursor.pick(seat);
    },
    onPan: (dx, dy) => viewport.pan(dx, dy),
    onZoom: (factor, x, y) => viewport.zoomBy(factor, x, y),
    onHover: (x, y) => {
      if (viewport.scene) cursor.setHover(x === null ? null : viewport.seatUnder(x, y));
    },
  });
  document.getElementById("zoom-in").addEventListener("click", () => viewport.zoomIn());
  document.getElementById("zoom-out").addEventListener("click", () => viewport.zoomOut());
  document.getElementById("zoom-fit").addEventListener("click", () => viewport.showWholeHall());

  installSeatMapHook({ state, viewport, canvas: el.canvas });

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
