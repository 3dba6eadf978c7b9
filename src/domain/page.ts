import { encodeTimeIdCursor } from "./cursor.js";

/** A page of items as services return it; resolvers turn it into a Relay connection. */
export interface Page<T> {
  readonly items: T[];
  readonly cursors: string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly totalCount: number;
}

/**
 * Assembles a keyset page from `first + 1` rows read after the cursor `after`: the extra row only tells that
 * another page follows. Each item's cursor encodes its (time, id) sort key.
 */
export function keysetPage<T extends { id: string }>(
  rows: T[],
  first: number,
  after: string | null | undefined,
  totalCount: number,
  timeOf: (item: T) => Date,
): Page<T> {
  const items = rows.slice(0, first);
  return {
    items,
    cursors: items.map((item) => encodeTimeIdCursor(timeOf(item), item.id)),
    hasNextPage: rows.length > first,
    hasPreviousPage: Boolean(after),
    totalCount,
  };
}
