import { parseGlobalId } from "../../src/graphql/global-id";

/**
 * The database id behind an id the API returned (a global id), for the bench's own SQL and in-process services, which
 * speak database ids. A database id is returned as it is.
 */
export const databaseId = (id: string): string => parseGlobalId(id)?.databaseId ?? id;
