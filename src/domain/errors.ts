/**
 * Refusals a service raises where returning a Problem does not fit (a read that is not the caller's, a cursor it
 * never issued). They know nothing of GraphQL: the GraphQL layer maps each to its public error in one place
 * (graphql/errors.ts), so services stay usable from scripts and the benchmark.
 */
export abstract class DomainError extends Error {}

/** The viewer asked for (or to change) a booking that belongs to someone else. */
export class NotOwnerError extends DomainError {
  override readonly name = "NotOwnerError";
  constructor(message = "This booking belongs to someone else.") {
    super(message);
  }
}

/** A pagination cursor this API did not issue. */
export class BadCursorError extends DomainError {
  override readonly name = "BadCursorError";
  constructor(readonly argument: string) {
    super(`\`${argument}\` is not a cursor returned by this API.`);
  }
}

/** A show id that names no show. */
export class UnknownShowError extends DomainError {
  override readonly name = "UnknownShowError";
  constructor() {
    super("No show with this id.");
  }
}
