import { createHmac, randomBytes } from "node:crypto";

/*
 * Standard Webhooks secrets and signatures (https://www.standardwebhooks.com): a secret is `whsec_` + the base64 of
 * its key bytes; a delivery is signed with HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}` under those
 * bytes, sent as `v1,<base64>`; several signatures (a rotation's old and new secret) are space-separated.
 */

const PREFIX = "whsec_";
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const GENERATED_KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new secret from node:crypto's random bytes. */
export function generateSecret(): string {
  return PREFIX + randomBytes(GENERATED_KEY_BYTES).toString("base64");
}

/** Why `secret` is not a usable Standard Webhooks secret; undefined when it is. */
export function secretProblem(secret: string): string | undefined {
  const format = `secret must be "${PREFIX}" followed by the base64 of ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} random bytes`;
  if (!secret.startsWith(PREFIX)) return format;
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return format;
  const key = Buffer.from(encoded, "base64");
  // Node's decoder skips what is not base64: re-encoding tells that every character counted.
  if (key.toString("base64") !== encoded) return format;
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) return `${format} (this one has ${key.length} bytes)`;
  return undefined;
}

/** `v1,<signature>` of one delivery under one secret. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** The `webhook-signature` header: one signature per secret that signs now (the current one first). */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => sign(secret, id, timestamp, body)).join(" ");
}
