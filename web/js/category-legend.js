// The price legend above the hall: each category's colour, name, price and how many of its seats are free now, and
// the wheelchair / companion markers when the show has such seats. Free seats are counted from `state.seats`, so the
// live changes that redraw a seat keep the legend right without another request.

import { formatMoney } from "./money.js";

export function createCategoryLegend({ state }) {
  const el = {
    list: document.getElementById("category-legend"),
    wheelchair: document.getElementById("legend-wheelchair"),
    companion: document.getElementById("legend-companion"),
  };
  /** category key → { available, element } */
  let entries = new Map();
  let flushQueued = false;

  /** `categories` as the API sends them (`Show.categories`): keeps them in `state.categories` and draws them. */
  function setCategories(categories) {
    state.categories = new Map(
      categories.map((category) => [
        category.key,
        { ...category, priceText: category.price ? formatMoney(category.price) : null },
      ]),
    );
    entries = new Map();
    const items = [...state.categories.values()].map((category) => {
      const item = document.createElement("li");
      item.dataset.category = category.key;
      const swatch = document.createElement("span");
      swatch.className = "category-swatch";
      swatch.style.setProperty("--category", category.color);
      swatch.setAttribute("aria-hidden", "true");
      const label = Object.assign(document.createElement("span"), { className: "category-label" });
      label.textContent = category.label;
      const price = Object.assign(document.createElement("span"), { className: "category-price" });
      price.textContent = category.priceText ?? "";
      price.hidden = !category.priceText;
      const available = Object.assign(document.createElement("span"), { className: "category-available" });
      item.append(swatch, label, price, available);
      entries.set(category.key, { available: 0, element: available });
      return item;
    });
    el.list.replaceChildren(...items);
    el.list.hidden = items.length === 0;
  }

  /** Counts the loaded seats once; later, `seatStatusChanged` keeps the counts. */
  function countSeats() {
    for (const entry of entries.values()) entry.available = 0;
    let wheelchair = false;
    let companion = false;
    for (const seat of state.seats.values()) {
      if (seat.status === "AVAILABLE") countAvailable(seat.category, 1);
      wheelchair ||= seat.wheelchair;
      companion ||= seat.companion;
    }
    el.wheelchair.hidden = !wheelchair;
    el.companion.hidden = !companion;
    flush();
  }

  /** A seat went from status `from` to `to`: adjusts its category's free seats (drawn once the batch is done). */
  function seatStatusChanged(seat, from, to) {
    if ((from === "AVAILABLE") === (to === "AVAILABLE")) return;
    countAvailable(seat.category, to === "AVAILABLE" ? 1 : -1);
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(flush);
  }

  function countAvailable(key, delta) {
    const entry = entries.get(key);
    if (entry) entry.available += delta;
  }

  function flush() {
    flushQueued = false;
    for (const entry of entries.values()) entry.element.textContent = `${entry.available} available`;
  }

  function clear() {
    state.categories = new Map();
    entries = new Map();
    el.list.replaceChildren();
    el.list.hidden = true;
    el.wheelchair.hidden = true;
    el.companion.hidden = true;
  }

  return { setCategories, countSeats, seatStatusChanged, clear };
}
