import { BadCursorError } from "../domain/errors.js";

// Entries are numbered by a bigserial, not a UUID, so the shows' (time, UUID) cursors do not fit them.
const ENTRY_ID = /^[1-9][0-9]{0,18}$/;

/** An opaque keyset cursor for an audit entry: its time and id, the log's sort key. */
export function encodeAuditCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

/** Decodes a cursor of encodeAuditCursor; BadCursorError for anything else. */
export function decodeAuditCursor(cursor: string, argument = "after"): { at: Date; id: string } {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string") {
      const at = new Date(key[0]);
      const year = at.getUTCFullYear();
      // Only times the log can hold (PostgreSQL refuses some dates JavaScript accepts).
      if (!Number.isNaN(at.getTime()) && year >= 1 && year <= 9999 && ENTRY_ID.test(key[1])) return { at, id: key[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError(argument);
}
