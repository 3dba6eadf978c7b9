// The seat the user is on: the keyboard's seat cursor and the mouse's hover seat, and what the page says about them.
//
// The accessible surface: the map is one focusable listbox; its one option (#active-seat, aria-activedescendant)
// carries the label of the seat under the keyboard cursor ("Seat C4, available, Stalls, Premium, €45.00"). Arrow
// keys move by position, Home/End to the row's ends, Page Up/Down five rows, Ctrl+Home/End to the first/last seat,
// Enter or Space picks, + and − zoom, 0 shows the whole hall. The line under the map (#seat-info, hidden from
// screen readers, which have the option) says the same of the seat under the mouse, else the keyboard's.

import { nearestSeat } from "./seat-layout.js";
import { lookOf } from "./seat-scene.js";
import { toWorld } from "./seat-view.js";
import { statusText } from "./util.js";

/** How many rows Page Up and Page Down move. */
const PAGE_ROWS = 5;

/** The seat as the map's option reads it: "Seat C4, available, Stalls, Premium, €45.00". */
export function seatLabel(state, seat) {
  return [`Seat ${seat.seatNumber}`, describe(state, seat), ...seatDetails(state, seat)].join(", ");
}

/** The seat in the line under the map: "C4 · available · Stalls · Premium · €45.00". */
function seatSummary(state, seat) {
  return [seat.seatNumber, describe(state, seat), ...seatDetails(state, seat)].join(" · ");
}

function describe(state, seat) {
  const look = lookOf(state, seat);
  return look === "SELECTED" ? "selected" : look === "MINE" ? "held by you" : statusText(seat.status);
}

/** Section, category, price and accessibility of a seat, for its label. */
function seatDetails(state, seat) {
  const category = state.categories.get(seat.category);
  const details = [seat.sectionLabel, category?.label ?? seat.category];
  if (category?.priceText) details.push(category.priceText);
  if (seat.wheelchair) details.push("wheelchair space");
  if (seat.companion) details.push("companion seat, held with a wheelchair space");
  return details;
}

/**
 * `viewport`: the map's (createMapViewport), whose scene keeps the cursor and hover seats. `map` is the focusable
 * listbox, `active` its option, `info` the line under the map; a seat picked by key or pointer goes to `onSeatClick`.
 */
export function createSeatCursor({ state, viewport, map, active, info, onSeatClick }) {
  function setCursor(seat, { reveal = false } = {}) {
    const scene = viewport.scene;
    const previous = scene?.cursor;
    if (scene) scene.cursor = seat;
    if (previous && previous !== seat) viewport.invalidateSeat(previous);
    if (seat) {
      if (reveal) viewport.reveal(seat);
      viewport.invalidateSeat(seat);
    }
    renderActive();
  }

  /** A seat chosen by pointer or keyboard: the cursor moves there, and the seat goes to `onSeatClick`. */
  function pick(seat) {
    setCursor(seat);
    onSeatClick(seat.seatNumber);
  }

  function renderActive() {
    const seat = viewport.scene?.cursor;
    active.textContent = seat ? seatLabel(state, seat) : "No seat chosen: use the arrow keys.";
    active.setAttribute("aria-selected", String(Boolean(seat && state.selected.has(seat.seatNumber))));
    active.dataset.seat = seat?.seatNumber ?? "";
    active.dataset.status = seat?.status ?? "";
    renderInfo();
  }

  /** The seat under the mouse, else the keyboard's: shown in words under the map. */
  function renderInfo() {
    const seat = viewport.scene?.hover ?? viewport.scene?.cursor;
    info.textContent = seat ? seatSummary(state, seat) : "\u00a0";
  }

  /** The seat under the mouse now, or null when it is over no seat or has left the map. */
  function setHover(seat) {
    const scene = viewport.scene;
    if (seat === scene.hover) return;
    const previous = scene.hover;
    scene.hover = seat;
    if (previous) viewport.invalidateSeat(previous);
    if (seat) viewport.invalidateSeat(seat);
    map.style.cursor = seat ? "pointer" : "";
    renderInfo();
  }

  /** The seat the keyboard starts from: the available seat nearest the middle of the view. */
  function startingSeat() {
    const { scene, view, size } = viewport;
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
    const scene = viewport.scene;
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
      for (let i = 0; i < PAGE_ROWS; i++)
        next = nearestSeat(scene.seats, next, event.key === "PageUp" ? "ArrowUp" : "ArrowDown") ?? next;
    } else if (event.key === "Enter" || event.key === " ") {
      pick(cursor);
    } else if (event.key === "+" || event.key === "=") {
      viewport.zoomIn();
    } else if (event.key === "-" || event.key === "_") {
      viewport.zoomOut();
    } else if (event.key === "0") {
      viewport.showWholeHall();
    } else {
      return;
    }
    event.preventDefault();
    if (next) setCursor(next, { reveal: true });
  }

  map.addEventListener("keydown", onKey);
  map.addEventListener("focus", () => {
    // A click focuses the map too: the seat cursor (and its ring) is for the keyboard, and a click sets it anyway.
    const scene = viewport.scene;
    if (!scene || !map.matches(":focus-visible")) return;
    scene.showCursor = true;
    setCursor(scene.cursor ?? startingSeat(), { reveal: true });
  });
  map.addEventListener("blur", () => {
    const scene = viewport.scene;
    if (!scene) return;
    scene.showCursor = false;
    if (scene.cursor) viewport.invalidateSeat(scene.cursor);
  });

  return { setCursor, pick, setHover, renderActive };
}
