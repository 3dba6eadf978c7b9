// `window.seatMap`: a read-only view of the canvas seat map for tests and the page benchmark, which cannot read seats
// off a canvas. It tells what the map shows and where; it never changes anything.

import { PALETTE } from "./palette.js";
import { seatLabel } from "./seat-cursor.js";
import { lookOf, range } from "./seat-scene.js";
import { SEAT_SIZE } from "./seat-view.js";

/** `viewport`: the map's (createMapViewport); `canvas`: the map's canvas, whose place on the page boxes are in. */
export function installSeatMapHook({ state, viewport, canvas }) {
  window.seatMap = Object.freeze({
    /** A seat as the map shows it, with its box on screen (CSS pixels, client coordinates), or null. */
    seat(seatNumber) {
      const seat = state.seats.get(seatNumber);
      const scene = viewport.scene;
      if (!seat || !scene) return null;
      const rect = canvas.getBoundingClientRect();
      const box = screenBox(rect, seat.wx + (1 - SEAT_SIZE) / 2, seat.wy + (1 - SEAT_SIZE) / 2, SEAT_SIZE, SEAT_SIZE);
      // On screen and not under anything else (the zoom buttons, the overview, a phone's cart).
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      const inside =
        box.x >= rect.left && box.y >= rect.top && box.x + box.width <= rect.right && box.y + box.height <= rect.bottom;
      const inView = inside && document.elementFromPoint(cx, cy) === canvas;
      const look = lookOf(state, seat);
      return {
        seatNumber,
        status: seat.status,
        look,
        fill: look === "AVAILABLE" ? scene.fill(seat) : PALETTE.seats[look].fill,
        label: seatLabel(state, seat),
        version: seat.version === null ? null : String(seat.version),
        flashing: scene.flashing.has(seat),
        box,
        inView,
      };
    },
    /** The map as drawn: seats, seats drawn in the last full draw, the zoom, the stage and the seats' extent. */
    stats() {
      const { scene, view } = viewport;
      if (!scene) return null;
      const rect = canvas.getBoundingClientRect();
      const b = scene.bounds;
      const seatYs = range(scene.seats.map((seat) => seat.wy));
      const seatXs = range(scene.seats.map((seat) => seat.wx));
      const statuses = { AVAILABLE: 0, HELD: 0, BOOKED: 0, BLOCKED: 0 };
      scene.seats.forEach((seat) => statuses[seat.status]++);
      return {
        seats: scene.seats.length,
        statuses,
        drawnSeats: viewport.drawnSeats,
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

  /** The world box (x, y, width, height) on screen, in client coordinates, given the canvas's `rect`. */
  function screenBox(rect, x, y, width, height) {
    const view = viewport.view;
    return {
      x: rect.left + view.ox + x * view.scale,
      y: rect.top + view.oy + y * view.scale,
      width: width * view.scale,
      height: height * view.scale,
    };
  }
}
