import { type ApolloServerPlugin, type GraphQLResponse, HeaderMap } from "@apollo/server";
import { type FormattedExecutionResult, Kind, type OperationDefinitionNode } from "graphql";

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
  result: FormattedExecutionResult;
}

/**
 * Whole-response cache for read operations that ask only for shows by id (`show(id:)` root fields): their answer is
 * public and depends only on those shows' seats, whose highest seat version changes with every seat change. A hit
 * costs one indexed lookup per show instead of reading and serializing thousands of seats, so an unchanged seat map
 * is not recomputed per request. A cached answer carries the seatMapVersion it was read at, so clients that resync
 * with seatsChangedSince converge exactly as with a fresh read.
 */
export function seatMapResponseCache<TContext extends object>(options: SeatMapCacheOptions): ApolloServerPlugin<TContext> {
  const entries = new Map<string, Entry>();
  return {
    async requestDidStart() {
      let key: string | undefined;
      let fingerprint: string | undefined;
      return {
        async responseForOperation(ctx) {
          const showIds = showOnlyQuery(ctx.operation, ctx.request.variables ?? {});
          if (!showIds) return null;
          key = `${ctx.operationName ?? ""}\n${ctx.source}\n${JSON.stringify(ctx.request.variables ?? {})}`;
          const entry = entries.get(key);
          if (entry && performance.now() - entry.checkedAt < options.maxStalenessMs) return hit(entry);
          // Read before any data is read: a response stored under this fingerprint is at least this fresh.
          fingerprint = await options.fingerprint(showIds);
          if (entry && entry.fingerprint === fingerprint) {
            entry.checkedAt = performance.now();
            entries.delete(key); // keep recently used entries last
            entries.set(key, entry);
            return hit(entry);
          }
          return null;
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          if (key === undefined || fingerprint === undefined || body.kind !== "single" || body.singleResult.errors) return;
          entries.delete(key);
          entries.set(key, { fingerprint, checkedAt: performance.now(), result: body.singleResult });
          while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
        },
      };
    },
  };
}

function hit(entry: Entry): GraphQLResponse {
  const headers = new HeaderMap();
  headers.set("x-seat-map-cache", "hit");
  return { http: { status: undefined, headers }, body: { kind: "single", singleResult: entry.result } };
}

/** The show ids of an operation made only of `show(id:)` root fields (aliases allowed); null for anything else. */
function showOnlyQuery(operation: OperationDefinitionNode | undefined, variables: Record<string, unknown>): string[] | null {
  if (!operation || operation.operation !== "query") return null;
  const ids: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "show" || selection.directives?.length) return null;
    const id = selection.arguments?.find((arg) => arg.name.value === "id")?.value;
    const value =
      id?.kind === Kind.STRING ? id.value : id?.kind === Kind.VARIABLE ? variables[id.name.value] : undefined;
    if (typeof value !== "string") return null;
    ids.push(value);
  }
  return ids.length > 0 ? ids : null;
}
