// The seat map: show header, counts, the grid of seat buttons (one per seat) and keyboard moves between them.
// It draws what `state` says; clicks on a seat go to `onSeatClick` (the selection lives in the booking panel).

import { isMine } from "./state.js";
import { formatDate } from "./util.js";

export function createSeatGrid({ state, onSeatClick }) {
  const el = {
    showTitle: document.getElementById("show-title"),
    showWhen: document.getElementById("show-when"),
    grid: document.getElementById("seat-grid"),
    counts: {
      available: document.querySelector('[data-testid="count-available"]'),
      held: document.querySelector('[data-testid="count-held"]'),
      booked: document.querySelector('[data-testid="count-booked"]'),
    },
  };

  /** While a show's seat map is being fetched. */
  function setLoading(loading) {
    if (loading) el.grid.setAttribute("aria-busy", "true");
    else el.grid.removeAttribute("aria-busy");
  }

  function setCounts({ availableSeats, heldSeats, bookedSeats }) {
    el.counts.available.textContent = String(availableSeats);
    el.counts.held.textContent = String(heldSeats);
    el.counts.booked.textContent = String(bookedSeats);
  }

  function renderShowHeader(show) {
    el.showTitle.textContent = show.name;
    el.showWhen.textContent = `${formatDate(show.startsAt)} · ${show.rows} rows × ${show.seatsPerRow} seats`;
    document.title = `${show.name} · Seat Booking`;
  }

  function renderEmpty(text) {
    state.seats = new Map();
    el.grid.replaceChildren(Object.assign(document.createElement("p"), { className: "empty", textContent: text }));
    el.showTitle.textContent = "\u00a0";
    el.showWhen.textContent = "\u00a0";
    ["available", "held", "booked"].forEach((k) => (el.counts[k].textContent = "–"));
  }

  /** Builds the grid: row labels on both sides, seat numbers above and below, row A nearest the stage. */
  function renderGrid(show) {
    const rows = [];
    for (const seat of state.seats.values()) {
      if (rows.length === 0 || rows[rows.length - 1].label !== seat.row) rows.push({ label: seat.row, seats: [] });
      rows[rows.length - 1].seats.push(seat);
    }
    const columns = show.seatsPerRow;
    el.grid.style.setProperty("--columns", String(columns));
    fitGrid();

    const fragment = document.createDocumentFragment();
    const numbers = (position) => {
      fragment.append(cell("corner", ""));
      for (let n = 1; n <= columns; n++) {
        fragment.append(cell(`col-label ${position}`, columns > 40 && n % 5 !== 0 && n !== 1 ? "" : String(n)));
      }
      fragment.append(cell("corner", ""));
    };
    numbers("top");
    for (const row of rows) {
      fragment.append(cell("row-label", row.label));
      for (const seat of row.seats) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "seat";
        button.dataset.seat = seat.seatNumber;
        button.tabIndex = -1;
        seat.el = button;
        renderSeat(seat);
        fragment.append(button);
      }
      fragment.append(cell("row-label", row.label));
    }
    numbers("bottom");
    el.grid.replaceChildren(fragment);
    // Roving tabindex: one seat in the tab order, arrow keys move between seats.
    const first = state.seats.values().next().value;
    if (first) first.el.tabIndex = 0;
  }

  /** Seats shrink to fit the hall's width (down to a usable minimum; beyond that the hall scrolls sideways). */
  function fitGrid() {
    if (!state.show) return;
    const columns = state.show.seatsPerRow;
    const hall = el.grid.parentElement;
    const style = getComputedStyle(hall);
    const width = hall.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const labels = 2 * 28;
    let gap = 6;
    let size = Math.floor((width - labels - (columns + 1) * gap) / columns);
    if (size < 24) {
      gap = 3;
      size = Math.floor((width - labels - (columns + 1) * gap) / columns);
    }
    size = Math.max(16, Math.min(34, size));
    el.grid.style.setProperty("--seat-size", `${size}px`);
    el.grid.style.setProperty("--gap", `${gap}px`);
    el.grid.classList.toggle("compact", size < 22);
  }

  function cell(className, text) {
    const div = document.createElement("div");
    div.className = className;
    div.textContent = text;
    div.setAttribute("aria-hidden", "true");
    return div;
  }

  /** Draws one seat: data-status is the server's status; selection and "mine" are local overlays. */
  function renderSeat(seat) {
    const button = seat.el;
    if (!button) return;
    const selected = state.selected.has(seat.seatNumber);
    const mine = seat.status === "HELD" && isMine(state, seat.seatNumber);
    button.dataset.status = seat.status;
    button.classList.toggle("is-selected", selected);
    button.classList.toggle("is-mine", mine);
    button.setAttribute("aria-pressed", String(selected));
    const described = selected ? "selected" : mine ? "held by you" : seat.status.toLowerCase();
    button.setAttribute("aria-label", `Seat ${seat.seatNumber}, ${described}`);
    button.title = `${seat.seatNumber} · ${described}`;
    button.setAttribute("aria-disabled", String(seat.status !== "AVAILABLE"));
  }

  function renderAllSeats() {
    for (const seat of state.seats.values()) renderSeat(seat);
  }

  function flashSeats(seatNumbers = []) {
    for (const n of seatNumbers) {
      const button = state.seats.get(n)?.el;
      if (!button) continue;
      button.classList.remove("flash");
      void button.offsetWidth; // restart the animation
      button.classList.add("flash");
    }
  }

  function moveFocus(from, key) {
    const seat = state.seats.get(from);
    if (!seat) return;
    const rows = [...new Set([...state.seats.values()].map((s) => s.row))];
    let r = rows.indexOf(seat.row);
    let n = seat.number;
    if (key === "ArrowLeft") n--;
    else if (key === "ArrowRight") n++;
    else if (key === "ArrowUp") r--;
    else if (key === "ArrowDown") r++;
    else if (key === "Home") n = 1;
    else if (key === "End") n = state.show.seatsPerRow;
    const target = rows[r] !== undefined ? state.seats.get(`${rows[r]}${n}`) : undefined;
    if (!target) return;
    seat.el.tabIndex = -1;
    target.el.tabIndex = 0;
    target.el.focus();
  }

  new ResizeObserver(() => fitGrid()).observe(el.grid.parentElement);
  el.grid.addEventListener("click", (event) => {
    const button = event.target.closest("button.seat");
    if (button) onSeatClick(button.dataset.seat);
  });
  el.grid.addEventListener("keydown", (event) => {
    const button = event.target.closest("button.seat");
    if (!button || !["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    moveFocus(button.dataset.seat, event.key);
  });

  return { setLoading, setCounts, renderShowHeader, renderEmpty, renderGrid, renderSeat, renderAllSeats, flashSeats };
}
