import { type Request } from "express";
import { type DocumentNode, Kind, type OperationDefinitionNode, parse } from "graphql";
import { type GraphQLHttpResponse } from "./graphql-handler.js";

export interface SeatMapCacheOptions {
  /** Most cached responses kept (least recently used go first). */
  readonly maxEntries: number;
  /** Serve a cached response this long without checking the shows for changes (0: always check). */
  readonly maxStalenessMs: number;
  /** Something that changes whenever any seat of these shows changes (their highest seat versions). */
  fingerprint(showIds: string[]): Promise<string>;
}

interface Entry {
  fingerprint: string;
  checkedAt: number;
  response: GraphQLHttpResponse;
}

/** Runs the request through GraphQL (on a miss). */
type Execute = () => Promise<GraphQLHttpResponse>;

const MAX_PARSED = 500;
/** Operations naming more shows go straight to the GraphQL server (and its query limits) unchecked here. */
const MAX_SHOWS_PER_OPERATION = 10;

/**
 * Whole-response cache, in front of the GraphQL server, for read operations that ask only for shows by id
 * (`show(id:)` root fields): their answer is public and depends only on those shows' seats, whose highest seat
 * version changes with every seat change. A hit costs one indexed lookup per show and writes stored bytes, instead
 * of reading, executing and serializing thousands of seats, so an unchanged seat map is not recomputed per request.
 * A cached answer carries the seatMapVersion it was read at, so clients that resync with seatsChangedSince converge
 * exactly as with a fresh read.
 */
export function seatMapCache(options: SeatMapCacheOptions) {
  const entries = new Map<string, Entry>();
  const parsed = new Map<string, DocumentNode | null>();

  const documentOf = (query: string): DocumentNode | null => {
    let document = parsed.get(query);
    if (document === undefined) {
      try {
        document = parse(query);
      } catch {
        document = null; // the GraphQL server reports the syntax error
      }
      if (parsed.size >= MAX_PARSED) parsed.clear();
      parsed.set(query, document);
    }
    return document;
  };

  const hit = (entry: Entry): GraphQLHttpResponse => ({
    ...entry.response,
    headers: [...entry.response.headers, ["x-seat-map-cache", "hit"]],
  });

  /**
   * Answers `req` from the cache when it is a cacheable read whose shows have not changed, otherwise runs `execute`
   * and keeps a successful answer. `credentialsRefused`: such requests go on to be refused by the API, uncached.
   */
  return async (req: Request, credentialsRefused: boolean, execute: Execute): Promise<GraphQLHttpResponse> => {
    const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (req.method !== "POST" || typeof body?.query !== "string" || credentialsRefused) return execute();
    const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
      string,
      unknown
    >;
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
    const document = documentOf(body.query);
    const showIds = document ? showOnlyQuery(document, operationName, variables) : null;
    if (!showIds) return execute();

    const key = `${operationName ?? ""}\n${body.query}\n${JSON.stringify(variables)}`;
    const entry = entries.get(key);
    if (entry && performance.now() - entry.checkedAt < options.maxStalenessMs) return hit(entry);
    // Read before the GraphQL server reads any data: a response stored under this fingerprint is at least this fresh.
    const fingerprint = await options.fingerprint(showIds);
    if (entry && entry.fingerprint === fingerprint) {
      entry.checkedAt = performance.now();
      entries.delete(key); // keep recently used entries last
      entries.set(key, entry);
      return hit(entry);
    }
    const response = await execute();
    // `"errors":` can only be a key in JSON (a string value is never followed by a colon).
    if (response.status === 200 && !response.body.includes('"errors":')) {
      entries.delete(key);
      const stored = { ...response, body: Buffer.from(response.body) };
      entries.set(key, { fingerprint, checkedAt: performance.now(), response: stored });
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    }
    return response;
  };
}

/** The show ids of an operation made only of `show(id:)` root fields (aliases allowed); null for anything else. */
function showOnlyQuery(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): string[] | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== "query" || document.definitions.length !== operations.length) return null;
  const ids: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "show" || selection.directives?.length) return null;
    const id = selection.arguments?.find((arg) => arg.name.value === "id")?.value;
    const value =
      id?.kind === Kind.STRING ? id.value : id?.kind === Kind.VARIABLE ? variables[id.name.value] : undefined;
    if (typeof value !== "string") return null;
    ids.push(value);
  }
  return ids.length > 0 && ids.length <= MAX_SHOWS_PER_OPERATION ? ids : null;
}
