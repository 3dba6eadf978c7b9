// The "Your hold" card (#booking-panel) as `state.booking` has it: the held seats and their total, the countdown to
// the hold's end and its warning, and the buttons for what can still be done. The card only shows the booking and
// passes on what its buttons ask for; booking-panel.js does it.

import { inLayoutOrder, listSeatsInOrder } from "./state.js";

/** Seconds before a hold lapses when the page says so in the live region (WCAG 2.2.1: warn, and offer to extend). */
const WARN_SECONDS = 30;

/**
 * `onAction("confirm" | "cancel" | "extend")`: one of the pending hold's buttons; `onDismiss`: "Done", once the hold
 * is over; `onExpired`: the countdown reached 0 (the card says so already, the seats are the caller's to redraw).
 */
export function createBookingCard({ state, onAction, onDismiss, onExpired }) {
  const el = {
    card: document.getElementById("booking-panel"),
    title: document.getElementById("booking-title"),
    state: document.getElementById("booking-state"),
    seats: document.getElementById("booking-seats"),
    total: document.getElementById("booking-total"),
    actions: document.getElementById("booking-actions"),
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

  function stopCountdown() {
    clearInterval(countdownTimer);
    countdownTimer = null;
  }

  /** Shows `state.booking` (hidden without one), and counts down while it is a pending hold. */
  function render() {
    const b = state.booking;
    el.card.hidden = !b;
    stopCountdown();
    if (!b || b.status !== "PENDING" || b.expired) el.warning.textContent = "";
    if (!b) return;
    // Each seat's price is on its chip's tooltip; the total is the API's, as it was when the seats were held.
    const prices = new Map((b.lineItems ?? []).map((line) => [line.seatNumber, line.price?.formatted]));
    el.seats.replaceChildren(
      ...inLayoutOrder(state, b.seatNumbers).map((n) =>
        Object.assign(document.createElement("li"), { textContent: n, title: prices.get(n) ?? "" }),
      ),
    );
    el.total.hidden = !b.total;
    el.total.querySelector("strong").textContent = b.total?.formatted ?? "";
    el.card.dataset.status = b.expired ? "EXPIRED" : b.status;
    el.title.textContent = b.status === "CONFIRMED" ? "Your booking" : "Your hold";
    const pending = b.status === "PENDING" && !b.expired;
    el.actions.hidden = !pending;
    el.dismiss.hidden = pending;
    [el.confirm, el.cancel, el.extend].forEach((button) => (button.disabled = !pending || state.busy));
    if (b.status === "CONFIRMED") {
      el.countdown.textContent = "✓";
      const are = b.seatNumbers.length === 1 ? "is" : "are";
      el.state.textContent = `Booked! ${listSeatsInOrder(state, b.seatNumbers)} ${are} yours.`;
      return;
    }
    if (b.expired) {
      el.countdown.textContent = "00:00";
      el.state.textContent = "Your hold expired and the seats were released. Pick seats again to retry.";
      return;
    }
    el.state.textContent = "These seats are held for you. Confirm to book them.";
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
      b.expired = true; // the card says so (role=status); the expiry task releases the seats, and events follow
      const hadFocus = el.card.contains(document.activeElement);
      render();
      if (hadFocus) el.dismiss.focus(); // its buttons are gone: focus stays in the card, on "Done"
      onExpired();
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

  el.confirm.addEventListener("click", () => onAction("confirm"));
  el.cancel.addEventListener("click", () => onAction("cancel"));
  el.extend.addEventListener("click", () => onAction("extend"));
  el.dismiss.addEventListener("click", () => onDismiss());

  return {
    render,
    stopCountdown,
    /** After a hold: the card's heading takes the focus, so the countdown and its buttons come next. */
    focusHeading: () => el.title.focus(),
    /** After a booking is confirmed: its buttons are gone, "Done" is what is left to do. */
    focusDone: () => el.dismiss.focus(),
  };
}
