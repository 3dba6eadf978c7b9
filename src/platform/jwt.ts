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

export function signToken(secret: string, claims: { sub: string; role: Role }, expiresInSeconds = 12 * 3600): string {
  return jwt.sign({ role: claims.role }, keyOf(secret), {
    algorithm: "HS256",
    subject: claims.sub,
    expiresIn: expiresInSeconds,
  });
}

/** Verifies an HS256 token and reads `sub` and `role`; throws a CredentialsError with the reason otherwise. */
function verifyToken(secret: string, token: string): Viewer {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, keyOf(secret), { algorithms: ["HS256"] });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? "the token has expired" : "the token is not valid";
    throw new CredentialsError(`Authentication failed: ${reason}.`);
  }
  if (
    typeof payload === "string" ||
    typeof payload.sub !== "string" ||
    payload.sub.length === 0 ||
    payload.sub.length > 200
  ) {
    throw new CredentialsError("Authentication failed: the token has no valid `sub` claim.");
  }
  const role = payload.role ?? "user";
  if (!ROLES.includes(role)) {
    throw new CredentialsError(`Authentication failed: unknown role "${String(role)}".`);
  }
  return { id: payload.sub, role };
}

/** Reads the viewer from an `Authorization: Bearer <token>` header value; null when there is none. Throws a CredentialsError. */
export function viewerFromAuthorization(secret: string, header: string | undefined | null): Viewer | null {
  if (header === undefined || header === null || header.trim() === "") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new CredentialsError("Authentication failed: use `Authorization: Bearer <token>`.");
  return verifyToken(secret, match[1]!);
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
