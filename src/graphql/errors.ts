import { GraphQLError, type GraphQLErrorOptions } from "graphql";
import { BadCursorError, NotOwnerError, UnknownShowError } from "../domain/errors.js";

/**
 * The base of every error a client may see as it is. Top-level GraphQL errors are for what a client did wrong
 * outside the domain (no or bad credentials, not allowed, malformed arguments, limits); expected domain outcomes are
 * `userErrors` in payloads instead. Anything that is not a PublicError (nor one of Apollo's own request errors) is
 * masked as INTERNAL_SERVER_ERROR, so a new public error needs nothing but a class extending this one.
 */
export abstract class PublicError extends GraphQLError {
  protected constructor(message: string, code: string, extensions: GraphQLErrorOptions["extensions"] = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class UnauthenticatedError extends PublicError {
  /** `rejectRequest`: the credentials themselves are bad, so the whole HTTP request is answered with 401. */
  constructor(message = "Authentication required: send `Authorization: Bearer <token>`.", rejectRequest = false) {
    super(message, "UNAUTHENTICATED", rejectRequest ? { http: { status: 401 } } : {});
  }
}

export class ForbiddenError extends PublicError {
  constructor(message = "You are not allowed to do this.") {
    super(message, "FORBIDDEN");
  }
}

export class BadUserInputError extends PublicError {
  constructor(message: string, field?: string[]) {
    super(message, "BAD_USER_INPUT", field ? { field } : {});
  }
}

/** The public error for a domain refusal; anything else is returned unchanged (and masked if unexpected). */
export function publicErrorOf(error: unknown): unknown {
  if (error instanceof NotOwnerError) return new ForbiddenError(error.message);
  if (error instanceof BadCursorError) return new BadUserInputError(error.message, [error.argument]);
  if (error instanceof UnknownShowError) return new BadUserInputError(error.message, ["showId"]);
  return error;
}

/** Runs a service call for a resolver, turning domain refusals into their public errors. */
export async function withPublicErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw publicErrorOf(error);
  }
}
