// The seat map: show header, counts, price legend, the seats (one button each, placed at their layout x/y) with row
// and section labels, and keyboard moves between seats. It draws what `state` says; clicks on a seat go to
// `onSeatClick` (the selection lives in the booking panel).

import { createCategoryLegend } from "./category-legend.js";
import { nearestSeat } from "./seat-layout.js";
import { isMine } from "./state.js";
import { formatDate, formatLocalStart, statusText } from "./util.js";

const NAVIGATION_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"];
/** The API promises "#RRGGBB"; anything else is not written into a style sheet. */
const COLOR = /^#[0-9a-f]{6}$/i;

export function createSeatGrid({ state, onSeatClick }) {
  const el = {
    showTitle: document.getElementById("show-title"),
    showWhen: document.getElementById("show-when"),
    grid: document.getElementById("seat-grid"),
    categoryColors: document.head.appendChild(document.createElement("style")),
    counts: {
      available: document.querySelector('[data-testid="count-available"]'),
      held: document.querySelector('[data-testid="count-held"]'),
      booked: document.querySelector('[data-testid="count-booked"]'),
      blocked: document.querySelector('[data-testid="count-blocked"]'),
    },
  };
  const legend = createCategoryLegend({ state });
  /** The planSeatMap result on screen (its extent sizes the seats), or null. */
  let plan = null;

  /** While a show's seat map is being fetched. */
  function setLoading(loading) {
    if (loading) el.grid.setAttribute("aria-busy", "true");
    else el.grid.removeAttribute("aria-busy");
  }

  function setCounts({ availableSeats, heldSeats, bookedSeats, blockedSeats }) {
    el.counts.available.textContent = String(availableSeats);
    el.counts.held.textContent = String(heldSeats);
    el.counts.booked.textContent = String(bookedSeats);
    el.counts.blocked.textContent = String(blockedSeats ?? 0);
  }

  /** Name, and the start as the venue's clock shows it (the visitor's own clock in the tooltip). */
  function renderShowHeader(show) {
    el.showTitle.textContent = show.name;
    const localStart = formatLocalStart(show.startsAtLocal, show.timeZone) ?? formatDate(show.startsAt);
    el.showWhen.textContent = `${localStart} · ${show.totalSeats} seats`;
    el.showWhen.title = `Your time: ${formatDate(show.startsAt)}`;
    document.title = `${show.name} · Seat Booking`;
  }

  function renderEmpty(text) {
    state.seats = new Map();
    plan = null;
    legend.clear();
    el.categoryColors.textContent = "";
    el.grid.classList.remove("has-map");
    el.grid.replaceChildren(Object.assign(document.createElement("p"), { className: "empty", textContent: text }));
    el.showTitle.textContent = "\u00a0";
    el.showWhen.textContent = "\u00a0";
    el.showWhen.removeAttribute("title");
    ["available", "held", "booked", "blocked"].forEach((k) => (el.counts[k].textContent = "–"));
  }

  /**
   * Draws `state.seats` as `seatPlan` (planSeatMap) places them, with the categories of `show`. Rows, labels and
   * sections are positioned from --x/--y/--bands-above; seats flow inside their row and have a style of their own
   * only after an aisle or gap, and their category is a class: seats share computed styles, which keeps a
   * 100,000-seat hall as quick to draw as a plain grid, and a resize changes two variables, not every seat.
   */
  function renderGrid(show, seatPlan) {
    plan = seatPlan;
    legend.setCategories(show.categories);
    const categoryClasses = new Map([...state.categories.keys()].map((key, index) => [key, `category-${index}`]));
    el.categoryColors.textContent = [...state.categories.values()]
      .filter((category) => COLOR.test(category.color))
      .map((category) => `.seat-grid .${categoryClasses.get(category.key)} { --category: ${category.color}; }`)
      .join("\n");
    el.grid.style.setProperty("--columns", String(plan.columns));
    el.grid.style.setProperty("--rows", String(plan.rows));
    el.grid.style.setProperty("--total-bands", String(plan.totalBands));
    el.grid.classList.add("has-map");
    fitGrid();

    const fragment = document.createDocumentFragment();
    for (const section of plan.sectionLabels) {
      const label = placed("section-label", section);
      label.style.setProperty("--width", String(section.width));
      label.textContent = section.label;
      label.setAttribute("aria-hidden", "true");
      fragment.append(label);
    }
    for (const row of plan.rowLabels) {
      const label = placed("row-label", row);
      label.textContent = row.label;
      label.setAttribute("aria-hidden", "true");
      fragment.append(label);
    }
    for (const row of plan.seatRows) {
      const rowBox = placed("seat-row", row);
      for (const place of row.seats) {
        const seat = state.seats.get(place.seatNumber);
        if (seat) rowBox.append(seatButton(seat, categoryClasses.get(seat.category)));
      }
      fragment.append(rowBox);
    }
    el.grid.replaceChildren(fragment);
    legend.countSeats();
    // Roving tabindex: one seat in the tab order, arrow keys move between seats.
    const first = state.seats.values().next().value;
    if (first?.el) first.el.tabIndex = 0;
  }

  function placed(className, item) {
    const element = document.createElement("div");
    element.className = `${className} placed`;
    element.style.setProperty("--x", String(item.x));
    element.style.setProperty("--y", String(item.y));
    element.style.setProperty("--bands-above", String(item.bands));
    return element;
  }

  function seatButton(seat, categoryClass) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = categoryClass ? `seat ${categoryClass}` : "seat";
    button.dataset.seat = seat.seatNumber;
    button.tabIndex = -1;
    // Only seats after an aisle or gap, or out of their row's line, get a style of their own.
    if (seat.space) {
      button.classList.add("after-space");
      button.style.setProperty("--space", String(seat.space));
    }
    if (seat.rise) {
      button.classList.add("risen");
      button.style.setProperty("--rise", String(seat.rise));
    }
    const marker = seat.wheelchair ? "wheelchair" : seat.companion ? "companion" : null;
    if (marker) {
      const badge = Object.assign(document.createElement("span"), { className: `seat-badge ${marker}` });
      badge.setAttribute("aria-hidden", "true");
      button.append(badge);
    }
    seat.el = button;
    seat.countedStatus = seat.status; // counted by legend.countSeats() once every seat is drawn
    renderSeat(seat);
    return button;
  }

  /** Seats shrink to fit the hall's width (down to a usable minimum; beyond that the hall scrolls sideways). */
  function fitGrid() {
    if (!plan) return;
    const columns = plan.columns;
    const hall = el.grid.parentElement;
    const style = getComputedStyle(hall);
    const width = hall.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let gap = 6;
    let size = Math.floor((width - (columns - 1) * gap) / columns);
    if (size < 24) {
      gap = 3;
      size = Math.floor((width - (columns - 1) * gap) / columns);
    }
    size = Math.max(16, Math.min(34, size));
    el.grid.style.setProperty("--seat-size", `${size}px`);
    el.grid.style.setProperty("--gap", `${gap}px`);
    el.grid.classList.toggle("compact", size < 22);
  }

  /** What a seat is, for its label and tooltip: section, category, price and accessibility. */
  function seatDetails(seat) {
    const category = state.categories.get(seat.category);
    const details = [seat.sectionLabel, category?.label ?? seat.category];
    if (category?.priceText) details.push(category.priceText);
    if (seat.wheelchair) details.push("wheelchair space");
    if (seat.companion) details.push("companion seat, held with a wheelchair space");
    return details;
  }

  /** Draws one seat: data-status is the server's status; selection and "mine" are local overlays. */
  function renderSeat(seat) {
    if (seat.countedStatus !== undefined && seat.countedStatus !== seat.status) {
      legend.seatStatusChanged(seat, seat.countedStatus, seat.status);
      seat.countedStatus = seat.status;
    }
    const button = seat.el;
    if (!button) return;
    const selected = state.selected.has(seat.seatNumber);
    const mine = seat.status === "HELD" && isMine(state, seat.seatNumber);
    button.dataset.status = seat.status;
    button.classList.toggle("is-selected", selected);
    button.classList.toggle("is-mine", mine);
    button.setAttribute("aria-pressed", String(selected));
    const described = selected ? "selected" : mine ? "held by you" : statusText(seat.status);
    const details = seatDetails(seat);
    button.setAttribute("aria-label", [`Seat ${seat.seatNumber}`, described, ...details].join(", "));
    button.title = [seat.seatNumber, described, ...details].join(" · ");
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

  /** Moves the focus to the nearest seat in the key's direction, by position (not by seat number). */
  function moveFocus(from, key) {
    const seat = state.seats.get(from);
    if (!seat) return;
    nearestSeat(state.seats.values(), seat, key)?.el?.focus();
  }

  /** Roving tabindex: the seat that had the focus last (by keys, click or script) is the one Tab comes back to. */
  function makeTabStop(button) {
    if (button.tabIndex === 0) return;
    el.grid.querySelectorAll('button.seat[tabindex="0"]').forEach((other) => (other.tabIndex = -1));
    button.tabIndex = 0;
  }

  new ResizeObserver(() => fitGrid()).observe(el.grid.parentElement);
  el.grid.addEventListener("click", (event) => {
    const button = event.target.closest("button.seat");
    if (button) onSeatClick(button.dataset.seat);
  });
  el.grid.addEventListener("focusin", (event) => {
    const button = event.target.closest("button.seat");
    if (button) makeTabStop(button);
  });
  el.grid.addEventListener("keydown", (event) => {
    const button = event.target.closest("button.seat");
    if (!button || !NAVIGATION_KEYS.includes(event.key)) return;
    event.preventDefault();
    moveFocus(button.dataset.seat, event.key);
  });

  return { setLoading, setCounts, renderShowHeader, renderEmpty, renderGrid, renderSeat, renderAllSeats, flashSeats };
}
