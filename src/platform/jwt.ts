import { createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import jwt from "jsonwebtoken";
import { type Role, ROLES, type Viewer } from "../domain/viewer.js";
import { type Config } from "./config.js";

/** Credentials that were sent but cannot be accepted; the message says why and is safe to show to the client. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

// jsonwebtoken first tries to parse a string secret as a PEM public key on every call (a costly failure); handing
// it a ready secret KeyObject skips that. Cached per secret.
const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject =>
  keys.get(secret) ?? keys.set(secret, createSecretKey(Buffer.from(secret))).get(secret)!;

/** What a token must satisfy beyond its signature (from the auth configuration). */
export interface TokenRules {
  readonly maxLifetimeSeconds: number;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

/** Used where no configuration is at hand: a day at most, no issuer or audience. */
export const DEFAULT_TOKEN_RULES: TokenRules = { maxLifetimeSeconds: 24 * 3600 };

/** A verified token: who it is for and when it stops being valid (ms since the epoch). */
export interface VerifiedToken {
  readonly viewer: Viewer;
  readonly expiresAt: number;
}

export function signToken(
  secret: string,
  claims: { sub: string; role: Role },
  expiresInSeconds = 12 * 3600,
  options: { issuer?: string | undefined; audience?: string | undefined } = {},
): string {
  return jwt.sign({ role: claims.role }, keyOf(secret), {
    algorithm: "HS256",
    subject: claims.sub,
    expiresIn: expiresInSeconds,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}

// Control characters in an id end up in SQL parameters and logs (PostgreSQL refuses NUL in text outright).
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Verifies an HS256 token and reads `sub` and `role`; throws a CredentialsError with the reason otherwise. */
function verifyToken(secret: string, token: string, rules: TokenRules): VerifiedToken {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, keyOf(secret), {
      algorithms: ["HS256"],
      ...(rules.issuer ? { issuer: rules.issuer } : {}),
      ...(rules.audience ? { audience: rules.audience } : {}),
    });
  } catch (error) {
    throw new CredentialsError(`Authentication failed: ${reasonOf(error)}.`);
  }
  if (typeof payload === "string") throw new CredentialsError("Authentication failed: the token is not valid.");
  if (typeof payload.exp !== "number")
    throw new CredentialsError("Authentication failed: the token has no expiry (`exp`).");
  // A stolen token must not stay useful for years: judged from its issue time when it has one.
  const from = typeof payload.iat === "number" ? payload.iat : Math.floor(Date.now() / 1000);
  if (payload.exp - from > rules.maxLifetimeSeconds) {
    throw new CredentialsError(
      `Authentication failed: the token is valid for longer than ${rules.maxLifetimeSeconds} s; ask for a shorter one.`,
    );
  }
  if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 200) {
    throw new CredentialsError("Authentication failed: the token has no valid `sub` claim.");
  }
  if (CONTROL_CHARACTERS.test(payload.sub))
    throw new CredentialsError("Authentication failed: the token's `sub` contains control characters.");
  const role = payload.role ?? "user";
  if (!ROLES.includes(role)) {
    throw new CredentialsError(`Authentication failed: unknown role "${String(role)}".`);
  }
  return { viewer: { id: payload.sub, role }, expiresAt: payload.exp * 1000 };
}

function reasonOf(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return "the token has expired";
  if (error instanceof jwt.JsonWebTokenError && /issuer invalid/.test(error.message))
    return "the token was not issued for this API (`iss`)";
  if (error instanceof jwt.JsonWebTokenError && /audience invalid/.test(error.message))
    return "the token is not meant for this API (`aud`)";
  return "the token is not valid";
}

/**
 * Reads the token from an `Authorization: Bearer <token>` header value; null when there is none. Throws a
 * CredentialsError.
 */
export function tokenFromAuthorization(
  secret: string,
  header: string | undefined | null,
  rules: TokenRules = DEFAULT_TOKEN_RULES,
): VerifiedToken | null {
  if (header === undefined || header === null || header.trim() === "") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new CredentialsError("Authentication failed: use `Authorization: Bearer <token>`.");
  return verifyToken(secret, match[1]!, rules);
}

/** The viewer of an `Authorization` header value; null when there is none. Throws a CredentialsError. */
export function viewerFromAuthorization(
  secret: string,
  header: string | undefined | null,
  rules: TokenRules = DEFAULT_TOKEN_RULES,
): Viewer | null {
  return tokenFromAuthorization(secret, header, rules)?.viewer ?? null;
}

/**
 * The JWT secret: JWT_SECRET when set; otherwise (development only) a random secret kept beside the embedded
 * database's data directory, so tokens printed by `npm run token` and at start-up keep working across restarts.
 */
export async function resolveJwtSecret(config: Config): Promise<{ secret: string; generated: boolean; file?: string }> {
  if (config.auth.jwtSecret) return { secret: config.auth.jwtSecret, generated: false };
  const file = path.resolve(path.dirname(config.database.embedded.dataDir), "jwt-secret");
  try {
    const stored = (await readFile(file, "utf8")).trim();
    if (stored.length >= 32) return { secret: stored, generated: true, file };
  } catch {
    // not created yet
  }
  const secret = randomBytes(32).toString("hex");
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, generated: true, file };
}
