import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { PublicError } from "../graphql/errors.js";

/** A connection's open operations (subscriptions and in-flight queries) are at the cap; the connection stays usable. */
export class TooManyOperationsError extends PublicError {
  constructor(limit: number) {
    super(
      `Too many operations on this WebSocket connection: at most ${limit} may be open at once. ` +
        "Complete some subscriptions first.",
      "TOO_MANY_OPERATIONS",
      { limit },
    );
  }
}

/**
 * An error already formatted for the client (by Apollo's pipeline, or masked here): graphql-ws takes GraphQLErrors
 * from its hooks, and this one carries the exact answer to send.
 */
export class AnsweredError extends GraphQLError {
  constructor(readonly formatted: GraphQLFormattedError) {
    super(formatted.message);
  }
}

export interface ConnectionCounter {
  /** Whether one more connection from `address` is allowed now. */
  admit(address: string): boolean;
  opened(address: string): void;
  closed(address: string): void;
}

/** Open WebSocket connections per client address, bounded by `limit` (addresses with none are forgotten). */
export function connectionCounter(limit: number): ConnectionCounter {
  const open = new Map<string, number>();
  return {
    admit: (address) => (open.get(address) ?? 0) < limit,
    opened: (address) => {
      open.set(address, (open.get(address) ?? 0) + 1);
    },
    closed: (address) => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    },
  };
}
