import { isUuid, parseInt8 } from "../domain/ids.js";
import { BadUserInputError } from "./errors.js";

/** The types a global id can name: every type that implements `Node`. */
export type NodeType = "Show" | "Booking" | "Seat" | "Venue" | "Webhook";

/** What a database id of each type looks like (seats are bigint rows; the others UUIDs). */
const DATABASE_ID: Readonly<Record<NodeType, (id: string) => boolean>> = {
  Show: isUuid,
  Booking: isUuid,
  Venue: isUuid,
  Webhook: isUuid,
  Seat: (id) => !id.startsWith("0") && parseInt8(id) !== null,
};

const isNodeType = (name: string): name is NodeType => Object.hasOwn(DATABASE_ID, name);

/** Longer than any global id this API makes: nothing longer is decoded. */
const MAX_GLOBAL_ID_LENGTH = 100;

/**
 * The opaque id of an object of the API: base64url (no padding) of "<Type>:<database id>", as Relay's global object
 * identification expects. Clients must not parse it; the type inside lets `node(id:)` find the object and lets every
 * argument tell a Booking id from a Show id.
 */
export function toGlobalId(type: NodeType, databaseId: string): string {
  return Buffer.from(`${type}:${databaseId}`, "utf8").toString("base64url");
}

/** The same for an optional reference (an event without a booking, a seat change with none). */
export function toOptionalGlobalId(type: NodeType, databaseId: string | null | undefined): string | null {
  return databaseId == null ? null : toGlobalId(type, databaseId);
}

/** A global id's type and database id; null for anything this API did not make (malformed, unknown type). */
export function parseGlobalId(id: string): { type: NodeType; databaseId: string } | null {
  if (id.length > MAX_GLOBAL_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  const type = text.slice(0, colon);
  const databaseId = text.slice(colon + 1);
  if (!isNodeType(type) || !DATABASE_ID[type](databaseId)) return null;
  // One spelling per object: trailing bits or another alphabet would make two ids for one object (cache keys).
  return toGlobalId(type, databaseId) === id ? { type, databaseId } : null;
}

/** Whether `id` is a database id of `type`, as the API returned before global ids (accepted until 0.3.0). */
export const isLegacyId = (type: NodeType, id: string): boolean => DATABASE_ID[type](id);

/** The database id `id` names when it is a global id of `type` or (until 0.3.0) its legacy id; null otherwise. */
export function databaseIdOf(type: NodeType, id: string): string | null {
  if (isLegacyId(type, id)) return id;
  const parsed = parseGlobalId(id);
  return parsed?.type === type ? parsed.databaseId : null;
}

/**
 * The database id an argument names: its global id of `expected`, or (until 0.3.0) the legacy database id itself.
 * Another type's global id, or anything malformed, is the client's mistake: BAD_USER_INPUT naming the argument's path.
 * A well-formed id of a missing object passes, so the service answers for it as it always did.
 */
export function fromGlobalId(id: string, expected: NodeType, field: readonly string[]): string {
  if (isLegacyId(expected, id)) return id;
  const parsed = parseGlobalId(id);
  const name = field.join(".");
  if (!parsed) throw new BadUserInputError(`\`${name}\` is not a ${expected} id.`, [...field]);
  if (parsed.type !== expected) {
    throw new BadUserInputError(`\`${name}\` is a ${parsed.type} id, not a ${expected} id.`, [...field]);
  }
  return parsed.databaseId;
}

/** fromGlobalId for an optional argument: null and undefined pass through. */
export function fromOptionalGlobalId<T extends null | undefined>(
  id: string | T,
  expected: NodeType,
  field: readonly string[],
): string | T {
  return id == null ? id : fromGlobalId(id, expected, field);
}

/**
 * A copy of a mutation or filter input with the named id fields decoded to database ids (see fromGlobalId), of the
 * same class, so its validation rules still apply. The one place an input's ids are decoded: services get database
 * ids only.
 */
export function withDatabaseIds<T extends object>(
  input: T,
  idFields: Partial<Record<keyof T & string, NodeType>>,
  path: readonly string[] = ["input"],
): T {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(input) as object) as T, input);
  for (const [field, type] of Object.entries(idFields) as [keyof T & string, NodeType][]) {
    const value = input[field];
    if (typeof value === "string") {
      (copy as Record<string, unknown>)[field] = fromGlobalId(value, type, [...path, field]);
    }
  }
  return copy;
}
