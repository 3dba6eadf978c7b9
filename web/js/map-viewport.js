// The seat map's viewport: the scene on screen, its zoom and pan (`view`), the canvas's size, and the drawing that
// follows from them. Drawing is on demand and at most once a frame, and no more than changed: only the seats whose
// look changed, or the picture shifted when only the pan did. The row rail beside the map is drawn with the map; the
// overview, which needs the map on screen first, is told after each frame (`onDrawn`).

import { drawMap, drawRowRail, drawSeatCell, shiftMap } from "./seat-canvas.js";
import { seatAt } from "./seat-scene.js";
import { centreOn, fitView, initialView, panBy, revealCell, toWorld, zoomAt } from "./seat-view.js";

/** What one press of + or − (a key or a zoom button) zooms by. */
const ZOOM_STEP = 1.4;

export function createMapViewport({ map, canvas, rail, onDrawn }) {
  const ctx = canvas.getContext("2d");
  let scene = null;
  let view = { scale: 1, ox: 0, oy: 0 };
  let size = { width: 0, height: 0, dpr: 1 };
  let cells = new Set();
  let fullDraw = false;
  /** The view of the picture on the canvas now, and whether it must be drawn afresh (not shifted) next frame. */
  let drawnView = null;
  let redraw = false;
  let frame = 0;
  let firstPaint = false;
  let drawnSeats = 0;

  /** Shows `next` (buildScene) at its initial view. The map must be visible already: it is measured here. */
  function showScene(next) {
    scene = next;
    measure();
    view = initialView(scene.bounds, size.width, size.height, scene.seatsCentreX);
  }

  /** No scene: the map and its rail are blank. */
  function clear() {
    scene = null;
    rail.getContext("2d").clearRect(0, 0, rail.width, rail.height);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
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
      shiftMap(ctx, canvas, scene, view, size.width, size.height, dx, dy, size.dpr);
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
    onDrawn();
  }

  function drawRail() {
    const width = rail.clientWidth;
    if (rail.width !== Math.round(width * size.dpr) || rail.height !== Math.round(size.height * size.dpr)) {
      rail.width = Math.round(width * size.dpr);
      rail.height = Math.round(size.height * size.dpr);
    }
    const rctx = rail.getContext("2d");
    rctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    drawRowRail(rctx, scene.rails, view, width, size.height);
  }

  function measure() {
    const width = map.clientWidth;
    const height = map.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (width === size.width && height === size.height && dpr === size.dpr) return false;
    size = { width, height, dpr };
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    return true;
  }

  // ─── Zoom and pan ─────────────────────────────────────────────────────────────────────────────────────────

  function setView(next) {
    if (next.scale === view.scale && next.ox === view.ox && next.oy === view.oy) return;
    redraw ||= next.scale !== view.scale;
    view = next;
    fullDraw = true;
    schedule();
  }

  /** Zooms about the point (x, y) of the map, its middle unless given. */
  function zoomBy(factor, x = size.width / 2, y = size.height / 2) {
    if (scene) setView(zoomAt(view, factor, x, y, scene.bounds, size.width, size.height));
  }

  function showWholeHall() {
    if (scene) setView(fitView(scene.bounds, size.width, size.height));
  }

  function pan(dx, dy) {
    if (scene) setView(panBy(view, dx, dy, scene.bounds, size.width, size.height));
  }

  /** Pans just enough to bring `seat` into view. */
  function reveal(seat) {
    setView(revealCell(view, seat.wx, seat.wy, size.width, size.height, scene.bounds));
  }

  /** Centres the world point (wx, wy), as far as the hall's bounds allow. */
  function moveTo(wx, wy) {
    setView(centreOn(view, wx, wy, scene.bounds, size.width, size.height));
  }

  /** The seat under the point (x, y) of the map (CSS pixels), if any. */
  function seatUnder(x, y) {
    const world = toWorld(view, x, y);
    return seatAt(scene, world.x, world.y);
  }

  new ResizeObserver(() => {
    if (scene && measure()) {
      // The same view, kept inside the hall's bounds for the new size, and drawn afresh.
      setView(panBy(view, 0, 0, scene.bounds, size.width, size.height));
      invalidate();
    }
  }).observe(map);

  return {
    get scene() {
      return scene;
    },
    get view() {
      return view;
    },
    get size() {
      return size;
    },
    /** Seats drawn by the last full draw: those in view (window.seatMap.stats() tells it). */
    get drawnSeats() {
      return drawnSeats;
    },
    showScene,
    clear,
    invalidate,
    invalidateSeat,
    zoomIn: () => zoomBy(ZOOM_STEP),
    zoomOut: () => zoomBy(1 / ZOOM_STEP),
    zoomBy,
    showWholeHall,
    pan,
    reveal,
    moveTo,
    seatUnder,
  };
}
