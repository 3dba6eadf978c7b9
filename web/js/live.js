// Live seat changes: the graphql-ws client, the seatMapChanged subscription, resync with seatsChangedSince, and the
// rule that decides whether a seat change is applied.
//
// ─── THE CONVERGENCE RULE ─────────────────────────────────────────────────────────────────────────────────────
// Every seat change carries a `version` (a decimal string of an increasing number; compare as BigInt, never as
// strings or JS numbers). The page keeps, per seat, the status and the version it last applied, and:
//
//   1. loads the compact map: show { availability { seatMapVersion statuses } }        → loadShow() (show-picker.js)
//   2. subscribes to seatMapChanged(showId)                                                → startLive()
//   3. once the subscription is running, asks for the gap:
//        show { seatsChangedSince(version: <seatMapVersion of the snapshot>) }            → resync()
//   4. applies a seat change — from an event, from seatsChangedSince, or from the `seats` of a mutation
//      payload — ONLY if its version is greater than the version it has for that seat  → applySeatChange()
//
// The compact map has no version per seat. Its seats start with `version: null`, "as the snapshot saw it", and the
// snapshot's highest seat version (the number before "@" in seatMapVersion) is their floor:
//   * a change above the floor is newer than the snapshot, for whichever seat: applied;
//   * a change at or below it is either one the snapshot already shows, or one of a transaction that took its number
//     before the snapshot and committed after it. The page cannot tell which, so it does not guess: it asks
//     seatsChangedSince(seatMapVersion), whose answer lists exactly the seats whose last change the snapshot did not
//     see. Those answers are applied to a seat still at `null` whatever their number (they are newer than the
//     snapshot by definition), and by version once the seat has one.
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

import { GRAPHQL_PATH, OPERATIONS } from "./api.js";
import { judgeChange } from "./seat-versions.js";
import { isMine } from "./state.js";
import { sleep } from "./util.js";

/**
 * graphql-transport-ws has no "subscription started" message: `connected` means the connection was acknowledged,
 * and the server registers the subscription a moment later (after it has checked that the show exists). The gap
 * query is sent after this settle delay, and repeated once more later as a safety net; both are idempotent.
 */
const SUBSCRIBE_SETTLE_MS = 150;
const SAFETY_RESYNC_MS = 2500;
/** How long a change the page could not place waits for others before the gap query that places them. */
const RESYNC_REQUEST_MS = 50;

/**
 * Keeps `state.seats` of `state.showId` converged with the server and shows the connection state in the top bar.
 * A seat whose status changes is redrawn with `grid.renderSeat`; `onSeatsChanged` runs after each batch of changes
 * (the selection UI depends on the seats). The WebSocket client and the timers are this object's own.
 */
export function createLive({ state, api, messages, grid, onSeatsChanged }) {
  const el = {
    connection: document.querySelector(".connection"),
    connectionText: document.querySelector('[data-testid="connection"]'),
  };
  let createClient = null;
  let ws = null;
  let wsConnected = false;
  let liveSubscription = null; // { showId, dispose }
  let resyncTimers = [];
  let rebuildTimer = null;
  let resyncRequested = false;

  /** graphql-ws is loaded here, not imported at the top: the map's first paint does not wait for it. */
  async function connect() {
    setConnection("connecting");
    ({ createClient } = await import("/vendor/graphql-ws/client.js"));
    ws = createWsClient();
    if (state.showId && state.resumeVersion && !liveSubscription) startLive(state.showId);
  }

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
      // Close codes graphql-ws treats as fatal end the client instead of retrying: start a new one, which
      // resubscribes and resyncs. (A subscriber that falls behind is closed with 1013, which graphql-ws retries by
      // itself.)
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

  function rebuildWsClient() {
    if (rebuildTimer) return;
    wsConnected = false;
    setConnection("reconnecting");
    rebuildTimer = setTimeout(
      () => {
        rebuildTimer = null;
        try {
          ws?.dispose();
        } catch {
          /* already gone */
        }
        ws = createWsClient();
        if (state.showId) startLive(state.showId);
      },
      1000 + Math.random() * 1000,
    );
  }

  /** Subscribes to seatMapChanged for `showId` (replacing any previous show's subscription). */
  function startLive(showId) {
    liveSubscription?.dispose();
    clearResyncTimers();
    if (!ws) return; // connect() subscribes once the client is loaded
    const generation = state.generation;
    const dispose = ws.subscribe(
      { query: OPERATIONS.PageSeatMapChanged, variables: { showId } },
      {
        next: (result) => {
          if (generation !== state.generation) return;
          const change = result.data?.seatMapChanged;
          if (result.errors?.length) messages.show(result.errors[0].message, "error");
          if (change && change.showId === state.showId) applyEvent(change);
        },
        error: (error) => {
          if (generation !== state.generation) return;
          if (Array.isArray(error)) {
            // A GraphQL error for this subscription (e.g. the show was not found): retrying will not help.
            setConnection("offline");
            messages.show(error[0]?.message ?? "The live seat feed failed.", "error");
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

  /** Ends the current show's subscription (another show is being loaded). */
  function stopLive() {
    liveSubscription?.dispose();
    liveSubscription = null;
    clearResyncTimers();
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
      const data = await api.graphql(OPERATIONS.PageSeatsChangedSince, {
        id: state.showId,
        version: state.resumeVersion,
      });
      if (generation !== state.generation || !data.show) return false;
      data.show.seatsChangedSince.forEach((change) => applySeatChange(change, { sinceSnapshot: true }));
      grid.setCounts(data.show);
      onSeatsChanged();
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

  /**
   * Rule step 4: apply a change only if it is newer than what the page has for that seat. `sinceSnapshot`: the
   * change comes from seatsChangedSince(<the snapshot's seatMapVersion>), so it is newer than the snapshot.
   */
  function applySeatChange(change, { sinceSnapshot = false } = {}) {
    const seat = state.seats.get(change.seatNumber);
    if (!seat) return false;
    const version = BigInt(change.version);
    const verdict = judgeChange(seat.version, version, state.snapshotFloor, sinceSnapshot);
    if (verdict === "ask") requestResync(); // the snapshot may or may not show it: seatsChangedSince decides
    if (verdict !== "apply") return false;
    seat.version = version;
    if (seat.status === change.status) return true;
    seat.status = change.status;
    const ours = isMine(state, change.seatNumber) || state.holding.has(change.seatNumber);
    if (change.status !== "AVAILABLE" && state.selected.delete(change.seatNumber) && !ours) {
      messages.show(`Seat ${change.seatNumber} was just taken by someone else and is no longer selected.`, "info");
    }
    grid.renderSeat(seat);
    return true;
  }

  /** One gap query for a burst of changes the page could not place. */
  function requestResync() {
    if (resyncRequested) return;
    resyncRequested = true;
    setTimeout(() => {
      resyncRequested = false;
      resync();
    }, RESYNC_REQUEST_MS);
  }

  function applyEvent(change) {
    change.seats.forEach(applySeatChange);
    grid.setCounts(change); // counts come from the latest event
    onSeatsChanged();
  }

  // A tab that slept may have missed events without the socket noticing yet: catch up when it is visible again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") resync();
  });

  return { connect, startLive, stopLive, resync, applySeatChange, setConnection, isConnected: () => wsConnected };
}
