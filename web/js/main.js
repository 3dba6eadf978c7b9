// The page's entry point. The show named in the URL needs two reads (its layout and its seat map) before anything can
// be drawn: they start here, as soon as the operations are known, while the browser is still loading the page's
// other modules (page.js and its imports, all preloaded by index.html). Everything else is in page.js.

import { operations } from "/operations.js";
import { GRAPHQL_PATH } from "./api.js";

const showId = new URLSearchParams(location.search).get("show");
const read = (query, variables) =>
  fetch(GRAPHQL_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
const early = showId
  ? {
      showId,
      layout: read(operations.PageShowLayout, { id: showId }),
      seatMap: read(operations.PageSeatMap, { id: showId }),
    }
  : null;
// A failed early read is reported where its answer is used (show-picker.js), not here.
early?.layout.catch(() => {});
early?.seatMap.catch(() => {});

const { startPage } = await import("./page.js");
startPage(early);
