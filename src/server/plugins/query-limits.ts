import {
  type ApolloServerPlugin,
  type GraphQLRequestContextDidResolveOperation,
  type GraphQLRequestContextWillSendResponse,
  type HeaderMap,
} from "@apollo/server";
import { type DocumentNode, Kind, visit } from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { ResponseTooLargeError, type RowBudget } from "../../graphql/row-budget.js";
import { ByteCache } from "../../platform/byte-cache.js";
import { type Config } from "../../platform/config.js";
import { type QueryLimitError, shapeRefusal, tooComplex } from "../query-shape.js";
import { assertVariablesShape } from "../request-shape.js";
import { jsonBytesAtMost } from "../response-size.js";

export type QueryLimits = Config["queryLimits"];
export { QueryLimitError } from "../query-shape.js";

/** Estimates kept: a number per operation text (hashed), so a megabyte of text costs a digest to remember. */
const ESTIMATE_CACHE_BYTES = 1024 * 1024;

/**
 * Refuses operations that would cost the server far more than any client needs. Before graphql-js validates a
 * document (validation recurses along fragments): too many fragments, aliases (the classic way to ask for one
 * expensive field a thousand times), too deep, or more fields once fragments are inlined than the cost allows. Before
 * execution: too expensive by estimate (lists cost their page size, `first`, times their items; a seat map costs per
 * seat field). After execution: answers whose rows went over the request's row budget, or whose JSON is larger than
 * `maxResponseBytes`, are replaced by a RESPONSE_TOO_LARGE error rather than sent.
 */
export function queryLimitsPlugin<TContext extends { rowBudget: RowBudget }>(
  limits: QueryLimits,
): ApolloServerPlugin<TContext> {
  // Estimating costs ~150 µs per request; most operations (every mutation here) cost the same whatever their
  // variables, so their estimate is kept: with the parsed document (Apollo's document store hands the same object
  // back for the same text, so a repeated operation costs a lookup), and by a digest of the operation text for
  // documents parsed anew.
  const estimates = new ByteCache<number>({ maxBytes: ESTIMATE_CACHE_BYTES, sizeOf: () => 8 });
  const documents = new WeakMap<DocumentNode, DocumentVerdict>();
  const verdictOf = (document: DocumentNode): DocumentVerdict => {
    let verdict = documents.get(document);
    if (verdict === undefined) {
      verdict = {
        // The HTTP step in front (request-shape.ts) already refused bad shapes before validation; this covers every
        // other way in, once per parsed document.
        refusal: shapeRefusal(document, limits),
        costDependsOnVariables: costDependsOnVariables(document),
        estimates: new Map(),
      };
      documents.set(document, verdict);
    }
    return verdict;
  };
  const complexityOf = (
    {
      schema,
      document,
      request,
      source,
    }: Pick<GraphQLRequestContextDidResolveOperation<TContext>, "schema" | "document" | "request" | "source">,
    verdict: DocumentVerdict,
    operationName: string | undefined,
  ): number => {
    const variables = verdict.costDependsOnVariables ? `\n${JSON.stringify(request.variables ?? {})}` : "";
    // Hashed once for both the lookup and the store (the text may be megabytes).
    const key = ByteCache.keyOf(`${operationName ?? ""}\n${source}${variables}`);
    let complexity = estimates.get(key);
    if (complexity === undefined) {
      complexity = estimate({
        schema,
        query: document,
        operationName,
        variables: request.variables ?? {},
        estimators: [
          fieldExtensionsEstimator(),
          ({ args, childComplexity }) =>
            typeof args.first === "number" ? args.first * Math.max(1, childComplexity) : undefined,
          simpleEstimator({ defaultComplexity: 1 }),
        ],
      });
      estimates.set(key, complexity);
    }
    return complexity;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { document, operation, request } = requestContext;
          if (!operation) return;
          const verdict = verdictOf(document);
          if (verdict.refusal) throw verdict.refusal;
          assertVariablesShape(request.variables); // before anything stringifies them
          const operationName = operation.name?.value ?? request.operationName ?? undefined;
          let complexity = verdict.costDependsOnVariables ? undefined : verdict.estimates.get(operationName ?? "");
          if (complexity === undefined) {
            complexity = complexityOf(requestContext, verdict, operationName);
            if (!verdict.costDependsOnVariables) verdict.estimates.set(operationName ?? "", complexity);
          }
          if (complexity > limits.maxComplexity) throw tooComplex(complexity, limits.maxComplexity);
        },
        async willSendResponse(requestContext) {
          refuseOversizedAnswer(requestContext, limits.maxResponseBytes);
        },
      };
    },
  };
}

/** What is known of a parsed document once: its shape's refusal, and its estimates when variables cannot change them. */
interface DocumentVerdict {
  readonly refusal: QueryLimitError | null;
  readonly costDependsOnVariables: boolean;
  /** By operation name ("" for the only one), when the cost does not depend on variables. */
  readonly estimates: Map<string, number>;
}

/**
 * Replaces an answer refused its rows (over the row budget, or the address's read allowance) or over the byte limit
 * by its refusal alone, with the refusal's HTTP status and headers: no partial data.
 */
function refuseOversizedAnswer(
  { response, contextValue }: GraphQLRequestContextWillSendResponse<{ rowBudget: RowBudget }>,
  maxBytes: number,
): void {
  if (response.body.kind !== "single") return;
  const refusal =
    contextValue.rowBudget.refusal ??
    (jsonBytesAtMost(response.body.singleResult, maxBytes) > maxBytes
      ? new ResponseTooLargeError("bytes", maxBytes)
      : undefined);
  if (!refusal) return;
  const { http, ...extensions } = refusal.extensions as { http?: { status?: number; headers?: HeaderMap } };
  response.body.singleResult = { errors: [{ message: refusal.message, extensions }] };
  response.http.status = http?.status ?? 400;
  for (const [name, value] of http?.headers ?? []) response.http.headers.set(name, value);
}

/**
 * The estimated cost, or 0 when the variables do not fit the operation: execution then refuses it with a precise
 * error before running anything, so there is nothing to protect.
 */
function estimate(options: Parameters<typeof getComplexity>[0]): number {
  try {
    return getComplexity(options);
  } catch {
    return 0;
  }
}

/** Whether a variable can change the estimate: it sets a page size (`first`) or switches @skip/@include. */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && node.name.value === "first") depends = true;
    },
    Directive(node) {
      if (
        (node.name.value === "skip" || node.name.value === "include") &&
        node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)
      ) {
        depends = true;
      }
    },
  });
  return depends;
}
