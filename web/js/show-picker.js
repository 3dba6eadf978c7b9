// The show picker and the `?show=<id>` URL: which show is on screen, and loading its seat map (rule step 1 of
// THE CONVERGENCE RULE in live.js).

import { SEAT_MAP, SHOWS } from "./api.js";
import { formatDate } from "./util.js";

export function createShowPicker({ state, session, api, messages, grid, live, panel }) {
  const el = { showSelect: document.getElementById("show-select") };

  /** Loads the shows and the one in the URL (or the first), once the page has started. */
  async function start() {
    try {
      state.shows = await loadShows();
    } catch (error) {
      messages.show(`Could not load shows: ${error.message}`, "error");
    }
    const wanted = showIdFromUrl();
    const initial = wanted ?? state.shows[0]?.id;
    renderShowOptions();
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
      const data = await api.graphql(SHOWS, { after });
      shows.push(...data.shows.edges.map((e) => e.node));
      if (!data.shows.pageInfo.hasNextPage) break;
      after = data.shows.pageInfo.endCursor;
    }
    return shows;
  }

  function renderShowOptions() {
    const option = (value, textContent) => Object.assign(document.createElement("option"), { value, textContent });
    const options = state.shows.map((show) => option(show.id, `${show.name} — ${formatDate(show.startsAt)}`));
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

  /** Rule step 1 (+2, +3): load the snapshot, then go live for this show. */
  async function loadShow(showId) {
    const generation = ++state.generation;
    state.showId = showId;
    state.resumeVersion = null;
    state.selected.clear();
    panel.dropBooking();
    live.stopLive();
    grid.setLoading(true);
    let show;
    try {
      show = (await api.graphql(SEAT_MAP, { id: showId })).show;
    } catch (error) {
      if (generation === state.generation) messages.show(`Could not load the seat map: ${error.message}`, "error");
      return;
    }
    if (generation !== state.generation) return;
    grid.setLoading(false);
    if (!show) {
      messages.show("There is no show with this id.", "error");
      grid.renderEmpty("No such show. Pick another one above.");
      return;
    }
    state.show = show;
    state.resumeVersion = show.seatMapVersion;
    state.seats = new Map(show.seats.map((s) => [s.seatNumber, { ...s, version: BigInt(s.version), el: null }]));
    grid.renderShowHeader(show);
    grid.renderGrid(show);
    grid.setCounts(show);
    if (live.isConnected()) live.setConnection("connecting"); // until the new subscription is running and resynced
    live.startLive(showId);
    panel.refreshSelectionUi();
    if (session.token) panel.restoreBooking(generation);
  }

  el.showSelect.addEventListener("change", () => selectShow(el.showSelect.value, "push"));
  window.addEventListener("popstate", () => {
    const id = showIdFromUrl();
    if (id && id !== state.showId) selectShow(id);
  });

  return { start };
}
