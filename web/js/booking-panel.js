// The "Your seats" and "Your hold" panels: the selection, holdSeats (picked seats or best available), and the
// hold's confirm / cancel / extend with its countdown.

import { OPERATIONS } from "./api.js";
import { formatMoney } from "./money.js";
import { hasActiveHold, inLayoutOrder, isMine, selectionTotal } from "./state.js";
import { formatTime, listSeats, statusText, uuid } from "./util.js";

const MAX_SELECTION = 10; // the API's default MAX_SEATS_PER_HOLD
/** Refusals about the shape of a selection (a stranded seat, a companion seat alone), not about seats being taken. */
/** Seconds before a hold lapses when the page says so in the live region (WCAG 2.2.1: warn, and offer to extend). */
const WARN_SECONDS = 30;
const FIXED_BY_ADDING_SEATS = new Set(["ORPHAN_SEAT", "COMPANION_REQUIRES_ACCESSIBLE"]);

/**
 * Owns `state.selected`, `state.holding`, `state.booking` and `state.busy`, and the countdown timer. Seats of
 * mutation payloads are merged through `live.applySeatChange` (the convergence rule); seats are redrawn by `grid`.
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
    bookingPanel: document.getElementById("booking-panel"),
    bookingTitle: document.getElementById("booking-title"),
    bookingState: document.getElementById("booking-state"),
    bookingSeats: document.getElementById("booking-seats"),
    bookingTotal: document.getElementById("booking-total"),
    bookingActions: document.getElementById("booking-actions"),
    countdown: document.querySelector('[data-testid="countdown"]'),
    warning: document.getElementById("hold-warning"),
    confirm: document.getElementById("confirm"),
    cancel: document.getElementById("cancel"),
    extend: document.getElementById("extend"),
    dismiss: document.getElementById("booking-dismiss"),
  };
  let countdownTimer = null;
  /** The expiresAt (ms) whose warning was given: an extension gives a new one. */
  let warnedFor = null;

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

  /** "seats B5, B6" in layout order, for messages. */
  function seatList(seatNumbers) {
    return listSeats(inLayoutOrder(state, seatNumbers));
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

  async function holdSeats(input) {
    if (!state.showId || state.busy) return;
    // One key per attempt: mutate() retries a network failure with the same key, so it cannot hold twice.
    const idempotencyKey = uuid();
    state.holding = new Set(input.seatNumbers ?? []);
    await busy(async () => {
      const data = await api.mutate(OPERATIONS.PageHoldSeats, {
        input: { showId: state.showId, ...input, idempotencyKey },
      });
      const { booking, userErrors } = data.holdSeats;
      if (booking?.status === "PENDING") {
        state.selected.clear();
        setBooking(booking);
        mergeBookingSeats(booking);
        messages.show(`Held ${seatList(booking.seatNumbers)}. Confirm before the timer runs out.`, "success");
        focusPanel();
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

  // ─── The booking panel ────────────────────────────────────────────────────────────────────────────────────

  function setBooking(booking) {
    state.booking = booking
      ? { ...booking, expiresAt: booking.expiresAt ? new Date(booking.expiresAt) : null, expired: false }
      : null;
    renderBooking();
    grid.renderAllSeats();
    refreshSelectionUi();
  }

  /** After a hold: the panel's heading takes the focus, so the countdown and its buttons come next. */
  function focusPanel() {
    el.bookingTitle.focus();
  }

  /** Forgets the booking (another show, or signed out) without redrawing the seats. */
  function dropBooking() {
    state.booking = null;
    stopCountdown();
    renderBooking();
  }

  function stopCountdown() {
    clearInterval(countdownTimer);
    countdownTimer = null;
  }

  function renderBooking() {
    const b = state.booking;
    el.bookingPanel.hidden = !b;
    stopCountdown();
    if (!b || b.status !== "PENDING" || b.expired) el.warning.textContent = "";
    if (!b) return;
    // Each seat's price is on its chip's tooltip; the total is the API's, as it was when the seats were held.
    const prices = new Map((b.lineItems ?? []).map((line) => [line.seatNumber, line.price?.formatted]));
    el.bookingSeats.replaceChildren(
      ...inLayoutOrder(state, b.seatNumbers).map((n) =>
        Object.assign(document.createElement("li"), { textContent: n, title: prices.get(n) ?? "" }),
      ),
    );
    el.bookingTotal.hidden = !b.total;
    el.bookingTotal.querySelector("strong").textContent = b.total?.formatted ?? "";
    el.bookingPanel.dataset.status = b.expired ? "EXPIRED" : b.status;
    el.bookingTitle.textContent = b.status === "CONFIRMED" ? "Your booking" : "Your hold";
    const pending = b.status === "PENDING" && !b.expired;
    el.bookingActions.hidden = !pending;
    el.dismiss.hidden = pending;
    [el.confirm, el.cancel, el.extend].forEach((button) => (button.disabled = !pending || state.busy));
    if (b.status === "CONFIRMED") {
      el.countdown.textContent = "✓";
      const are = b.seatNumbers.length === 1 ? "is" : "are";
      el.bookingState.textContent = `Booked! ${seatList(b.seatNumbers)} ${are} yours.`;
      return;
    }
    if (b.expired) {
      el.countdown.textContent = "00:00";
      el.bookingState.textContent = "Your hold expired and the seats were released. Pick seats again to retry.";
      return;
    }
    el.bookingState.textContent = "These seats are held for you. Confirm to book them.";
    if (warnedFor !== b.expiresAt?.getTime()) el.warning.textContent = "";
    tick();
    countdownTimer = setInterval(tick, 250);
  }

  /** Live countdown to expiresAt (mm:ss); at 0 the hold has expired. Uses this device's clock. */
  function tick() {
    const b = state.booking;
    if (!b || b.status !== "PENDING" || !b.expiresAt) return;
    const left = b.expiresAt.getTime() - Date.now();
    if (left <= 0) {
      b.expired = true; // the panel says so (role=status); the expiry task releases the seats, and events follow
      const hadFocus = el.bookingPanel.contains(document.activeElement);
      renderBooking();
      if (hadFocus) el.dismiss.focus(); // its buttons are gone: focus stays in the panel, on "Done"
      grid.renderAllSeats();
      refreshSelectionUi();
      return;
    }
    const seconds = Math.ceil(left / 1000);
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    el.countdown.textContent = `${mm}:${String(seconds % 60).padStart(2, "0")}`;
    el.countdown.classList.toggle("urgent", seconds <= 30);
    el.countdown.setAttribute("aria-label", `Hold expires in ${seconds} seconds`);
    if (seconds <= WARN_SECONDS && warnedFor !== b.expiresAt.getTime()) {
      warnedFor = b.expiresAt.getTime();
      const seats = inLayoutOrder(state, b.seatNumbers).join(", ");
      el.warning.textContent = `Your hold on ${seats} ends in ${seconds} seconds. Extend or confirm.`;
    }
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
      const data = await api.mutate(query, { id: b.id });
      const { booking, userErrors } = data[field];
      mergeBookingSeats(booking);
      if (userErrors.length) {
        messages.show(userErrors.map((e) => e.message).join(" "), "error");
        if (userErrors.some((e) => e.code === "HOLD_EXPIRED")) {
          state.booking.expired = true;
          renderBooking();
        } else if (booking && booking.status !== "PENDING") {
          setBooking(booking.status === "CONFIRMED" ? booking : null);
        }
        grid.renderAllSeats();
        return;
      }
      if (kind === "cancel") {
        setBooking(null);
        messages.show(`Hold cancelled: ${seatList(b.seatNumbers)} released.`, "info");
        grid.focus(); // the panel is gone: back to the map, to pick again
      } else if (kind === "confirm") {
        setBooking(booking);
        messages.show(`Booked ${seatList(booking.seatNumbers)}. Enjoy the show!`, "success");
        el.dismiss.focus();
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
    renderBooking();
    try {
      await action();
    } catch (error) {
      messages.show(error.message, "error");
    } finally {
      state.busy = false;
      refreshSelectionUi();
      if (state.booking) renderBooking();
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
  el.confirm.addEventListener("click", () => bookingAction("confirm"));
  el.cancel.addEventListener("click", () => bookingAction("cancel"));
  el.extend.addEventListener("click", () => bookingAction("extend"));
  el.dismiss.addEventListener("click", () => {
    setBooking(null);
    grid.focus();
  });

  return { refreshSelectionUi, toggleSeat, dropBooking, restoreBooking, signedIn, signedOut };
}
