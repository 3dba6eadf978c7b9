// The seat map's geometry, worked out from a show's static layout: where each seat, row label and section label goes,
// and which seat an arrow key moves to. Pure: no DOM and no page state.
//
// Units are the API's: x in seat widths from the venue's left, y in rows from the front. Aisles, gaps, row offsets and
// sections are holes and shifts in x/y, so the map is drawn from them alone; a seat number is never parsed (venues
// prefix them, "C-A1", "BOXA-A1"). The map adds one thing the layout does not have: a band above the front row of
// each section for its label, so a label never covers a seat.

/** `LayoutSeat.accessibility` bit flags. */
const WHEELCHAIR = 1;
const COMPANION = 2;

/** Rows whose y differ by less than this are one visual row (for Home/End and left/right moves). */
const SAME_ROW = 0.5;

/**
 * Plans the map of `layout` (`Show.layout`). `sectionLabels` maps a section key to its display name.
 *
 * Returns, with x/y shifted so the map's top-left item is at 0/0 and `bands` the section-label bands above an item:
 *   seats:         { seatNumber, row, section, sectionLabel, category, wheelchair, companion, x, y, order } in layout
 *                  order (`order` is the index in it, the order `availability.statuses` uses);
 *   seatRows:      { x, y, bands, seats } per layout row: its seats side by side from its first seat's x/y, each seat
 *                  with `space` (seat widths of aisle or gap before it) and `rise` (rows it sits lower than the first);
 *   rowLabels:     { label, x, y, bands } beside the first and last seat of each row, where nothing else is;
 *   sectionLabels: { key, label, x, width, y, bands } above each section (none when there is only one);
 *   columns, rows, totalBands: the extent, in seat widths, rows and bands.
 * The page draws a row as one positioned box of seats that flow inside it: a seat needs its own style only after an
 * aisle or gap, so the browser shares one computed style among the seats of a category (100,000 seats stay fast).
 */
export function planSeatMap(layout, sectionLabels) {
  const rows = layout.rows.filter((row) => row.seats.length > 0);
  const sectionKeys = [...new Set(rows.map((row) => row.section))];
  const labelled = sectionKeys.length > 1;
  const sectionBoxes = labelled ? sectionKeys.map((key) => boxOf(key, rows)) : [];
  const rowLabels = placeRowLabels(rows);

  const bandTops = [...new Set(sectionBoxes.map((box) => box.top))].sort((a, b) => a - b);
  // Bands above a row at y: one for every section whose front row is at or in front of it.
  const bandsAt = (y) => bandTops.filter((top) => top <= y).length;

  const xs = rangeOf([...rows.flatMap((row) => row.seats.map((seat) => seat.x)), ...rowLabels.map((label) => label.x)]);
  const ys = rangeOf(rows.flatMap((row) => row.seats.map((seat) => seat.y)));
  const minX = xs.min;
  const minY = ys.min;

  let order = 0;
  const seats = [];
  const seatRows = rows.map((row) => {
    const first = row.seats[0];
    let nextX = first.x;
    const rowSeats = row.seats.map((seat) => {
      const planned = {
        seatNumber: seat.seatNumber,
        row: row.label,
        section: row.section,
        sectionLabel: sectionLabels.get(row.section) ?? row.section,
        category: seat.category,
        wheelchair: (seat.accessibility & WHEELCHAIR) !== 0,
        companion: (seat.accessibility & COMPANION) !== 0,
        x: seat.x - minX,
        y: seat.y - minY,
        space: seat.x - nextX,
        rise: seat.y - first.y,
        order: order++,
      };
      nextX = seat.x + 1;
      seats.push(planned);
      return planned;
    });
    return { x: first.x - minX, y: first.y - minY, bands: bandsAt(first.y), seats: rowSeats };
  });
  return {
    seats,
    seatRows,
    rowLabels: rowLabels.map((label) => ({ ...label, x: label.x - minX, y: label.y - minY, bands: bandsAt(label.y) })),
    sectionLabels: sectionBoxes.map((box) => ({
      key: box.key,
      label: sectionLabels.get(box.key) ?? box.key,
      x: box.left - minX,
      width: box.right - box.left + 1,
      y: box.top - minY,
      bands: bandsAt(box.top) - 1,
    })),
    columns: xs.max - minX + 1,
    rows: ys.max - minY + 1,
    totalBands: bandTops.length,
  };
}

/** The extent of one section's seats. */
function boxOf(key, rows) {
  const seats = rows.filter((row) => row.section === key).flatMap((row) => row.seats);
  const xs = rangeOf(seats.map((seat) => seat.x));
  return { key, left: xs.min, right: xs.max, top: rangeOf(seats.map((seat) => seat.y)).min };
}

/** Smallest and largest of `values` (a loop: spreading 100,000 seats into Math.min overflows the stack). */
function rangeOf(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/**
 * A label one seat width left of each row's first seat and right of its last, skipped where it would overlap a row
 * of another section (beside a box, say) or touch a label already placed ("A A" between the stalls and a box reads
 * as one row). A row is taken as its whole extent, so a label never lands in another row's aisle either.
 */
function placeRowLabels(rows) {
  const extents = rows.map((row) => {
    const xs = rangeOf(row.seats.map((seat) => seat.x));
    return { y: row.seats[0].y, left: xs.min, right: xs.max };
  });
  const placed = [];
  const free = (x, y) =>
    extents.every((e) => Math.abs(e.y - y) >= 1 || x <= e.left - 1 || x >= e.right + 1) &&
    placed.every((label) => Math.abs(label.y - y) >= 1 || Math.abs(label.x - x) >= 2);
  rows.forEach((row, index) => {
    const { y, left, right } = extents[index];
    for (const x of [left - 1, right + 1]) {
      if (free(x, y)) placed.push({ label: row.label, x, y });
    }
  });
  return placed;
}

/**
 * The seat an arrow key (or Home/End) moves to from `from`, by position: left/right to the nearest seat of the same
 * visual row; up/down to the nearest row in that direction, then the seat nearest in x; Home/End to the row's ends.
 * Null when there is none. `seats` is any iterable of objects with x and y.
 */
export function nearestSeat(seats, from, key) {
  const score = SCORES[key];
  if (!score) return null;
  let best = null;
  let bestScore = null;
  for (const seat of seats) {
    if (seat === from) continue;
    const candidate = score(seat.x - from.x, seat.y - from.y, seat);
    if (candidate && (!bestScore || before(candidate, bestScore))) {
      best = seat;
      bestScore = candidate;
    }
  }
  return best;
}

const sameRow = (dy) => Math.abs(dy) < SAME_ROW;

/** Per key: null when a seat is not in that direction, else a tuple where smaller is nearer. */
const SCORES = {
  ArrowLeft: (dx, dy) => (sameRow(dy) && dx < 0 ? [-dx, Math.abs(dy)] : null),
  ArrowRight: (dx, dy) => (sameRow(dy) && dx > 0 ? [dx, Math.abs(dy)] : null),
  ArrowUp: (dx, dy) => (dy <= -SAME_ROW ? [-dy, Math.abs(dx)] : null),
  ArrowDown: (dx, dy) => (dy >= SAME_ROW ? [dy, Math.abs(dx)] : null),
  Home: (dx, dy, seat) => (sameRow(dy) && dx < 0 ? [seat.x] : null),
  End: (dx, dy, seat) => (sameRow(dy) && dx > 0 ? [-seat.x] : null),
};

function before(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}
