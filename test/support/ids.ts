import { parseGlobalId } from "./from-src";

/**
 * The database id behind an id the API returned (a global id), for a test or support helper that looks at the
 * database or at the process's own parts, which speak database ids. A database id is returned as it is.
 */
export function databaseId(id: string): string {
  return parseGlobalId(id)?.databaseId ?? id;
}

/** databaseId of each. */
export const databaseIds = (ids: readonly string[]): string[] => ids.map(databaseId);
