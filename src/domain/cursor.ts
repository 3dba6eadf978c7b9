import { BadCursorError } from "./errors.js";
import { isUuid } from "./ids.js";

/** Keyset cursors: an opaque base64url encoding of the sort key of the item they point at. */
export function encodeTimeIdCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

/**
 * Decodes a cursor made of a timestamp and an id (the keyset of shows, bookings and webhooks: UUIDs; of the audit log:
 * its entry numbers, with `isId` saying which ids are its own); BadCursorError otherwise.
 */
export function decodeTimeIdCursor(
  cursor: string,
  argument = "after",
  isId: (id: string) => boolean = isUuid,
): { at: Date; id: string } {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string") {
      const at = new Date(key[0]);
      if (isIssuableDate(at) && isId(key[1])) return { at, id: key[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError(argument);
}

/**
 * Whether a cursor could carry this time: the API only stores RFC 3339 times (years 1–9999), and PostgreSQL refuses
 * some dates JavaScript accepts (e.g. year −271821), so anything else is a made-up cursor.
 */
function isIssuableDate(at: Date): boolean {
  if (Number.isNaN(at.getTime())) return false;
  const year = at.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** A cursor made of a name and a UUID (the keyset of venues). */
export function encodeNameIdCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString("base64url");
}

/** Decodes a cursor of encodeNameIdCursor; BadCursorError otherwise. */
export function decodeNameIdCursor(cursor: string, argument = "after"): { name: string; id: string } {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string") {
      if (key[0].length <= 200 && isUuid(key[1])) return { name: key[0], id: key[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError(argument);
}
