import { DateTimeResolver } from "graphql-scalars";

/** `DateTime`: an RFC 3339 timestamp such as "2026-12-01T19:30:00Z"; always returned in UTC. */
export const DateTimeScalar = DateTimeResolver;
