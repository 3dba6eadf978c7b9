import { GraphQLError } from "graphql";

/**
 * Top-level GraphQL errors, for what a client did wrong outside the domain (no or bad credentials,
 * not allowed, malformed arguments). Expected domain outcomes are `userErrors` in payloads instead.
 */
export class UnauthenticatedError extends GraphQLError {
  /** `rejectRequest`: the credentials themselves are bad, so the whole HTTP request is answered with 401. */
  constructor(message = "Authentication required: send `Authorization: Bearer <token>`.", rejectRequest = false) {
    super(message, { extensions: { code: "UNAUTHENTICATED", ...(rejectRequest ? { http: { status: 401 } } : {}) } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message = "You are not allowed to do this.") {
    super(message, { extensions: { code: "FORBIDDEN" } });
  }
}

export class BadUserInputError extends GraphQLError {
  constructor(message: string, field?: string[]) {
    super(message, { extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}) } });
  }
}

/** Error codes a client may see and act on; everything else is masked as INTERNAL_SERVER_ERROR. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COMPLEX",
  "RATE_LIMITED",
]);
