import { type Viewer } from "../domain/viewer.js";
import { UnauthenticatedError } from "../graphql/errors.js";
import { CredentialsError, DEFAULT_TOKEN_RULES, tokenFromAuthorization, type TokenRules } from "../platform/jwt.js";

/**
 * What a request's credentials come to: a viewer (null when none were sent) and when its token expires (ms since the
 * epoch; absent without a token), or a refusal saying why.
 */
export type Credentials =
  { readonly viewer: Viewer | null; readonly expiresAt?: number } | { readonly refusal: UnauthenticatedError };

/**
 * Verifies an `Authorization` header value once per request (HTTP) or connection (WebSocket); every consumer (the
 * GraphQL context, the seat-map cache, the WebSocket handshake) reads the result instead of verifying again.
 */
export function credentialsOf(
  secret: string,
  authorization: string | null | undefined,
  rules: TokenRules = DEFAULT_TOKEN_RULES,
): Credentials {
  try {
    const token = tokenFromAuthorization(secret, authorization, rules);
    return token ? { viewer: token.viewer, expiresAt: token.expiresAt } : { viewer: null };
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    // The credentials themselves are bad: the whole HTTP request is answered with 401.
    return { refusal: new UnauthenticatedError(error.message, true) };
  }
}

/** The viewer, or the refusal thrown (for building a context, where a refusal fails the request). */
export function viewerOrThrow(credentials: Credentials): Viewer | null {
  if ("refusal" in credentials) throw credentials.refusal;
  return credentials.viewer;
}
