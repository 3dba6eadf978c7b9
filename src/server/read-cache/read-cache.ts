import { type IncomingHttpHeaders } from "node:http";
import { type DocumentNode } from "graphql";
import { ByteCache } from "../../platform/byte-cache.js";
import { type GraphQLHttpResponse } from "../graphql-handler.js";
import { isRecord, persistedQueryHashOf } from "../graphql-request.js";
import { type CheckedOperation } from "../request-shape.js";
import { EncodedBody } from "./content-coding.js";
import {
  entityTag,
  getAccepted,
  noneMatchFails,
  passesCsrfPrevention,
  resultContentType,
  REVALIDATE,
} from "./http-caching.js";
import { type ReadCacheObserver } from "./read-cache-observer.js";
import { type ReadPlan, readPlanOf, showIdsOf } from "./read-plan.js";
import { turns } from "./turns.js";

/** What the versions port says of some shows. */
export interface ShowVersions {
  /** Something that changes whenever anything of these shows changes (a seat, or the show itself). */
  readonly fingerprint: string;
  /**
   * Something that changes whenever the layout of any of these shows changes (updateShow may move a show to another
   * layout version while nothing is sold), and only then: what a layout-only answer is kept and tagged under. The same
   * in every process for the same layouts.
   */
  readonly layouts: string;
  /** Whether every one of them exists (an answer about a missing show is never keyed by its layout). */
  readonly allExist: boolean;
}

export interface ReadCacheOptions {
  /** Most bytes the cache holds (least recently used answers go first). */
  readonly maxBytes: number;
  /** Serve a cached answer this long without checking the shows for changes (0: always check). */
  readonly maxStalenessMs: number;
  /** The shows' versions (today their live seat maps' revisions and layout identities, from memory). */
  versions(showIds: string[]): Promise<ShowVersions>;
  /** Validated documents by their text's sha256 (Apollo's store), for persisted queries sent without their text. */
  documentOf(queryHash: string): DocumentNode | undefined;
  /** Changes the entity tags when the schema does (a deploy may answer the same versions differently). */
  readonly schemaDigest: string;
  /**
   * Mixed into the tags of answers that change, when fingerprints mean something only in this process (numbered
   * per process, from 0 at each start): a tag made here is then never taken for another process's, or for one made
   * before a restart. Empty when fingerprints are the same everywhere for the same seats.
   */
  readonly tagScope: string;
  readonly observer: ReadCacheObserver;
}

/** One HTTP request as the read cache sees it. */
export interface ReadRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Its single operation, as the shape step found it (absent for batches and requests Apollo refuses). */
  readonly operation: CheckedOperation | undefined;
  /** Its credentials were refused: the API answers 401, never the cache. */
  readonly credentialsRefused: boolean;
  /** It carries valid credentials: its answer may be kept by the browser, not by shared caches. */
  readonly authenticated: boolean;
  readonly requestId: string;
  /** Settles once the answer has been written to the client (or the connection has gone). */
  readonly sent: Promise<unknown>;
}

/** Runs the request through GraphQL (on a miss). */
type Execute = () => Promise<GraphQLHttpResponse>;

interface Entry {
  /** The versions it was read at: the shows' fingerprint, or their layouts (LAYOUT prefix) for a layout-only read. */
  readonly version: string;
  readonly tag: string;
  readonly body: EncodedBody;
  checkedAt: number;
}

/** A cacheable read, as planned before anything is looked up. */
interface Read {
  readonly key: string;
  readonly plan: ReadPlan;
  readonly showIds: string[];
  readonly contentType: string;
}

/** Marks the version of a layout-only answer (ids, layouts): it holds as long as the shows' layouts do. */
const LAYOUT = "layout:";
/** One answer may take at most this share, so a few of the largest seat maps fit together. */
const ENTRY_SHARE = 1 / 4;
/**
 * Misses (seat maps built afresh) run at most this many at a time, the others wait their turn: building a
 * 50,000-seat answer holds tens of megabytes until it is sent, and the process has one thread to build them with
 * anyway, so running more at once only multiplies the memory, not the throughput.
 */
const CONCURRENT_MISSES = 2;
/** How long a miss's turn waits for its answer to be written before the next miss may start anyway. */
const SEND_GRACE_MS = 2000;
/** Bytes counted per entry besides its body (object headers, the tag, the LRU's bookkeeping). */
const ENTRY_OVERHEAD = 300;

/**
 * Whole-answer cache in front of the GraphQL server for queries made only of `show(id:)` root fields, over POST and
 * GET, with or without an automatic persisted query's text: their answer is public and depends only on those shows'
 * seats, whose versions change with every seat change. Per request it costs one versions check (one indexed lookup
 * per show today), and then answers:
 * - 304 Not Modified when If-None-Match names the tag of those versions (no body, nothing executed);
 * - the stored answer (bytes kept as they are and, once asked for, in each content coding) when they are unchanged;
 * - otherwise the answer executed once for all the requests that miss at those versions together (coalesced), at
 *   most CONCURRENT_MISSES different ones building at a time.
 * Answers carry a weak ETag of those versions and Cache-Control: `no-cache` (revalidate every time). An operation that
 * reads only the layout of existing shows (and their ids) is keyed and tagged by the shows' layout identities instead,
 * so a seat change does not touch it and its tag is the same in every process; but a show's layout can change
 * (updateShow, while nothing is sold), so it is revalidated like the others, never served as immutable: after a
 * layout change the old tag no longer matches and the client gets the new layout.
 *
 * Every text here comes from anonymous clients, so answers are bounded by bytes and keyed by digests: a client's
 * query text is never kept here, and an answer larger than a quarter of the budget is served but not kept.
 */
export function readCache(options: ReadCacheOptions) {
  const entries = new ByteCache<Entry>({
    maxBytes: options.maxBytes,
    maxEntryBytes: Math.floor(options.maxBytes * ENTRY_SHARE),
    sizeOf: (entry) => ENTRY_OVERHEAD + entry.version.length + entry.body.bytes,
  });
  /** Misses being executed, by key and version: later requests for the same answer wait for it. */
  const flights = new Map<string, Promise<Entry | null>>();
  const missTurns = turns(CONCURRENT_MISSES);
  const { observer } = options;

  const readOf = (request: ReadRequest): Read | null => {
    const checked = request.operation;
    if (!checked || request.credentialsRefused || (request.method !== "GET" && request.method !== "POST")) return null;
    if (!passesCsrfPrevention(request.headers) || (request.method === "GET" && !getAccepted(request.headers)))
      return null;
    const { operation, text } = checked;
    const persistedHash = persistedQueryHashOf(operation);
    // With its text, an operation is known by the text's digest (Apollo refuses a persisted hash that differs).
    if (text && persistedHash && persistedHash !== text.queryHash) return null;
    const queryHash = text?.queryHash ?? persistedHash;
    const variables = operation.variables ?? {};
    if (!queryHash || !isRecord(variables)) return null;
    // A hash alone stands for a text seen before: its document is in Apollo's store if anywhere.
    const document = text ? text.document : options.documentOf(queryHash);
    const plan = document && readPlanOf(document, operation.operationName);
    const showIds = plan && showIdsOf(plan, variables);
    const contentType = showIds && resultContentType(request.headers.accept);
    if (!plan || !showIds || !contentType) return null;
    const key = `${queryHash}\n${operation.operationName ?? ""}\n${JSON.stringify(variables)}`;
    return { key, plan, showIds, contentType };
  };

  /**
   * The answer to `request` at `version`: 304 when the client has it already (If-None-Match names its tag; `entry`
   * may then be absent), otherwise the entry's body. Answers given without executing are logged and counted here.
   */
  const answer = (
    request: ReadRequest,
    read: Read,
    started: number,
    at: { readonly version: string; readonly tag: string },
    entry: Entry | null,
    outcome: "hit" | "coalesced" | "miss",
  ): GraphQLHttpResponse => {
    const scope = request.authenticated ? "private" : "public";
    const cacheControl = `${scope}, ${REVALIDATE}`;
    const validators: [string, string][] = [
      ["etag", at.tag],
      ["cache-control", cacheControl],
    ];
    const notModified = !entry || noneMatchFails(header(request.headers["if-none-match"]), at.tag);
    if (outcome !== "miss") {
      observer.counted(notModified ? "not_modified" : outcome);
      observer.served({
        requestId: request.requestId,
        operationName: read.plan.operationName,
        outcome: notModified ? "not_modified" : outcome,
        status: notModified ? 304 : 200,
        seconds: (performance.now() - started) / 1000,
      });
    }
    if (notModified) return { status: 304, headers: [...validators, ["x-seat-map-cache", "not-modified"]], body: "" };
    return {
      status: 200,
      headers: [...validators, ["content-type", read.contentType], ["x-seat-map-cache", outcome]],
      body: entry.body.identity,
      encoded: (coding) => entry.body.in(coding),
    };
  };

  /** Executes a miss in its turn and keeps a successful answer; resolves `shared` for the requests waiting on it. */
  const executeMiss = async (
    request: ReadRequest,
    read: Read,
    started: number,
    at: { readonly version: string; readonly tag: string },
    execute: Execute,
    shared: (entry: Entry | null) => void,
  ): Promise<GraphQLHttpResponse> => {
    let entry: Entry | null = null;
    try {
      // The turn lasts until the answer is written (or SEND_GRACE_MS after it is built): a built 50,000-seat answer
      // holds tens of megabytes until the socket has taken it, and a slow reader must not hold the turn for long.
      const release = await missTurns.acquire();
      let response: GraphQLHttpResponse;
      try {
        response = await execute();
      } finally {
        const grace = setTimeout(release, SEND_GRACE_MS);
        const done = () => (clearTimeout(grace), release());
        void request.sent.then(done, done);
      }
      observer.counted("miss");
      // `"errors":` can only be a key in JSON (a string value is never followed by a colon).
      if (response.status !== 200 || response.body.includes('"errors":')) return response;
      // The entry keeps only its key, never the read: the read's show ids point into the client's query text, which
      // a kept entry would keep alive (a 2 MB comment per entry, counted as a few bytes).
      const { key } = read;
      const stored: Entry = {
        ...at,
        checkedAt: performance.now(),
        // A coding added later is counted then: the entry is stored again if it is still the current one.
        body: new EncodedBody(Buffer.from(response.body), () => {
          if (entries.get(key) === stored) entries.set(key, stored);
        }),
      };
      entries.set(read.key, stored); // (not kept when too large; those waiting share it all the same)
      entry = stored;
      return answer(request, read, started, stored, stored, "miss");
    } finally {
      shared(entry);
    }
  };

  /**
   * Answers `request` from the cache when it is a cacheable read whose shows have not changed, otherwise runs
   * `execute` (once for all the requests missing the same answer at once) and keeps a successful answer.
   */
  return async (request: ReadRequest, execute: Execute): Promise<GraphQLHttpResponse> => {
    const started = performance.now();
    const read = readOf(request);
    if (!read) return execute();
    const known = entries.get(read.key);
    if (known && performance.now() - known.checkedAt < options.maxStalenessMs)
      return answer(request, read, started, known, known, "hit");
    // Read before the GraphQL server reads any data: an answer stored under these versions is at least this fresh.
    const versions = await options.versions(read.showIds);
    const version = read.plan.layoutOnly && versions.allExist ? `${LAYOUT}${versions.layouts}` : versions.fingerprint;
    // Looked up again: a miss for the same answer may have been stored while the versions were read.
    const entry = entries.get(read.key);
    if (entry && entry.version === version) {
      entry.checkedAt = performance.now(); // (get has made it the most recently used)
      return answer(request, read, started, entry, entry, "hit");
    }
    // The client's copy is current although this process has no entry for it (evicted, or read from another one).
    // Layout identities are database ids, the same everywhere: their tags hold in every process.
    const scope = version.startsWith(LAYOUT) ? "" : options.tagScope;
    const at = { version, tag: entityTag(options.schemaDigest, read.key, `${scope}${version}`) };
    if (noneMatchFails(header(request.headers["if-none-match"]), at.tag))
      return answer(request, read, started, at, null, "hit");
    const flightKey = `${read.key}\n${version}`;
    const inFlight = flights.get(flightKey);
    if (inFlight) {
      const shared = await inFlight;
      // The first request's answer could not be shared (an error, maybe its own): this one runs for itself.
      if (shared) return answer(request, read, started, shared, shared, "coalesced");
      return executeMiss(request, read, started, at, execute, () => {});
    }
    let share!: (entry: Entry | null) => void;
    flights.set(flightKey, new Promise((resolve) => (share = resolve)));
    return executeMiss(request, read, started, at, execute, (shared) => {
      flights.delete(flightKey);
      share(shared);
    });
  };
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(", ") : value;
