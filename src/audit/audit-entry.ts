import { storableText } from "../db/storable-text.js";

/** What is known of an admin mutation before it runs: who, what, on what, in which request, with which arguments. */
export interface AuditStart {
  readonly actor: string;
  readonly action: string;
  readonly targetId: string | null;
  readonly requestId: string;
  /** The arguments as JSON text, already bounded (boundedArguments). */
  readonly arguments: string;
}

/** A stored entry as the API returns it. */
export interface AuditEntryRecord {
  readonly id: string;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly targetId: string | null;
  readonly requestId: string;
  readonly arguments: string;
  readonly outcome: string | null;
  readonly finishedAt: Date | null;
}

/** The entries auditLog may narrow to; every given filter must match. */
export interface AuditFilter {
  readonly actor?: string | null;
  readonly action?: string | null;
  readonly targetId?: string | null;
  /** Inclusive. */
  readonly from?: Date | null;
  /** Exclusive. */
  readonly to?: Date | null;
}

/** Outcome of a mutation that returned a payload without userErrors. */
export const OUTCOME_OK = "OK";
/** Outcome of a mutation whose resolver threw (a top-level error). */
export const OUTCOME_ERROR = "ERROR";

/** Arguments stored beyond this many bytes of JSON are cut (an admin layout can be large; the log must not be). */
export const MAX_ARGUMENT_BYTES = 8 * 1024;

// The argument names that name what a mutation acts on, most specific first.
const TARGET_ARGUMENTS = ["id", "showId", "bookingId", "venueId"] as const;
const MAX_TARGET_LENGTH = 200;

/** The id a mutation acts on, from its arguments at the top level or inside `input`; null when it names none. */
export function targetIdOf(args: Readonly<Record<string, unknown>>): string | null {
  const input = args.input;
  const scopes = typeof input === "object" && input !== null ? [args, input as Record<string, unknown>] : [args];
  for (const scope of scopes) {
    for (const name of TARGET_ARGUMENTS) {
      const value = scope[name];
      if (typeof value === "string" && value !== "") return value.slice(0, MAX_TARGET_LENGTH);
    }
  }
  return null;
}

/**
 * The arguments as JSON text of at most MAX_ARGUMENT_BYTES (UTF-8). Longer ones are stored as a marker object
 * `{"truncated": true, "bytes": <full size>, "prefix": "<the start of the JSON text>"}`, itself within the bound, so
 * the column stays valid JSON and every entry stays small.
 */
export function boundedArguments(args: unknown, maxBytes = MAX_ARGUMENT_BYTES): string {
  const json = JSON.stringify(args ?? {}, storable);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return json;
  let prefixLength = maxBytes;
  for (;;) {
    const marker = JSON.stringify({ truncated: true, bytes, prefix: wholeCharacters(json, prefixLength) });
    const over = Buffer.byteLength(marker) - maxBytes;
    if (over <= 0) return marker;
    // Escapes and multi-byte characters make the marker longer than its prefix: shrink by what is over, at least 1.
    prefixLength -= Math.max(over, 1);
  }
}

/**
 * What is stored of one argument. Secrets are redacted (SECRET_ARGUMENTS). PostgreSQL's jsonb refuses the NUL
 * character (and a write refused is a mutation refused): a string argument carrying one is recorded with U+FFFD in its
 * place.
 */
function storable(key: string, value: unknown): unknown {
  if (SECRET_ARGUMENTS.has(key) && value !== null && value !== undefined) return REDACTED;
  return typeof value === "string" ? storableText(value) : value;
}

/**
 * Arguments that carry secrets (a webhook's signing secret given to createWebhook or rotateWebhookSecret), at any
 * depth: the log records that one was given, never its value (admins read the log; a secret in it would let any of
 * them forge deliveries, and it would outlive a rotation).
 */
const SECRET_ARGUMENTS = new Set(["secret"]);
export const REDACTED = "[redacted]";

/** The first `length` UTF-16 units, without a high surrogate cut from its pair (jsonb refuses a lone one). */
function wholeCharacters(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/**
 * How a mutation ended, from its payload: OK without userErrors, otherwise their distinct codes in order of first
 * appearance joined by ",". A result that is not a payload with userErrors counts as OK.
 */
export function outcomeOf(result: unknown): string {
  const userErrors = (result as { userErrors?: unknown } | null | undefined)?.userErrors;
  if (!Array.isArray(userErrors) || userErrors.length === 0) return OUTCOME_OK;
  const codes = new Set<string>();
  for (const error of userErrors) codes.add(String((error as { code?: unknown } | null)?.code ?? "UNKNOWN"));
  return [...codes].join(",");
}
