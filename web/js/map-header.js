// Above the map: the show's name and local start, and the live seat counts.

import { formatDate, formatLocalStart } from "./util.js";

export function createMapHeader() {
  const el = {
    showTitle: document.getElementById("show-title"),
    showWhen: document.getElementById("show-when"),
    counts: {
      available: document.querySelector('[data-testid="count-available"]'),
      held: document.querySelector('[data-testid="count-held"]'),
      booked: document.querySelector('[data-testid="count-booked"]'),
      blocked: document.querySelector('[data-testid="count-blocked"]'),
    },
  };

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

  function clear() {
    el.showTitle.textContent = "\u00a0";
    el.showWhen.textContent = "\u00a0";
    el.showWhen.removeAttribute("title");
    Object.values(el.counts).forEach((count) => (count.textContent = "–"));
  }

  return { setCounts, renderShowHeader, clear };
}
