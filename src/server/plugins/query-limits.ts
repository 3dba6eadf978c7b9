import { type ApolloServerPlugin } from "@apollo/server";
import { type DocumentNode, type FragmentDefinitionNode, Kind, type SelectionSetNode, visit } from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { PublicError } from "../../graphql/errors.js";
import { type Config } from "../../platform/config.js";

export type QueryLimits = Config["queryLimits"];

/** An operation refused before execution for asking too much (HTTP 400), with the limit and what it asked. */
export class QueryLimitError extends PublicError {
  constructor(
    code: "TOO_MANY_ALIASES" | "QUERY_TOO_DEEP" | "QUERY_TOO_COMPLEX",
    message: string,
    limit: number,
    actual: number,
  ) {
    super(message, code, { limit, actual, http: { status: 400 } });
  }
}

const refuse = (...args: ConstructorParameters<typeof QueryLimitError>) => new QueryLimitError(...args);

/**
 * Refuses, before execution, operations that would cost the server far more than any client needs: too deep, too
 * many aliases (the classic way to ask for one expensive field a thousand times), or too expensive by estimate.
 * Lists cost their page size (`first`) times their items; a show's full seat map costs what its schema field says.
 */
export function queryLimitsPlugin<TContext extends object>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  // Estimating costs ~150 µs per request; most operations (every mutation here) cost the same whatever their
  // variables, so their estimate is kept per operation text.
  const estimates = new Map<string, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, source }) {
          if (!operation) return;
          const aliases = countAliases(document);
          if (aliases > limits.maxAliases) {
            throw refuse(
              "TOO_MANY_ALIASES",
              `This query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`,
              limits.maxAliases,
              aliases,
            );
          }
          const depth = depthOf(operation.selectionSet, fragmentsOf(document), 0, new Set());
          if (depth > limits.maxDepth) {
            throw refuse(
              "QUERY_TOO_DEEP",
              `This query is nested ${depth} levels deep; at most ${limits.maxDepth} are allowed.`,
              limits.maxDepth,
              depth,
            );
          }
          const operationName = operation.name?.value ?? request.operationName ?? undefined;
          const variables = costDependsOnVariables(document) ? `\n${JSON.stringify(request.variables ?? {})}` : "";
          const key = `${operationName ?? ""}\n${source}${variables}`;
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
            if (estimates.size >= 1000) estimates.clear();
            estimates.set(key, complexity);
          }
          if (complexity > limits.maxComplexity) {
            throw refuse(
              "QUERY_TOO_COMPLEX",
              `This query would cost ${complexity} (estimated); at most ${limits.maxComplexity} is allowed. ` +
                "Ask for fewer items or fewer seat maps per request.",
              limits.maxComplexity,
              complexity,
            );
          }
        },
      };
    },
  };
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

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

function countAliases(document: DocumentNode): number {
  let count = 0;
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.alias) count++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      visit(definition.selectionSet);
  }
  return count;
}

/** Depth of field nesting, following fragments; introspection (`__schema`, `__type`) is not counted. */
function depthOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      deepest = Math.max(
        deepest,
        selection.selectionSet ? depthOf(selection.selectionSet, fragments, depth + 1, visiting) : depth + 1,
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, depth, visiting));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue; // unknown or cyclic: validation reports it
      visiting.add(fragment.name.value);
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, depth, visiting));
      visiting.delete(fragment.name.value);
    }
  }
  return deepest;
}
