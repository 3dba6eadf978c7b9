// The "Your seats" and "Your hold" panels: the selection, holdSeats (picked seats or best available), and the
// hold's confirm / cancel / extend. What the hold's card shows, with its countdown, is booking-card.js's.

import { OPERATIONS } from "./api.js";
import { createBookingCard } from "./booking-card.js";
import { formatMoney } from "./money.js";
import { hasActiveHold, inLayoutOrder, isMine, listSeatsInOrder, selectionTotal } from "./state.js";
import { formatTime, statusText, uuid } from "./util.js";

const MAX_SELECTION = 10; // the API's default MAX_SEATS_PER_HOLD
/** Refusals about the shape of a selection (a stranded seat, a companion seat alone), not about seats being taken. */
const FIXED_BY_ADDING_SEATS = new Set(["ORPHAN_SEAT", "COMPANION_REQUIRES_ACCESSIBLE"]);

/**
 * Owns `state.selected`, `state.holding`, `state.booking` and `state.busy`; the hold's card (and its countdown timer)
 * only reads them. Seats of mutation payloads are merged through `live.applySeatChange` (the convergence rule); seats
 * are redrawn by `grid`.
 */
export function createBookingPanel({ state, session, api, messages, grid, live }) {
  const el = {
    selectionText: document.getElementById("selection-text"),
    selectionTotal: document.getElementById("selection-total"),
    hold: document.getElementById("hold"),
    clearSelection: document.getElementById("clear-selection"),
    bestForm: document.getElementById("best-form"),
    bestQuantity: document.getElementById("best-quantity"),
    best: document.getElementById("best"),
    signinNeeded: document.getElementById("signin-needed"),
  };
  const card = createBookingCard({
    state,
    onAction: bookingAction,
    onDismiss: () => {
      setBooking(null);
      grid.focus();
    },
    onExpired: () => {
      grid.renderAllSeats();
      refreshSelectionUi();
    },
  });

  // ─── Selection and holds ──────────────────────────────────────────────────────────────────────────────────

  function refreshSelectionUi() {
    const count = state.selected.size;
    const signedIn = Boolean(session.token);
    const blocked = hasActiveHold(state);
    el.hold.textContent = count ? `Hold ${count} seat${count === 1 ? "" : "s"}` : "Hold seats";
    el.hold.disabled = !signedIn || count === 0 || blocked || state.busy;
    el.clearSelection.disabled = count === 0;
    el.best.disabled = !signedIn || blocked || state.busy || !state.show;
    el.signinNeeded.hidden = signedIn && !blocked;
    el.signinNeeded.textContent = signedIn ? "Confirm or cancel your current hold first." : "Sign in to hold seats.";
    el.selectionText.textContent = count
      ? `Selected: ${inLayoutOrder(state, state.selected).join(", ")}`
      : `Pick up to ${MAX_SELECTION} available seats on the map.`;
    const total = selectionTotal(state);
    el.selectionTotal.hidden = !total;
    el.selectionTotal.querySelector("strong").textContent = total ? formatMoney(total) : "";
  }

  function toggleSeat(seatNumber) {
    const seat = state.seats.get(seatNumber);
    if (!seat) return;
    if (seat.status !== "AVAILABLE") {
      if (!isMine(state, seatNumber)) messages.show(`Seat ${seatNumber} is ${statusText(seat.status)}.`, "info");
      return;
    }
    if (state.selected.has(seatNumber)) {
      state.selected.delete(seatNumber);
    } else {
      if (state.selected.size >= MAX_SELECTION) {
        messages.show(`You can hold at most ${MAX_SELECTION} seats at a time.`, "info");
        return;
      }
      state.selected.add(seatNumber);
    }
    grid.renderSeat(seat);
    refreshSelectionUi();
  }

  /** `seats` is a SeatSelection: exactly one of `{ seatNumbers }` (these seats) or `{ quantity }` (best available). */
  async function holdSeats(seats) {
    if (!state.showId || state.busy) return;
    // One key per attempt: mutate() retries a network failure with the same key, so it cannot hold twice.
    const idempotencyKey = uuid();
    state.holding = new Set(seats.seatNumbers ?? []);
    await busy(async () => {
      const data = await api.mutate(OPERATIONS.PageHoldSeats, {
        input: { showId: state.showId, seats, idempotencyKey },
      });
      const { booking, userErrors } = data.holdSeats;
      if (booking?.status === "PENDING") {
        state.selected.clear();
        setBooking(booking);
        mergeBookingSeats(booking);
        messages.show(
          `Held ${listSeatsInOrder(state, booking.seatNumbers)}. Confirm before the timer runs out.`,
          "success",
        );
        card.focusHeading();
      } else {
        mergeBookingSeats(booking);
        // Every listed seat flashes. Seats that cannot be had leave the selection; the seats an ORPHAN_SEAT or
        // COMPANION_REQUIRES_ACCESSIBLE error lists stay as they were, as adding a seat to the selection fixes those.
        const listed = (errors) => errors.flatMap((e) => e.seatNumbers ?? []);
        listed(userErrors.filter((e) => !FIXED_BY_ADDING_SEATS.has(e.code))).forEach((n) => state.selected.delete(n));
        grid.flashSeats(listed(userErrors));
        messages.show(userErrors.map((e) => e.message).join(" ") || "The seats could not be held.", "error");
      }
      grid.renderAllSeats();
    });
    state.holding = new Set();
  }

  function mergeBookingSeats(booking) {
    booking?.seats?.forEach((change) => live.applySeatChange(change));
  }

  // ─── The booking ──────────────────────────────────────────────────────────────────────────────────────────

  function setBooking(booking) {
    state.booking = booking
      ? { ...booking, expiresAt: booking.expiresAt ? new Date(booking.expiresAt) : null, expired: false }
      : null;
    card.render();
    grid.renderAllSeats();
    refreshSelectionUi();
  }

  /** Forgets the booking (another show, or signed out) without redrawing the seats. */
  function dropBooking() {
    state.booking = null;
    card.stopCountdown();
    card.render();
  }

  async function bookingAction(kind) {
    const b = state.booking;
    if (!b || state.busy) return;
    const { document: query, field } = {
      confirm: { document: OPERATIONS.PageConfirmBooking, field: "confirmBooking" },
      cancel: { document: OPERATIONS.PageCancelBooking, field: "cancelBooking" },
      extend: { document: OPERATIONS.PageExtendHold, field: "extendHold" },
    }[kind];
    await busy(async () => {
      const data = await api.mutate(query, { bookingId: b.id });
      const { booking, userErrors } = data[field];
      mergeBookingSeats(booking);
      if (userErrors.length) {
        messages.show(userErrors.map((e) => e.message).join(" "), "error");
        if (userErrors.some((e) => e.code === "HOLD_EXPIRED")) {
          state.booking.expired = true;
          card.render();
        } else if (booking && booking.status !== "PENDING") {
          setBooking(booking.status === "CONFIRMED" ? booking : null);
        }
        grid.renderAllSeats();
        return;
      }
      if (kind === "cancel") {
        setBooking(null);
        messages.show(`Hold cancelled: ${listSeatsInOrder(state, b.seatNumbers)} released.`, "info");
        grid.focus(); // the panel is gone: back to the map, to pick again
      } else if (kind === "confirm") {
        setBooking(booking);
        messages.show(`Booked ${listSeatsInOrder(state, booking.seatNumbers)}. Enjoy the show!`, "success");
        card.focusDone();
      } else {
        setBooking(booking);
        messages.show(`Hold extended until ${formatTime(booking.expiresAt)}.`, "success");
      }
    });
  }

  /** After sign-in or reload: show the user's pending hold of this show, if any. */
  async function restoreBooking(generation = state.generation) {
    try {
      const data = await api.graphql(OPERATIONS.PageMyBookings, {}, { auth: true });
      if (generation !== state.generation || state.booking) return;
      const pending = data.myBookings.edges
        .map((e) => e.node)
        .find((b) => b.status === "PENDING" && b.show.id === state.showId && new Date(b.expiresAt) > new Date());
      if (pending) setBooking(pending);
    } catch (error) {
      messages.show(error.message, "error");
    }
  }

  async function busy(action) {
    state.busy = true;
    refreshSelectionUi();
    card.render();
    try {
      await action();
    } catch (error) {
      messages.show(error.message, "error");
    } finally {
      state.busy = false;
      refreshSelectionUi();
      if (state.booking) card.render();
    }
  }

  // ─── Sign-in changes ──────────────────────────────────────────────────────────────────────────────────────

  function signedIn() {
    if (state.showId && state.show) restoreBooking();
  }

  function signedOut() {
    dropBooking();
    grid.renderAllSeats();
  }

  el.hold.addEventListener("click", () => holdSeats({ seatNumbers: inLayoutOrder(state, state.selected) }));
  el.clearSelection.addEventListener("click", () => {
    state.selected.clear();
    grid.renderAllSeats();
    refreshSelectionUi();
  });
  el.bestForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const quantity = Number(el.bestQuantity.value);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_SELECTION) {
      messages.show(`Choose between 1 and ${MAX_SELECTION} seats.`, "error");
      return;
    }
    holdSeats({ quantity });
  });

  return { refreshSelectionUi, toggleSeat, dropBooking, restoreBooking, signedIn, signedOut };
}
