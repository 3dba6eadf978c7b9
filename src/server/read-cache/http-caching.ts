import { createHash } from "node:crypto";
import { type IncomingHttpHeaders } from "node:http";
import Negotiator from "negotiator";

/**
 * Cache-Control of every show read: it changes with every seat change (a layout-only read, with the show's layout),
 * so a browser or CDN may keep it but must ask again each time (a 304 when nothing changed costs them no body, and
 * the server one version check). Nothing is immutable: updateShow can change a show's layout while nothing is sold.
 */
export const REVALIDATE = "no-cache";

/**
 * The entity tag of a cacheable read: a digest of the schema, the operation (its text's digest and name), the
 * variables and the versions of the shows it reads. Weak (`W/`): two processes, or one process twice, may render the
 * same versions into different bytes (a seatMapVersion carries the database snapshot it was read after), and the
 * tag holds across content codings, so it promises the same meaning, not the same bytes (RFC 9110 §8.8.1).
 */
export function entityTag(schemaDigest: string, key: string, fingerprint: string): string {
  const digest = createHash("sha256").update(`${schemaDigest}\n${key}\n${fingerprint}`).digest("base64url");
  return `W/"${digest.slice(0, 27)}"`;
}

/** Whether If-None-Match names `tag` (weak comparison, as RFC 9110 §13.1.2 requires), or is `*`. */
export function noneMatchFails(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = tag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === opaque;
  });
}

/** Apollo Server's recommended CSRF-prevention headers (its `csrfPrevention: true`, the default). */
const PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"];
/** Content types a browser sends cross-origin without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/**
 * Whether Apollo's CSRF prevention lets this request through (preventCsrf in @apollo/server): one a browser could
 * only have sent after a CORS preflight, because it names a content type other than the simple ones or carries a
 * non-empty `x-apollo-operation-name` or `apollo-require-preflight`. Answers given without Apollo keep to the same
 * rule: a GET without either is refused by Apollo, never answered from a cache.
 */
export function passesCsrfPrevention(headers: IncomingHttpHeaders): boolean {
  const essence = contentTypeEssence(headers);
  // Apollo lets an unparsable type through too (whatwg-mimetype's null): a browser cannot send one unpreflighted.
  if (essence !== undefined && !SIMPLE_CONTENT_TYPES.has(essence)) return true;
  return PREFLIGHT_HEADERS.some((name) => {
    const value = headers[name];
    return typeof value === "string" && value.length > 0;
  });
}

/** Whether Apollo takes a GET with these headers: one naming a content type may name only JSON (else 415). */
export function getAccepted(headers: IncomingHttpHeaders): boolean {
  const essence = contentTypeEssence(headers);
  return essence === undefined || essence === "application/json";
}

const contentTypeEssence = (headers: IncomingHttpHeaders): string | undefined =>
  headers["content-type"]?.split(";")[0]!.trim().toLowerCase();

/** The content types Apollo Server answers a single result with, in its order (chooseContentTypeForSingleResultResponse). */
const RESULT_TYPES = [
  "application/json; charset=utf-8",
  "application/graphql-response+json; charset=utf-8",
  "application/json; callbackSpec=1.0; charset=utf-8",
];

/** The content type Apollo would answer with for this Accept, or null where it answers 406. */
export const resultContentType = byHeaderValue((accept: string | undefined): string | null => {
  if (!accept) return RESULT_TYPES[0]!;
  return new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES) ?? null;
});

/** Header values remembered per negotiation: clients send a handful of distinct ones. */
const REMEMBERED_VALUES = 64;
/** Longer values are negotiated every time rather than remembered. */
const REMEMBERED_VALUE_CHARS = 256;

/**
 * `negotiate`, remembering its answer for the last few header values (parsing an Accept costs more than the rest of
 * a cached answer's bookkeeping). Bounded: at most REMEMBERED_VALUES short values, forgotten all at once when full.
 */
export function byHeaderValue<T>(negotiate: (value: string | undefined) => T): (value: string | undefined) => T {
  const answers = new Map<string | undefined, T>();
  return (value) => {
    const known = answers.get(value);
    if (known !== undefined || answers.has(value)) return known as T;
    const answer = negotiate(value);
    if (value === undefined || value.length <= REMEMBERED_VALUE_CHARS) {
      if (answers.size >= REMEMBERED_VALUES) answers.clear();
      answers.set(value, answer);
    }
    return answer;
  };
}
