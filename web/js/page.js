// Seat-map reference page: plain ES modules, no framework, no build step.
//
// It shows how a frontend should talk to the seat-booking API:
//   * reads (shows, seat map, gap fill) and mutations go over HTTP POST /graphql;
//   * live seat changes come from the `seatMapChanged` subscription over graphql-ws (same path, ws:// or wss://);
//   * the seat map is kept correct with per-seat versions — see "THE CONVERGENCE RULE" in live.js.
//
// The modules:
//   api.js            the operations (web/operations/*.graphql, served as /operations.js), graphql() / mutate()
//   live.js           graphql-ws client, subscription, resync, the convergence rule, the connection indicator
//   seat-map.js       the seat map: a canvas that zooms and pans, its overview, keyboard seat cursor, pointer input
//   seat-canvas.js    drawing seats, markers, labels, stage and overview;  seat-view.js  zoom and pan (pure)
//   seat-input.js     pointer, touch and wheel input;  map-header.js  show name, start and counts
//   palette.js        the map's colours (palette.json) and their WCAG contrast;  legend-samples.js  legend seats
//   seat-versions.js  the convergence rule for one seat change (pure)
//   seat-layout.js    where seats, row and section labels go, and the seat an arrow key reaches (pure)
//   category-legend.js  the price legend: categories, prices and their free seats
//   money.js          exact money: sums in minor units, formatted with Intl (pure)
//   booking-panel.js  selection, holds, confirm / cancel / extend, countdown
//   sign-in.js        token and dev-token sign-in
//   show-picker.js    show picker, ?show=<id>, loading a show's seat map
//   messages.js       the message line;  state.js  the state objects;  util.js  helpers
//
// main.js starts the show's two reads before this module and its imports have even loaded (`early`); this module
// wires the components together: it creates the state and the components, and hands each one what it
// uses. Components that need each other both ways (a seat click goes to the booking panel, a refused token signs
// out) are connected through callbacks, which run only after everything here has been created.

import { createApi } from "./api.js";
import { createBookingPanel } from "./booking-panel.js";
import { createLive } from "./live.js";
import { createMessages } from "./messages.js";
import { drawLegendSamples } from "./legend-samples.js";
import { createSeatMap } from "./seat-map.js";
import { createShowPicker } from "./show-picker.js";
import { createSignIn } from "./sign-in.js";
import { createSession, createState } from "./state.js";

/** `early`: the reads main.js started for the URL's show ({ showId, layout, seatMap }: fetch promises), or null. */
export function startPage(early) {
  const session = createSession();
  const state = createState();

  const messages = createMessages();
  const api = createApi({ session, onUnauthenticated: () => signIn.signOut() });
  const grid = createSeatMap({ state, onSeatClick: (seatNumber) => panel.toggleSeat(seatNumber) });
  const live = createLive({ state, api, messages, grid, onSeatsChanged: () => panel.refreshSelectionUi() });
  const panel = createBookingPanel({ state, session, api, messages, grid, live });
  const signIn = createSignIn({
    session,
    messages,
    onSignedIn: () => panel.signedIn(),
    onSignedOut: () => panel.signedOut(),
    onRender: () => panel.refreshSelectionUi(),
  });
  const showPicker = createShowPicker({ state, session, api, messages, grid, live, panel, early });

  drawLegendSamples();
  keepCartHeight();
  signIn.start();
  live.connect();
  showPicker.start();
}

/** On a phone the cart is fixed at the bottom: the page keeps room for it, so nothing stays hidden behind it. */
function keepCartHeight() {
  const cart = document.getElementById("cart");
  new ResizeObserver(() => {
    const fixed = getComputedStyle(cart).position === "fixed";
    document.documentElement.style.setProperty("--cart-height", `${fixed ? cart.offsetHeight : 0}px`);
  }).observe(cart);
}
