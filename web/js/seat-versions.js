// Step 4 of THE CONVERGENCE RULE (live.js) for one seat change, as a pure function, and the floor of a compact map.

/**
 * What to do with a change of version `change` (BigInt) to a seat whose version is `seat` (BigInt, or null while the
 * seat is as the loaded snapshot saw it), given the snapshot's `floor`:
 *   "apply"  — newer than what the page has;
 *   "ignore" — stale, a duplicate, or already known;
 *   "ask"    — the page cannot tell (a change at or below the floor to a seat it knows only from the snapshot):
 *              seatsChangedSince(<the snapshot's seatMapVersion>) settles it.
 * `sinceSnapshot`: the change is an answer of that very query, so it is newer than the snapshot by definition.
 */
export function judgeChange(seat, change, floor, sinceSnapshot) {
  if (seat !== null) return change > seat ? "apply" : "ignore";
  if (sinceSnapshot || change > floor) return "apply";
  return "ask";
}

/** The floor of a compact map's seats: the highest seat version in `seatMapVersion` ("1234@5001:5007:5003"). */
export function snapshotFloor(seatMapVersion) {
  return BigInt(seatMapVersion.split("@")[0]);
}
