// The show picker and the `?show=<id>` URL: which show is on screen, and loading its seat map (rule step 1 of
// THE CONVERGENCE RULE in live.js).

import { OPERATIONS } from "./api.js";
import { snapshotFloor } from "./seat-versions.js";
import { planSeatMap } from "./seat-layout.js";
import { formatDate, formatLocalStart } from "./util.js";

/** `availability.statuses`: one character per seat in layout order. */
const STATUSES = { A: "AVAILABLE", H: "HELD", B: "BOOKED", X: "BLOCKED" };

/** Planned layouts kept for switching back and forth between shows (a plan holds an object per seat). */
const PLANS_KEPT = 4;

export function createShowPicker({ state, session, api, messages, grid, live, panel, early }) {
  const el = { showSelect: document.getElementById("show-select") };

  /** Loads the shows and the one in the URL (or the first), once the page has started. */
  async function start() {
    // The show in the URL loads at once, alongside the list of shows (which only fills the picker).
    const wanted = showIdFromUrl();
    const listed = loadShows().then(
      (shows) => {
        state.shows = shows;
        renderShowOptions();
      },
      (error) => messages.show(`Could not load shows: ${error.message}`, "error"),
    );
    if (wanted) {
      await Promise.all([selectShow(wanted, "replace"), listed]);
      return;
    }
    await listed;
    const initial = state.shows[0]?.id;
    if (initial) {
      await selectShow(initial, "replace");
    } else {
      grid.renderEmpty("No shows yet. An admin can create one with the createShow mutation.");
      live.setConnection("offline");
    }
  }

  async function loadShows() {
    const shows = [];
    let after = null;
    for (let page = 0; page < 10; page++) {
      const data = await api.graphql(OPERATIONS.PageShows, { after });
      shows.push(...data.shows.edges.map((e) => e.node));
      if (!data.shows.pageInfo.hasNextPage) break;
      after = data.shows.pageInfo.endCursor;
    }
    return shows;
  }

  function renderShowOptions() {
    const option = (value, textContent) => Object.assign(document.createElement("option"), { value, textContent });
    const when = (show) => formatLocalStart(show.startsAtLocal, show.timeZone) ?? formatDate(show.startsAt);
    const options = state.shows.map((show) => option(show.id, `${show.name} — ${when(show)}`));
    if (state.showId && !state.shows.some((s) => s.id === state.showId)) {
      options.unshift(option(state.showId, state.show?.name ?? state.showId));
    }
    if (options.length === 0) options.push(option("", "No shows yet"));
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

  /** Rule step 1 (+2, +3): load the snapshot (and the layout, the first time), then go live for this show. */
  async function loadShow(showId, retried = false) {
    const generation = ++state.generation;
    state.showId = showId;
    state.resumeVersion = null;
    state.selected.clear();
    panel.dropBooking();
    live.stopLive();
    grid.setLoading(true);
    let show;
    let plan;
    try {
      // The reads main.js started for the URL's show serve its first load only.
      const sent = early?.showId === showId && !retried ? early : null;
      early = null;
      [show, plan] = await Promise.all([
        api.graphql(OPERATIONS.PageSeatMap, { id: showId }, { sent: sent?.seatMap }).then((data) => data.show),
        planOf(showId, sent?.layout),
      ]);
    } catch (error) {
      if (generation === state.generation) messages.show(`Could not load the seat map: ${error.message}`, "error");
      return;
    }
    if (generation !== state.generation) return;
    grid.setLoading(false);
    if (!show || !plan) {
      messages.show("There is no show with this id.", "error");
      grid.renderEmpty("No such show. Pick another one above.");
      return;
    }
    const { availability } = show;
    if (availability.statuses.length !== plan.seats.length) {
      // The show was moved to another layout since its plan was kept: plan it again.
      state.plans.delete(showId);
      if (!retried) await loadShow(showId, true);
      else messages.show("The seat map changed while it was loading. Reload the page.", "error");
      return;
    }
    state.show = show;
    state.resumeVersion = availability.seatMapVersion;
    state.snapshotFloor = snapshotFloor(availability.seatMapVersion);
    // The compact map has no version per seat: `version: null` means "as of the snapshot" (see live.js).
    state.seats = new Map();
    plan.seats.forEach((place, index) => {
      const status = STATUSES[availability.statuses[index]] ?? "BLOCKED";
      state.seats.set(place.seatNumber, { ...place, status, version: null });
    });
    grid.renderShowHeader(show);
    grid.renderGrid(show, plan);
    grid.setCounts(availability);
    if (live.isConnected()) live.setConnection("connecting"); // until the new subscription is running and resynced
    live.startLive(showId);
    panel.refreshSelectionUi();
    if (session.token) panel.restoreBooking(generation);
  }

  /** The show's planned layout: asked for once per show (it changes only if an admin moves the unsold show to another layout); null when there is no such show. */
  async function planOf(showId, sent) {
    let plan = state.plans.get(showId);
    if (!plan) {
      const show = (await api.graphql(OPERATIONS.PageShowLayout, { id: showId }, { sent })).show;
      if (!show) return null;
      plan = planSeatMap(show.layout, new Map(show.sections.map((section) => [section.key, section.label])));
    }
    // Most recently used last: the first key is the one to forget.
    state.plans.delete(showId);
    state.plans.set(showId, plan);
    if (state.plans.size > PLANS_KEPT) state.plans.delete(state.plans.keys().next().value);
    return plan;
  }

  el.showSelect.addEventListener("change", () => selectShow(el.showSelect.value, "push"));
  window.addEventListener("popstate", () => {
    const id = showIdFromUrl();
    if (id && id !== state.showId) selectShow(id);
  });

  return { start };
}
