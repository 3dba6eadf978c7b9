// Seat-map reference page: a plain ES module, no framework, no build step.
//
// It shows how a frontend should talk to the seat-booking API:
//   * reads (shows, seat map, gap fill) and mutations go over HTTP POST /graphql;
//   * live seat changes come from the `seatMapChanged` subscription over graphql-ws (same path, ws:// or wss://);
//   * the seat map is kept correct with per-seat versions — see "THE CONVERGENCE RULE" below.
//
// ─── THE CONVERGENCE RULE ─────────────────────────────────────────────────────────────────────────────────────
// Every seat carries a `version` (a decimal string of an increasing number; compare as BigInt, never as strings
// or JS numbers). The page keeps, per seat, the status and the version it last applied, and:
//
//   1. loads a snapshot: show { seatMapVersion seats { seatNumber status version } }     → loadShow()
//   2. subscribes to seatMapChanged(showId)                                                → startLive()
//   3. once the subscription is running, asks for the gap:
//        show { seatsChangedSince(version: <seatMapVersion of the snapshot>) }            → resync()
//   4. applies a seat change — from an event, from seatsChangedSince, or from the `seats` of a mutation
//      payload — ONLY if its version is greater than the version it has for that seat  → applySeatChange()
//
// Events may arrive late, twice, or out of order, and may overlap the gap query; rule 4 makes all of that
// harmless. The live counts (available / held / booked) come from the latest event (or the latest read).
//
// On every WebSocket (re)connect graphql-ws re-subscribes by itself; the page then repeats step 3 with the
// seatMapVersion of the snapshot it loaded (the resume point). That covers everything missed while offline.
// The resume point is a `seatMapVersion` — it records the database snapshot, not only a number — so it stays
// correct even for transactions that were still in flight when the snapshot was read. It is never advanced to a
// plain event version (a concurrent transaction can commit a lower version after a higher one was seen).
// seatsChangedSince returns at most one entry per seat (its current state), so repeating it is cheap.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

import { createClient } from "/vendor/graphql-ws/client.js";

const GRAPHQL_PATH = "/graphql";
const TOKEN_KEY = "seat-booking.token";
const MAX_SELECTION = 10; // the API's default MAX_SEATS_PER_HOLD
/**
 * graphql-transport-ws has no "subscription started" message: `connected` means the connection was acknowledged,
 * and the server registers the subscription a moment later (after it has checked that the show exists). The gap
 * query is sent after this settle delay, and repeated once more later as a safety net; both are idempotent.
 */
const SUBSCRIBE_SETTLE_MS = 150;
const SAFETY_RESYNC_MS = 2500;

// ─── GraphQL documents ──────────────────────────────────────────────────────────────────────────────────────

const SHOWS = /* GraphQL */ `
  query Shows($after: String) {
    shows(first: 100, after: $after) {
      edges { node { id name startsAt rows seatsPerRow totalSeats availableSeats heldSeats bookedSeats } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const SEAT_MAP = /* GraphQL */ `
  query SeatMap($id: ID!) {
    show(id: $id) {
      id name startsAt rows seatsPerRow availableSeats heldSeats bookedSeats
      seatMapVersion
      seats { seatNumber row number status version }
    }
  }`;

const SEATS_CHANGED_SINCE = /* GraphQL */ `
  query SeatsChangedSince($id: ID!, $version: String!) {
    show(id: $id) {
      availableSeats heldSeats bookedSeats
      seatsChangedSince(version: $version) { seatNumber status version }
    }
  }`;

const SEAT_MAP_CHANGED = /* GraphQL */ `
  subscription SeatMapChanged($showId: ID!) {
    seatMapChanged(showId: $showId) {
      showId version availableSeats heldSeats bookedSeats
      seats { seatNumber status version }
    }
  }`;

// `seats` of a booking are the seats as they are now, with versions: the page merges them like any other change,
// so the holder sees the result of a mutation at once, without waiting for the event.
const BOOKING_FIELDS = `id status seatNumbers expiresAt failureReason show { id } seats { seatNumber status version }`;
const PAYLOAD_FIELDS = `booking { ${BOOKING_FIELDS} } userErrors { code message seatNumbers }`;

const HOLD_SEATS = `mutation HoldSeats($input: HoldSeatsInput!) { holdSeats(input: $input) { ${PAYLOAD_FIELDS} } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmBooking(id: $id) { ${PAYLOAD_FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelBooking(id: $id) { ${PAYLOAD_FIELDS} } }`;
const EXTEND = `mutation Extend($id: ID!) { extendHold(id: $id) { ${PAYLOAD_FIELDS} } }`;
const MY_BOOKINGS = /* GraphQL */ `
  query MyBookings { myBookings(first: 50) { edges { node { id status seatNumbers expiresAt failureReason show { id } } } } }`;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────────

const state = {
  /** Raw JWT, or null. */
  token: null,
  /** `sub` of the token, for display only (the server verifies the token; the page never does). */
  user: null,
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

const el = {
  connection: document.querySelector(".connection"),
  connectionText: document.querySelector('[data-testid="connection"]'),
  showSelect: document.getElementById("show-select"),
  showTitle: document.getElementById("show-title"),
  showWhen: document.getElementById("show-when"),
  grid: document.getElementById("seat-grid"),
  counts: {
    available: document.querySelector('[data-testid="count-available"]'),
    held: document.querySelector('[data-testid="count-held"]'),
    booked: document.querySelector('[data-testid="count-booked"]'),
  },
  signedIn: document.getElementById("signed-in"),
  signedOut: document.getElementById("signed-out"),
  user: document.querySelector('[data-testid="user"]'),
  avatar: document.querySelector("#signed-in .avatar"),
  signOut: document.getElementById("sign-out"),
  tokenForm: document.getElementById("token-form"),
  tokenInput: document.getElementById("token-input"),
  devBox: document.getElementById("dev-box"),
  devForm: document.getElementById("dev-form"),
  devUser: document.getElementById("dev-user"),
  devButton: document.getElementById("dev-form").querySelector("button"),
  selectionText: document.getElementById("selection-text"),
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
  bookingActions: document.getElementById("booking-actions"),
  countdown: document.querySelector('[data-testid="countdown"]'),
  confirm: document.getElementById("confirm"),
  cancel: document.getElementById("cancel"),
  extend: document.getElementById("extend"),
  dismiss: document.getElementById("booking-dismiss"),
  message: document.getElementById("message"),
};

// ─── HTTP GraphQL ───────────────────────────────────────────────────────────────────────────────────────────

class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** POSTs an operation; returns `data` or throws ApiError with the first error's message. */
async function graphql(query, variables = {}, { auth = false } = {}) {
  const headers = { "content-type": "application/json" };
  if (auth && state.token) headers.authorization = `Bearer ${state.token}`;
  let response;
  try {
    response = await fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError("Cannot reach the server. Check your connection and try again.", "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL result.`, "BAD_RESPONSE");
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    const code = first.extensions?.code;
    if (code === "UNAUTHENTICATED" && auth) {
      signOut();
      throw new ApiError(`${first.message} Please sign in again.`, code);
    }
    throw new ApiError(first.message, code);
  }
  return body.data;
}

/**
 * Mutations that may be retried: a network failure is retried once with the same variables — for holdSeats that
 * includes the same idempotencyKey, so the retry cannot hold seats twice.
 */
async function mutate(query, variables) {
  try {
    return await graphql(query, variables, { auth: true });
  } catch (error) {
    if (error.code !== "NETWORK") throw error;
    await sleep(800);
    return graphql(query, variables, { auth: true });
  }
}

// ─── Live connection (graphql-ws) ───────────────────────────────────────────────────────────────────────────

let ws = null;
let wsConnected = false;
let liveSubscription = null; // { showId, dispose }
let resyncTimers = [];

/**
 * One WebSocket for the page. No token is sent: subscriptions are open to anyone, and a bad or expired token in
 * connectionParams would get the whole connection refused (close 4403) — live updates must not depend on sign-in.
 */
function createWsClient() {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${GRAPHQL_PATH}`;
  return createClient({
    url,
    lazy: false,
    keepAlive: 10_000, // ping every 10 s, so a dead connection is noticed and replaced
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // The default backoff doubles without limit (and starts at 1.3–4 s); retry soon, and at least every ~10 s.
    retryWait: (retries) => sleep(Math.min(500 * 2 ** retries, 10_000) + Math.random() * 1000),
    // Close codes graphql-ws treats as fatal end the client instead of retrying: start a new one, which resubscribes
    // and resyncs. (A subscriber that falls behind is closed with 1013, which graphql-ws retries by itself.)
    onNonLazyError: () => rebuildWsClient(),
    on: {
      connecting: (isRetry) => setConnection(isRetry || state.resumeVersion ? "reconnecting" : "connecting"),
      connected: () => {
        wsConnected = true;
        // graphql-ws has just (re)sent our subscription; fill the gap once the server has registered it.
        scheduleResync();
      },
      closed: () => {
        wsConnected = false;
        clearResyncTimers();
        setConnection("reconnecting");
      },
    },
  });
}

let rebuildTimer = null;
function rebuildWsClient() {
  if (rebuildTimer) return;
  wsConnected = false;
  setConnection("reconnecting");
  rebuildTimer = setTimeout(() => {
    rebuildTimer = null;
    try {
      ws?.dispose();
    } catch {
      /* already gone */
    }
    ws = createWsClient();
    if (state.showId) startLive(state.showId);
  }, 1000 + Math.random() * 1000);
}

/** Subscribes to seatMapChanged for `showId` (replacing any previous show's subscription). */
function startLive(showId) {
  liveSubscription?.dispose();
  clearResyncTimers();
  const generation = state.generation;
  const dispose = ws.subscribe(
    { query: SEAT_MAP_CHANGED, variables: { showId } },
    {
      next: (result) => {
        if (generation !== state.generation) return;
        const change = result.data?.seatMapChanged;
        if (result.errors?.length) showMessage(result.errors[0].message, "error");
        if (change && change.showId === state.showId) applyEvent(change);
      },
      error: (error) => {
        if (generation !== state.generation) return;
        if (Array.isArray(error)) {
          // A GraphQL error for this subscription (e.g. the show was not found): retrying will not help.
          setConnection("offline");
          showMessage(error[0]?.message ?? "The live seat feed failed.", "error");
        } else {
          // The connection ended for good (fatal close code): start over with a new client.
          rebuildWsClient();
        }
      },
      complete: () => {},
    },
  );
  liveSubscription = { showId, dispose };
  // Already connected (e.g. after switching shows): the `connected` event will not fire again, so resync here.
  if (wsConnected) scheduleResync();
}

function clearResyncTimers() {
  resyncTimers.forEach(clearTimeout);
  resyncTimers = [];
}

function scheduleResync() {
  clearResyncTimers();
  const generation = state.generation;
  resyncTimers.push(
    setTimeout(async () => {
      const synced = await resync(generation);
      // "live" only once this show's subscription is running and the gap is filled.
      if (synced && generation === state.generation && wsConnected && liveSubscription?.showId === state.showId) {
        setConnection("live");
      }
    }, SUBSCRIBE_SETTLE_MS),
    setTimeout(() => resync(generation), SAFETY_RESYNC_MS),
  );
}

/** Rule step 3: every change since the snapshot, merged by version. */
async function resync(generation = state.generation) {
  if (!state.showId || !state.resumeVersion || generation !== state.generation) return false;
  try {
    const data = await graphql(SEATS_CHANGED_SINCE, { id: state.showId, version: state.resumeVersion });
    if (generation !== state.generation || !data.show) return false;
    data.show.seatsChangedSince.forEach(applySeatChange);
    setCounts(data.show);
    refreshSelectionUi();
    return true;
  } catch (error) {
    // The WebSocket will reconnect and resync again; nothing to tell the user yet.
    console.warn("seat map resync failed:", error.message);
    return false;
  }
}

function setConnection(value) {
  el.connection.dataset.state = value;
  el.connectionText.textContent = value;
  el.connection.title = {
    live: "Live: seat changes appear as they happen",
    connecting: "Connecting to live updates…",
    reconnecting: "Connection lost: reconnecting, the map will catch up",
    offline: "Live updates unavailable",
  }[value];
}

// ─── Seat map ───────────────────────────────────────────────────────────────────────────────────────────────

/** Rule step 4: apply a change only if it is newer than what the page has for that seat. */
function applySeatChange(change) {
  const seat = state.seats.get(change.seatNumber);
  if (!seat) return false;
  const version = BigInt(change.version);
  if (version <= seat.version) return false; // stale, duplicate or already known: ignore
  seat.version = version;
  if (seat.status === change.status) return true;
  seat.status = change.status;
  const ours = isMine(change.seatNumber) || state.holding.has(change.seatNumber);
  if (change.status !== "AVAILABLE" && state.selected.delete(change.seatNumber) && !ours) {
    showMessage(`Seat ${change.seatNumber} was just taken by someone else and is no longer selected.`, "info");
  }
  renderSeat(seat);
  return true;
}

function applyEvent(change) {
  change.seats.forEach(applySeatChange);
  setCounts(change); // counts come from the latest event
  refreshSelectionUi();
}

function setCounts({ availableSeats, heldSeats, bookedSeats }) {
  el.counts.available.textContent = String(availableSeats);
  el.counts.held.textContent = String(heldSeats);
  el.counts.booked.textContent = String(bookedSeats);
}

/** Rule step 1 (+2, +3): load the snapshot, then go live for this show. */
async function loadShow(showId) {
  const generation = ++state.generation;
  state.showId = showId;
  state.resumeVersion = null;
  state.selected.clear();
  state.booking = null;
  stopCountdown();
  renderBooking();
  liveSubscription?.dispose();
  liveSubscription = null;
  clearResyncTimers();
  el.grid.setAttribute("aria-busy", "true");
  let show;
  try {
    show = (await graphql(SEAT_MAP, { id: showId })).show;
  } catch (error) {
    if (generation === state.generation) showMessage(`Could not load the seat map: ${error.message}`, "error");
    return;
  }
  if (generation !== state.generation) return;
  el.grid.removeAttribute("aria-busy");
  if (!show) {
    showMessage("There is no show with this id.", "error");
    renderEmpty("No such show. Pick another one above.");
    return;
  }
  state.show = show;
  state.resumeVersion = show.seatMapVersion;
  state.seats = new Map(
    show.seats.map((s) => [s.seatNumber, { ...s, version: BigInt(s.version), el: null }]),
  );
  renderShowHeader(show);
  renderGrid(show);
  setCounts(show);
  if (wsConnected) setConnection("connecting"); // until the new subscription is running and resynced
  startLive(showId);
  refreshSelectionUi();
  if (state.token) restoreBooking(generation);
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
new ResizeObserver(() => fitGrid()).observe(el.grid.parentElement);

function cell(className, text) {
  const div = document.createElement("div");
  div.className = className;
  div.textContent = text;
  div.setAttribute("aria-hidden", "true");
  return div;
}

function isMine(seatNumber) {
  const b = state.booking;
  return Boolean(b && b.status === "PENDING" && !b.expired && b.seatNumbers.includes(seatNumber));
}

/** Draws one seat: data-status is the server's status; selection and "mine" are local overlays. */
function renderSeat(seat) {
  const button = seat.el;
  if (!button) return;
  const selected = state.selected.has(seat.seatNumber);
  const mine = seat.status === "HELD" && isMine(seat.seatNumber);
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

function toggleSeat(seatNumber) {
  const seat = state.seats.get(seatNumber);
  if (!seat) return;
  if (seat.status !== "AVAILABLE") {
    if (!isMine(seatNumber)) showMessage(`Seat ${seatNumber} is ${seat.status.toLowerCase()}.`, "info");
    return;
  }
  if (state.selected.has(seatNumber)) {
    state.selected.delete(seatNumber);
  } else {
    if (state.selected.size >= MAX_SELECTION) {
      showMessage(`You can hold at most ${MAX_SELECTION} seats at a time.`, "info");
      return;
    }
    state.selected.add(seatNumber);
  }
  renderSeat(seat);
  refreshSelectionUi();
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

// ─── Selection and holds ────────────────────────────────────────────────────────────────────────────────────

function hasActiveHold() {
  return Boolean(state.booking && state.booking.status === "PENDING" && !state.booking.expired);
}

function refreshSelectionUi() {
  const count = state.selected.size;
  const signedIn = Boolean(state.token);
  const blocked = hasActiveHold();
  el.hold.textContent = count ? `Hold ${count} seat${count === 1 ? "" : "s"}` : "Hold seats";
  el.hold.disabled = !signedIn || count === 0 || blocked || state.busy;
  el.clearSelection.disabled = count === 0;
  el.best.disabled = !signedIn || blocked || state.busy || !state.show;
  el.signinNeeded.hidden = signedIn && !blocked;
  el.signinNeeded.textContent = signedIn ? "Confirm or cancel your current hold first." : "Sign in to hold seats.";
  el.selectionText.textContent = count
    ? `Selected: ${sortSeats([...state.selected]).join(", ")}`
    : `Pick up to ${MAX_SELECTION} available seats on the map.`;
}

async function holdSeats(input) {
  if (!state.showId || state.busy) return;
  // One key per attempt: mutate() retries a network failure with the same key, so it cannot hold twice.
  const idempotencyKey = uuid();
  state.holding = new Set(input.seatNumbers ?? []);
  await busy(async () => {
    const data = await mutate(HOLD_SEATS, { input: { showId: state.showId, ...input, idempotencyKey } });
    const { booking, userErrors } = data.holdSeats;
    if (booking?.status === "PENDING") {
      state.selected.clear();
      setBooking(booking);
      mergeBookingSeats(booking);
      showMessage(`Held ${listSeats(booking.seatNumbers)}. Confirm before the timer runs out.`, "success");
    } else {
      mergeBookingSeats(booking);
      const taken = userErrors.flatMap((e) => e.seatNumbers ?? []);
      taken.forEach((n) => state.selected.delete(n));
      flashSeats(taken);
      showMessage(userErrors.map((e) => e.message).join(" ") || "The seats could not be held.", "error");
    }
    renderAllSeats();
  });
  state.holding = new Set();
}

function mergeBookingSeats(booking) {
  booking?.seats?.forEach(applySeatChange);
}

// ─── The booking panel ──────────────────────────────────────────────────────────────────────────────────────

function setBooking(booking) {
  state.booking = booking
    ? { ...booking, expiresAt: booking.expiresAt ? new Date(booking.expiresAt) : null, expired: false }
    : null;
  renderBooking();
  renderAllSeats();
  refreshSelectionUi();
}

let countdownTimer = null;
function stopCountdown() {
  clearInterval(countdownTimer);
  countdownTimer = null;
}

function renderBooking() {
  const b = state.booking;
  el.bookingPanel.hidden = !b;
  stopCountdown();
  if (!b) return;
  el.bookingSeats.replaceChildren(
    ...sortSeats(b.seatNumbers).map((n) => Object.assign(document.createElement("li"), { textContent: n })),
  );
  el.bookingPanel.dataset.status = b.expired ? "EXPIRED" : b.status;
  el.bookingTitle.textContent = b.status === "CONFIRMED" ? "Your booking" : "Your hold";
  const pending = b.status === "PENDING" && !b.expired;
  el.bookingActions.hidden = !pending;
  el.dismiss.hidden = pending;
  [el.confirm, el.cancel, el.extend].forEach((button) => (button.disabled = !pending || state.busy));
  if (b.status === "CONFIRMED") {
    el.countdown.textContent = "✓";
    el.bookingState.textContent = `Booked! ${listSeats(b.seatNumbers)} ${b.seatNumbers.length === 1 ? "is" : "are"} yours.`;
    return;
  }
  if (b.expired) {
    el.countdown.textContent = "00:00";
    el.bookingState.textContent = "Your hold expired and the seats were released. Pick seats again to retry.";
    return;
  }
  el.bookingState.textContent = "These seats are held for you. Confirm to book them.";
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
    renderBooking();
    renderAllSeats();
    refreshSelectionUi();
    return;
  }
  const seconds = Math.ceil(left / 1000);
  el.countdown.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  el.countdown.classList.toggle("urgent", seconds <= 30);
  el.countdown.setAttribute("aria-label", `Hold expires in ${seconds} seconds`);
}

async function bookingAction(kind) {
  const b = state.booking;
  if (!b || state.busy) return;
  const { document: query, field } = {
    confirm: { document: CONFIRM, field: "confirmBooking" },
    cancel: { document: CANCEL, field: "cancelBooking" },
    extend: { document: EXTEND, field: "extendHold" },
  }[kind];
  await busy(async () => {
    const data = await mutate(query, { id: b.id });
    const { booking, userErrors } = data[field];
    mergeBookingSeats(booking);
    if (userErrors.length) {
      showMessage(userErrors.map((e) => e.message).join(" "), "error");
      if (userErrors.some((e) => e.code === "HOLD_EXPIRED")) {
        state.booking.expired = true;
        renderBooking();
      } else if (booking && booking.status !== "PENDING") {
        setBooking(booking.status === "CONFIRMED" ? booking : null);
      }
      renderAllSeats();
      return;
    }
    if (kind === "cancel") {
      setBooking(null);
      showMessage(`Hold cancelled: ${listSeats(b.seatNumbers)} released.`, "info");
    } else if (kind === "confirm") {
      setBooking(booking);
      showMessage(`Booked ${listSeats(booking.seatNumbers)}. Enjoy the show!`, "success");
    } else {
      setBooking(booking);
      showMessage(`Hold extended until ${formatTime(booking.expiresAt)}.`, "success");
    }
  });
}

/** After sign-in or reload: show the user's pending hold of this show, if any. */
async function restoreBooking(generation = state.generation) {
  try {
    const data = await graphql(MY_BOOKINGS, {}, { auth: true });
    if (generation !== state.generation || state.booking) return;
    const pending = data.myBookings.edges
      .map((e) => e.node)
      .find((b) => b.status === "PENDING" && b.show.id === state.showId && new Date(b.expiresAt) > new Date());
    if (pending) setBooking(pending);
  } catch (error) {
    showMessage(error.message, "error");
  }
}

// ─── Sign-in ────────────────────────────────────────────────────────────────────────────────────────────────

/** Reads the JWT payload for display. NOT a verification: the server checks the signature on every request. */
function decodeJwt(token) {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const payload = JSON.parse(json);
    return payload && typeof payload === "object" ? payload : null;
  } catch {
    return null;
  }
}

function signIn(rawToken, { quiet = false } = {}) {
  const token = rawToken.trim().replace(/^Bearer\s+/i, "");
  const payload = decodeJwt(token);
  if (!payload || typeof payload.sub !== "string") {
    showMessage("That does not look like a JWT (three base64url parts with a `sub` claim).", "error");
    return false;
  }
  if (typeof payload.exp === "number" && payload.exp * 1000 <= Date.now()) {
    showMessage("This token has expired. Get a new one.", "error");
    sessionStorage.removeItem(TOKEN_KEY);
    return false;
  }
  state.token = token;
  state.user = payload.sub;
  sessionStorage.setItem(TOKEN_KEY, token);
  renderSignIn();
  if (!quiet) showMessage(`Signed in as ${payload.sub}.`, "success");
  if (state.showId && state.show) restoreBooking();
  return true;
}

function signOut() {
  state.token = null;
  state.user = null;
  sessionStorage.removeItem(TOKEN_KEY);
  state.booking = null;
  renderBooking();
  renderSignIn();
  renderAllSeats();
}

function renderSignIn() {
  const signedIn = Boolean(state.token);
  el.signedIn.hidden = !signedIn;
  el.signedOut.hidden = signedIn;
  el.user.textContent = state.user ?? "";
  el.avatar.textContent = (state.user ?? "?").slice(0, 1).toUpperCase();
  el.tokenInput.value = "";
  refreshSelectionUi();
}

async function getDevToken(sub) {
  el.devButton.disabled = true;
  try {
    let response;
    try {
      response = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sub }),
      });
    } catch {
      throw new Error("Cannot reach the server.");
    }
    if (response.status === 404) throw new Error("This server does not hand out dev tokens (production mode).");
    const body = await response.json().catch(() => ({}));
    if (!response.ok || typeof body.token !== "string") throw new Error(body.error ?? `Dev token request failed (${response.status}).`);
    signIn(body.token);
  } catch (error) {
    showMessage(error.message, "error");
  } finally {
    el.devButton.disabled = false;
  }
}

// ─── Show picker and URL ────────────────────────────────────────────────────────────────────────────────────

async function loadShows() {
  const shows = [];
  let after = null;
  for (let page = 0; page < 10; page++) {
    const data = await graphql(SHOWS, { after });
    shows.push(...data.shows.edges.map((e) => e.node));
    if (!data.shows.pageInfo.hasNextPage) break;
    after = data.shows.pageInfo.endCursor;
  }
  return shows;
}

function renderShowOptions() {
  const options = state.shows.map((show) =>
    Object.assign(document.createElement("option"), {
      value: show.id,
      textContent: `${show.name} — ${formatDate(show.startsAt)}`,
    }),
  );
  if (state.showId && !state.shows.some((s) => s.id === state.showId)) {
    options.unshift(Object.assign(document.createElement("option"), { value: state.showId, textContent: state.show?.name ?? state.showId }));
  }
  if (options.length === 0) options.push(Object.assign(document.createElement("option"), { value: "", textContent: "No shows yet" }));
  el.showSelect.replaceChildren(...options);
  el.showSelect.value = state.showId ?? "";
  el.showSelect.disabled = state.shows.length === 0;
}

function showIdFromUrl() {
  return new URLSearchParams(location.search).get("show");
}

function setUrlShow(showId, mode) {
  const url = new URL(location.href);
  url.searchParams.set("show", showId);
  if (url.href === location.href) return;
  history[mode === "push" ? "pushState" : "replaceState"]({ show: showId }, "", url);
}

async function selectShow(showId, urlMode) {
  if (!showId) return;
  if (urlMode) setUrlShow(showId, urlMode);
  el.showSelect.value = showId;
  await loadShow(showId);
  renderShowOptions();
}

// ─── Messages and helpers ───────────────────────────────────────────────────────────────────────────────────

let messageTimer = null;
function showMessage(text, kind = "info") {
  clearTimeout(messageTimer);
  el.message.hidden = false;
  el.message.dataset.kind = kind;
  el.message.textContent = text;
  if (kind !== "error") messageTimer = setTimeout(() => (el.message.hidden = true), 6000);
}

async function busy(action) {
  state.busy = true;
  refreshSelectionUi();
  renderBooking();
  try {
    await action();
  } catch (error) {
    showMessage(error.message, "error");
  } finally {
    state.busy = false;
    refreshSelectionUi();
    if (state.booking) renderBooking();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** crypto.randomUUID exists only in secure contexts (https, localhost); fall back for plain http on a LAN. */
function uuid() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "AB3" → ["AB", 3]; rows sort A…Z, AA…; seats numerically. */
function sortSeats(seatNumbers) {
  const key = (s) => {
    const [, row, n] = /^([A-Z]+)(\d+)$/.exec(s) ?? [, s, "0"];
    return [row.length, row, Number(n)];
  };
  return [...seatNumbers].sort((a, b) => {
    const [la, ra, na] = key(a);
    const [lb, rb, nb] = key(b);
    return la - lb || (ra < rb ? -1 : ra > rb ? 1 : 0) || na - nb;
  });
}

function listSeats(seatNumbers) {
  const sorted = sortSeats(seatNumbers);
  return `${sorted.length === 1 ? "seat" : "seats"} ${sorted.join(", ")}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const formatDate = (iso) => dateFormat.format(new Date(iso));
const formatTime = (iso) => timeFormat.format(new Date(iso));

// ─── Wiring ─────────────────────────────────────────────────────────────────────────────────────────────────

el.grid.addEventListener("click", (event) => {
  const button = event.target.closest("button.seat");
  if (button) toggleSeat(button.dataset.seat);
});
el.grid.addEventListener("keydown", (event) => {
  const button = event.target.closest("button.seat");
  if (!button || !["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
  event.preventDefault();
  moveFocus(button.dataset.seat, event.key);
});
el.hold.addEventListener("click", () => holdSeats({ seatNumbers: sortSeats([...state.selected]) }));
el.clearSelection.addEventListener("click", () => {
  state.selected.clear();
  renderAllSeats();
  refreshSelectionUi();
});
el.bestForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const quantity = Number(el.bestQuantity.value);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_SELECTION) {
    showMessage(`Choose between 1 and ${MAX_SELECTION} seats.`, "error");
    return;
  }
  holdSeats({ quantity });
});
el.confirm.addEventListener("click", () => bookingAction("confirm"));
el.cancel.addEventListener("click", () => bookingAction("cancel"));
el.extend.addEventListener("click", () => bookingAction("extend"));
el.dismiss.addEventListener("click", () => setBooking(null));
el.tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  if (el.tokenInput.value.trim()) signIn(el.tokenInput.value);
});
el.devForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const sub = el.devUser.value.trim();
  if (!/^[\w.@-]{1,64}$/.test(sub)) {
    showMessage("User names are 1–64 letters, digits, and . _ @ -", "error");
    return;
  }
  getDevToken(sub);
});
el.signOut.addEventListener("click", () => {
  signOut();
  showMessage("Signed out.", "info");
});
el.message.addEventListener("click", () => (el.message.hidden = true));
el.showSelect.addEventListener("change", () => selectShow(el.showSelect.value, "push"));
window.addEventListener("popstate", () => {
  const id = showIdFromUrl();
  if (id && id !== state.showId) selectShow(id);
});
// A tab that slept may have missed events without the socket noticing yet: catch up when it is visible again.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") resync();
});

async function main() {
  // The dev box starts open when the page is served from this machine.
  el.devBox.open = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved && !signIn(saved, { quiet: true })) sessionStorage.removeItem(TOKEN_KEY);
  renderSignIn();
  setConnection("connecting");
  ws = createWsClient();

  try {
    state.shows = await loadShows();
  } catch (error) {
    showMessage(`Could not load shows: ${error.message}`, "error");
  }
  const wanted = showIdFromUrl();
  const initial = wanted ?? state.shows[0]?.id;
  renderShowOptions();
  if (initial) {
    await selectShow(initial, "replace");
  } else {
    renderEmpty("No shows yet. An admin can create one with the createShow mutation.");
    setConnection("offline");
  }
}

main();
