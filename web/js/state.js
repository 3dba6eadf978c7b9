// The page's state. main.js creates one session and one state object and hands them to the components that need
// them; no module keeps state of its own at the top level. What only one component uses (its timers, the
// WebSocket client) stays inside that component.

import { sumMoney } from "./money.js";

/** Who is signed in. Written only by the sign-in form; api.js reads the token for authenticated requests. */
export function createSession() {
  return {
    /** Raw JWT, or null. */
    token: null,
    /** `sub` of the token, for display only (the server verifies the token; the page never does). */
    user: null,
  };
}

/** The show on screen, its seats and the user's selection and hold. */
export function createState() {
  return {
    shows: [],
    showId: null,
    show: null,
    /**
     * seatNumber → { status, version: bigint, or null while as the snapshot saw it (see live.js), wx / wy (where the
     * map draws it), and from the layout: row, section, sectionLabel, category,
     * wheelchair, companion, x, y, order, … } (see planSeatMap in seat-layout.js). In layout order.
     */
    seats: new Map(),
    /** The show's categories in layout order: key → { key, label, color, price (Money or null), priceText } */
    categories: new Map(),
    /** Planned maps of recently loaded shows (showId → planSeatMap result): a show's layout changes only before anything is sold. */
    plans: new Map(),
    /** seatMapVersion of the loaded snapshot: where every resync resumes from. */
    resumeVersion: null,
    /** The snapshot's highest seat version (BigInt): the version floor of seats still as the snapshot saw them. */
    snapshotFloor: 0n,
    /** Incremented whenever another show is loaded, so answers about the previous one are dropped. */
    generation: 0,
    selected: new Set(),
    /** The signed-in user's latest booking of this show that the panel shows (PENDING, or just CONFIRMED). */
    booking: null,
    busy: false,
    /** Seats of a hold request in flight: their HELD event may arrive before the response. */
    holding: new Set(),
  };
}

export function hasActiveHold(state) {
  return Boolean(state.booking && state.booking.status === "PENDING" && !state.booking.expired);
}

export function isMine(state, seatNumber) {
  const b = state.booking;
  return Boolean(b && b.status === "PENDING" && !b.expired && b.seatNumbers.includes(seatNumber));
}

/** `seatNumbers` in layout order (front section first, rows front to back, seats left to right); unknown ones last. */
export function inLayoutOrder(state, seatNumbers) {
  const order = (seatNumber) => state.seats.get(seatNumber)?.order ?? Number.MAX_SAFE_INTEGER;
  return [...seatNumbers].sort((a, b) => order(a) - order(b));
}

/**
 * What the selected seats cost: their categories' prices summed in minor units (the API's total after the hold is
 * the same sum). Null with nothing selected or on a show without prices.
 */
export function selectionTotal(state) {
  if (state.selected.size === 0) return null;
  const prices = [...state.selected].map((n) => state.categories.get(state.seats.get(n)?.category)?.price ?? null);
  return sumMoney(prices);
}
