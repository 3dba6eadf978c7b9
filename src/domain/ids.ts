const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Show and booking ids are UUIDs; anything else cannot name a row, so it is answered as "not found" without a query. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The largest value of PostgreSQL's bigint: ids and numbers from its sequences. */
export const MAX_INT8 = 2n ** 63n - 1n;

/**
 * A bigint written in decimal (a sequence's id, version or position; 0 included), or null for anything else,
 * including numbers PostgreSQL's bigint cannot hold (a made-up cursor is the caller's mistake, not a server error).
 */
export function parseInt8(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value <= MAX_INT8 ? value : null;
}
