import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  Lexer,
  type SelectionSetNode,
  Source,
  TokenKind,
} from "graphql";
import { PublicError } from "../graphql/errors.js";
import { type Config } from "../platform/config.js";

/** Fragment definitions allowed in one document: generated clients use dozens; thousands only feed deep recursion. */
export const MAX_FRAGMENTS = 100;
/**
 * Selection sets nested in one definition (fields, inline fragments, introspection alike; the introspection query
 * nests about 12): deeper documents are refused as too deep before anything recurses into them.
 */
const MAX_NESTING = 32;

/** What a document's shape asks for, measured without following any fragment more than once. */
export interface QueryShape {
  readonly fragments: number;
  readonly aliases: number;
  /** Field nesting (introspection not counted), or `cap + 1` when deeper than `cap`: measuring stops there. */
  readonly depth: number;
  /** Fields once every fragment spread is inlined: a lower bound of the estimated cost, and of the work to estimate it. */
  readonly expandedFields: number;
}

/**
 * Measures a parsed document before graphql-js validates it: validation and the cost estimate recurse along fragment
 * spreads (a chain of thousands overflows the stack) and revisit a fragment at every spread (a fan of fragments that
 * each spread the next twice is exponential). Here each fragment is measured once and depth stops at `depthCap + 1`,
 * so the work is linear in the document and the recursion is bounded by the depth cap and the fragment count.
 */
export function measureQuery(document: DocumentNode, depthCap: number): QueryShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let fragmentCount = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    fragmentCount++;
    fragments.set(definition.name.value, definition);
  }
  if (fragmentCount > MAX_FRAGMENTS) return { fragments: fragmentCount, aliases: 0, depth: 0, expandedFields: 0 };
  if (
    document.definitions.some((d) => "selectionSet" in d && d.selectionSet && nestingOf(d.selectionSet) > MAX_NESTING)
  )
    return { fragments: fragmentCount, aliases: 0, depth: depthCap + 1, expandedFields: 0 };

  // Each fragment is measured once (`null` while being measured: a cycle, which validation reports, counts nothing).
  const memo = <T>(measure: (fragment: FragmentDefinitionNode) => T) => {
    const results = new Map<string, T | null>();
    return (name: string): T | null => {
      if (results.has(name)) return results.get(name)!;
      const fragment = fragments.get(name);
      if (!fragment) return null; // unknown: validation reports it
      results.set(name, null);
      const result = measure(fragment);
      results.set(name, result);
      return result;
    };
  };

  // Depth, capped, not counting introspection (`__schema`, `__type`) subtrees.
  const fragmentDepth = memo((fragment) => depthOf(fragment.selectionSet, 0));
  const depthOf = (selectionSet: SelectionSetNode, depth: number): number => {
    let deepest = depth;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith("__")) continue;
        if (!selection.selectionSet) deepest = Math.max(deepest, depth + 1);
        else if (depth + 1 > depthCap)
          deepest = depthCap + 1; // deep enough to refuse: what is below changes nothing
        else deepest = Math.max(deepest, depthOf(selection.selectionSet, depth + 1));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, depth));
      } else {
        deepest = Math.max(deepest, depth + (fragmentDepth(selection.name.value) ?? 0));
      }
      if (deepest > depthCap) return depthCap + 1;
    }
    return deepest;
  };

  // Fields once inlined, introspection included (the estimate walks it too).
  const fragmentFields = memo((fragment) => fieldsOf(fragment.selectionSet));
  const fieldsOf = (selectionSet: SelectionSetNode): number => {
    let fields = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) fields += fragmentFields(selection.name.value) ?? 0;
      else
        fields +=
          (selection.kind === Kind.FIELD ? 1 : 0) + (selection.selectionSet ? fieldsOf(selection.selectionSet) : 0);
    }
    return fields;
  };

  let aliases = 0;
  let depth = 0;
  let expandedFields = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      depth = Math.max(depth, depthOf(definition.selectionSet, 0));
      expandedFields = Math.max(expandedFields, fieldsOf(definition.selectionSet));
    }
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      aliases += countAliases(definition.selectionSet);
  }
  return { fragments: fragmentCount, aliases, depth, expandedFields };
}

/** How deeply selection sets nest in one definition, fragment spreads not followed. Iterative: never overflows. */
function nestingOf(selectionSet: SelectionSetNode): number {
  let deepest = 0;
  const pending: [SelectionSetNode, number][] = [[selectionSet, 1]];
  while (pending.length > 0) {
    const [set, level] = pending.pop()!;
    deepest = Math.max(deepest, level);
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet)
        pending.push([selection.selectionSet, level + 1]);
    }
  }
  return deepest;
}

/** Aliased fields written in one selection set and below (not through fragment spreads: each is counted once). */
function countAliases(selectionSet: SelectionSetNode): number {
  let count = 0;
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) count++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return count;
}

/** An operation refused before execution for asking too much (HTTP 400), with the limit and what it asked. */
export class QueryLimitError extends PublicError {
  constructor(
    code: "TOO_MANY_ALIASES" | "TOO_MANY_FRAGMENTS" | "QUERY_TOO_DEEP" | "QUERY_TOO_COMPLEX",
    message: string,
    limit: number,
    actual: number,
  ) {
    super(message, code, { limit, actual, http: { status: 400 } });
  }
}

const refuse = (...args: ConstructorParameters<typeof QueryLimitError>) => new QueryLimitError(...args);

/** Why a document is refused for its shape (fragments, aliases, depth, fields once inlined), or null. */
export function shapeRefusal(document: DocumentNode, limits: Config["queryLimits"]): QueryLimitError | null {
  const shape = measureQuery(document, limits.maxDepth);
  if (shape.fragments > MAX_FRAGMENTS) {
    return refuse(
      "TOO_MANY_FRAGMENTS",
      `This document defines ${shape.fragments} fragments; at most ${MAX_FRAGMENTS} are allowed.`,
      MAX_FRAGMENTS,
      shape.fragments,
    );
  }
  if (shape.aliases > limits.maxAliases) {
    return refuse(
      "TOO_MANY_ALIASES",
      `This query uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed.`,
      limits.maxAliases,
      shape.aliases,
    );
  }
  if (shape.depth > limits.maxDepth) {
    // Measuring stops one level past the limit: deeper documents report that level.
    return refuse(
      "QUERY_TOO_DEEP",
      `This query is nested ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed.`,
      limits.maxDepth,
      shape.depth,
    );
  }
  // Every field costs at least 1, so this bounds the estimate from below, and bounds the work of estimating it.
  if (shape.expandedFields > limits.maxComplexity) return tooComplex(shape.expandedFields, limits.maxComplexity);
  return null;
}

export const tooComplex = (complexity: number, limit: number) =>
  refuse(
    "QUERY_TOO_COMPLEX",
    `This query would cost ${complexity} (estimated); at most ${limit} is allowed. ` +
      "Ask for fewer items or fewer seat maps per request.",
    limit,
    complexity,
  );

/** Whether `text` has more than `max` GraphQL tokens (comments not counted, as the parser counts them). */
export function tokensExceed(text: string, max: number): boolean {
  const lexer = new Lexer(new Source(text));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; count++) {
      if (count >= max) return true;
    }
  } catch {
    return false; // a syntax error before the limit: the GraphQL server reports it
  }
  return false;
}
