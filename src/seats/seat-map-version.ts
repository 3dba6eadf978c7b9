import { MAX_INT8, parseInt8 } from "../domain/ids.js";

/**
 * A seat map version: the highest seat version the client has seen, plus the PostgreSQL snapshot its seat map was
 * read after ("1234@5001:5007:5003"). The snapshot lets seatsChangedSince return every change the map missed,
 * including one that took its version before the map was read but committed after.
 */
export interface SeatMapVersion {
  readonly version: bigint;
  readonly snapshot: string | null;
}

const SNAPSHOT = /^(\d{1,20}):(\d{1,20}):((?:\d{1,20})(?:,\d{1,20})*)?$/;

/**
 * Parses a seatMapVersion, or a plain seat version number as events carry; null for anything else, including values
 * PostgreSQL would refuse (so a made-up version is the caller's mistake, not a server error).
 */
export function parseSeatMapVersion(text: string): SeatMapVersion | null {
  const match = /^(\d{1,19})(?:@(.+))?$/.exec(text.trim());
  if (!match) return null;
  // Versions come from a bigint sequence.
  const version = parseInt8(match[1]!);
  if (version === null) return null;
  const snapshot = match[2] ?? null;
  if (snapshot !== null && !isSnapshot(snapshot)) return null;
  return { version, snapshot };
}

/**
 * Whether `text` is a pg_snapshot as PostgreSQL prints one ("xmin:xmax:xip,…"): 1 ≤ xmin ≤ xmax, and the in-progress
 * ids within xmin…xmax (xmax excluded) in ascending order.
 */
function isSnapshot(text: string): boolean {
  if (text.length > 10_000) return false;
  const match = SNAPSHOT.exec(text);
  if (!match) return false;
  const xmin = BigInt(match[1]!);
  const xmax = BigInt(match[2]!);
  // Transaction ids (xid8) stay far below the bigint range in practice.
  if (xmin < 1n || xmin > xmax || xmax > MAX_INT8) return false;
  const inProgress = match[3] ? match[3].split(",").map(BigInt) : [];
  return inProgress.every((xid, i) => xid >= xmin && xid < xmax && (i === 0 || xid >= inProgress[i - 1]!));
}

export const formatSeatMapVersion = (version: bigint, snapshot: string): string => `${version}@${snapshot}`;
