// The page's state. main.js creates one session and one state object and hands them to the components that need
// them; no module keeps state of its own at the top level. What only one component uses (its timers, the
// WebSocket client) stays inside that component.

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
    /** seatNumber → { status, version: bigint, row, number, el } */
    seats: new Map(),
    /** seatMapVersion of the loaded snapshot: where every resync resumes from. */
    resumeVersion: null,
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
