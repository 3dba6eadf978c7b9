// The overview in the map's corner: the whole hall small, with a frame round the part the map shows; a click there
// moves the map to that place. Hidden while the map shows the whole hall anyway.
//
// Its seats are drawn into an offscreen canvas and only the seats whose look changed are redrawn there: a pan or a
// hover changes nothing but the frame, which is drawn over a copy of it.

import { drawOverviewSeats, drawOverviewWindow, overviewView } from "./seat-canvas.js";
import { attachPointerInput } from "./seat-input.js";
import { showsAll } from "./seat-view.js";

/** `viewport`: the map's (createMapViewport), whose scene, view and size the overview follows. */
export function createMapOverview({ canvas, viewport }) {
  const cache = document.createElement("canvas");
  /** Whether every seat must be drawn afresh (another scene, another size, or every seat's look may have changed). */
  let dirty = false;
  /** Seats whose look changed since the overview was drawn. */
  let changedSeats = new Set();
  /** The overview's own view of the hall (overviewView), as last drawn: a click is read through it. */
  let own = null;

  /** After each frame of the map. */
  function mapDrawn() {
    // Drawing every seat into the overview waits for the next frame, so the map itself is on screen first.
    if (dirty) requestAnimationFrame(() => viewport.scene && draw());
    else draw();
  }

  function draw() {
    const { scene, view, size } = viewport;
    // With the whole hall in view an overview would only cover some of it.
    canvas.hidden = showsAll(view, scene.bounds, size.width, size.height);
    if (canvas.hidden) return;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    const dpr = size.dpr;
    if (canvas.width !== Math.round(width * dpr)) {
      canvas.width = cache.width = Math.round(width * dpr);
      canvas.height = cache.height = Math.round(height * dpr);
      dirty = true;
    }
    own = overviewView(scene.bounds, width, height);
    const octx = canvas.getContext("2d");
    if (dirty || changedSeats.size) {
      const cctx = cache.getContext("2d");
      cctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawOverviewSeats(cctx, scene, own, width, height, dirty ? null : changedSeats);
      dirty = false;
      changedSeats = new Set();
    }
    octx.setTransform(1, 0, 0, 1, 0, 0);
    octx.drawImage(cache, 0, 0);
    octx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOverviewWindow(octx, own, view, size.width, size.height);
  }

  /** Centres the map on the overview's point (x, y). */
  function moveTo(x, y) {
    const wx = (x - own.ox) / own.scale;
    const wy = (y - own.oy) / own.scale;
    viewport.moveTo(wx, wy);
  }

  attachPointerInput(canvas, {
    onTap: (x, y) => own && moveTo(x, y),
    onPan: () => {},
    onZoom: () => {},
    onHover: () => {},
  });

  return {
    mapDrawn,
    /** Every seat is drawn afresh after the map's next frame. */
    redrawAll() {
      dirty = true;
    },
    /** `seat`'s look changed: it is drawn afresh after the map's next frame. */
    seatChanged(seat) {
      changedSeats.add(seat);
    },
  };
}
