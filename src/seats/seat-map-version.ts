/**
 * A seat map version: the highest seat version the client has seen, plus the PostgreSQL snapshot its seat map was
 * read after ("1234@5001:5007:5003"). The snapshot lets seatsChangedSince return every change the map missed,
 * including one that took its version before the map was read but committed after.
 */
export interface SeatMapVersion {
  readonly version: bigint;
  readonly snapshot: string | null;
}

const SNAPSHOT = /^\d+:\d+:(\d+(,\d+)*)?$/;

/** Parses a seatMapVersion, or a plain seat version number as events carry; null for anything else. */
export function parseSeatMapVersion(text: string): SeatMapVersion | null {
  const match = /^(\d{1,19})(?:@(.+))?$/.exec(text.trim());
  if (!match) return null;
  const snapshot = match[2] ?? null;
  if (snapshot !== null && (snapshot.length > 10_000 || !SNAPSHOT.test(snapshot))) return null;
  return { version: BigInt(match[1]!), snapshot };
}

export const formatSeatMapVersion = (version: bigint, snapshot: string): string => `${version}@${snapshot}`;
