import { type Request } from "express";
import { type DocumentNode, Kind, type OperationDefinitionNode, parse } from "graphql";
import { ByteCache } from "../platform/byte-cache.js";
import { type GraphQLHttpResponse } from "./graphql-handler.js";

export interface SeatMapCacheOptions {
  /** Most bytes the cache holds (responses and read operations together; least recently used go first). */
  readonly maxBytes: number;
  /** Serve a cached response this long without checking the shows for changes (0: always check). */
  readonly maxStalenessMs: number;
  /** Something that changes whenever any seat of these shows changes (their highest seat versions). */
  fingerprint(showIds: string[]): Promise<string>;
}

interface Entry {
  fingerprint: string;
  checkedAt: number;
  response: GraphQLHttpResponse & { readonly body: Buffer };
}

/** Where an operation's `show(id:)` field takes its id: written in the text, or from a variable. */
type ShowIdSource = { readonly literal: string } | { readonly variable: string };
/** What the cache needs of an operation text: its show-id sources, or null when it is not a show-only read. */
type Plan = readonly ShowIdSource[] | null;

/** Runs the request through GraphQL (on a miss). */
type Execute = () => Promise<GraphQLHttpResponse>;

/** Operations naming more shows go straight to the GraphQL server (and its query limits) unchecked here. */
const MAX_SHOWS_PER_OPERATION = 10;
/** The share of the bytes for plans: they are small (a few ids), responses are what is worth keeping. */
const PLAN_SHARE = 1 / 16;
/** One response may take at most this share, so a few of the largest seat maps fit together. */
const RESPONSE_ENTRY_SHARE = 1 / 4;
/**
 * Misses (seat maps built afresh) run at most this many at a time, the others wait their turn: building a
 * 50,000-seat answer holds tens of megabytes until it is sent, and the process has one thread to build them with
 * anyway, so running more at once only multiplies the memory, not the throughput.
 */
const CONCURRENT_MISSES = 2;
/** How long a miss's turn waits for its answer to be written before the next miss may start anyway. */
const SEND_GRACE_MS = 2000;
/** Bytes counted per entry besides its strings (object headers, the LRU's bookkeeping). */
const ENTRY_OVERHEAD = 200;

/**
 * Whole-response cache, in front of the GraphQL server, for read operations that ask only for shows by id
 * (`show(id:)` root fields): their answer is public and depends only on those shows' seats, whose highest seat
 * version changes with every seat change. A hit costs one indexed lookup per show and writes stored bytes, instead
 * of reading, executing and serializing thousands of seats, so an unchanged seat map is not recomputed per request.
 * A cached answer carries the seatMapVersion it was read at, so clients that resync with seatsChangedSince converge
 * exactly as with a fresh read.
 *
 * Every text here comes from anonymous clients, so both caches are bounded by bytes and keyed by digests: a client's
 * query text is never kept (only the few show ids an operation names), and a response larger than a quarter of the
 * budget is served but not kept.
 */
export function seatMapCache(options: SeatMapCacheOptions) {
  const planBytes = Math.floor(options.maxBytes * PLAN_SHARE);
  const responseBytes = options.maxBytes - planBytes;
  const entries = new ByteCache<Entry>({
    maxBytes: responseBytes,
    maxEntryBytes: Math.floor(responseBytes * RESPONSE_ENTRY_SHARE),
    sizeOf: (entry) =>
      ENTRY_OVERHEAD +
      entry.fingerprint.length +
      entry.response.body.byteLength +
      entry.response.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 32, 0),
  });
  // Boxed, so that "not a show-only read" (null) can be cached too: most texts that reach this cache are such.
  const plans = new ByteCache<{ readonly plan: Plan }>({
    maxBytes: planBytes,
    sizeOf: ({ plan }) =>
      ENTRY_OVERHEAD +
      (plan ?? []).reduce((sum, s) => sum + 32 + 2 * ("literal" in s ? s.literal : s.variable).length, 0),
  });

  /** The plan of an operation, under `key`: the digest of its name and text. */
  const planOf = (key: string, query: string, operationName: string | undefined): Plan => {
    const cached = plans.get(key);
    if (cached) return cached.plan;
    let plan: Plan = null;
    try {
      // No locations: the document is dropped once planned, and nothing here reports positions.
      plan = showOnlyPlan(parse(query, { noLocation: true }), operationName);
    } catch {
      // the GraphQL server reports the syntax error
    }
    plans.set(key, { plan });
    return plan;
  };

  const missTurns = turns(CONCURRENT_MISSES);

  const hit = (entry: Entry): GraphQLHttpResponse => ({
    ...entry.response,
    headers: [...entry.response.headers, ["x-seat-map-cache", "hit"]],
  });

  /**
   * Answers `req` from the cache when it is a cacheable read whose shows have not changed, otherwise runs `execute`
   * and keeps a successful answer. `credentialsRefused`: such requests go on to be refused by the API, uncached.
   * `sent` settles once the answer has been written to the client (or the connection has gone).
   */
  return async (
    req: Request,
    credentialsRefused: boolean,
    execute: Execute,
    sent: Promise<unknown>,
  ): Promise<GraphQLHttpResponse> => {
    const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (req.method !== "POST" || typeof body?.query !== "string" || credentialsRefused) return execute();
    const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
      string,
      unknown
    >;
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
    // The client's text is hashed once; its digest is all that is kept of it (and of the variables, below).
    const operationKey = ByteCache.keyOf(`${operationName ?? ""}\n${body.query}`);
    const showIds = showIdsOf(planOf(operationKey, body.query, operationName), variables);
    if (!showIds) return execute();

    const key = `${operationKey}\n${JSON.stringify(variables)}`;
    const entry = entries.get(key);
    if (entry && performance.now() - entry.checkedAt < options.maxStalenessMs) return hit(entry);
    // Read before the GraphQL server reads any data: a response stored under this fingerprint is at least this fresh.
    const fingerprint = await options.fingerprint(showIds);
    if (entry && entry.fingerprint === fingerprint) {
      entry.checkedAt = performance.now(); // (get has made it the most recently used)
      return hit(entry);
    }
    // The turn lasts until the answer is written (or SEND_GRACE_MS after it is built): a built 50,000-seat answer
    // holds tens of megabytes until the socket has taken it, and a slow reader must not hold the turn for long.
    const release = await missTurns.acquire();
    let response: GraphQLHttpResponse;
    try {
      response = await execute();
    } finally {
      const grace = setTimeout(release, SEND_GRACE_MS);
      const done = () => (clearTimeout(grace), release());
      void sent.then(done, done);
    }
    // `"errors":` can only be a key in JSON (a string value is never followed by a colon).
    if (response.status === 200 && !response.body.includes('"errors":')) {
      const stored = { ...response, body: Buffer.from(response.body) };
      entries.set(key, { fingerprint, checkedAt: performance.now(), response: stored }); // (not kept when too large)
    }
    return response;
  };
}

/** The show ids a plan names with these variables; null when it is not a show-only read or an id is not a string. */
function showIdsOf(plan: Plan, variables: Record<string, unknown>): string[] | null {
  if (!plan) return null;
  const ids: string[] = [];
  for (const source of plan) {
    const value = "literal" in source ? source.literal : variables[source.variable];
    if (typeof value !== "string") return null;
    ids.push(value);
  }
  return ids;
}

/** Where the ids come from in an operation made only of `show(id:)` root fields (aliases allowed); null otherwise. */
function showOnlyPlan(document: DocumentNode, operationName: string | undefined): Plan {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== "query" || document.definitions.length !== operations.length) return null;
  const sources: ShowIdSource[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "show" || selection.directives?.length) return null;
    const id = selection.arguments?.find((arg) => arg.name.value === "id")?.value;
    if (id?.kind === Kind.STRING) sources.push({ literal: detached(id.value) });
    else if (id?.kind === Kind.VARIABLE) sources.push({ variable: detached(id.name.value) });
    else return null;
  }
  return sources.length > 0 && sources.length <= MAX_SHOWS_PER_OPERATION ? sources : null;
}

/**
 * A copy of a piece of the query text that does not point into it: V8 represents a substring as a slice of its
 * parent, so a show id kept as parsed would keep the client's whole text alive (a 2 MB comment per cached plan).
 */
function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/**
 * At most `limit` turns at a time, the others given out in the order they were asked for. A turn lasts until its
 * release function is called (any number of times).
 */
function turns(limit: number): { acquire(): Promise<() => void> } {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else running++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next)
          next(); // the turn passes on, `running` unchanged
        else running--;
      };
    },
  };
}
