import { type RequestHandler } from "express";
import { GraphQLError, Lexer, parse, Source, TokenKind } from "graphql";
import { BadUserInputError } from "../graphql/errors.js";
import { ByteCache } from "../platform/byte-cache.js";
import { type Config } from "../platform/config.js";
import { shapeRefusal } from "./query-shape.js";

/**
 * How deeply arrays and objects may nest inside one variable's value (or the request's `extensions`). This API's
 * inputs are a level or two deep; thousands of levels only serve to overflow the stack of whatever stringifies or
 * walks them (cache keys, cost estimates, input coercion).
 */
export const MAX_VARIABLE_NESTING = 32;

/** Whether `value` nests arrays/objects deeper than `max` (the value itself is level 0). Iterative: never overflows. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) {
      if (child !== null && typeof child === "object") pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Refuses variables (or extensions) nested deeper than MAX_VARIABLE_NESTING with BAD_USER_INPUT (part of
 * operationShapeCheck, so every transport).
 */
export function assertVariablesShape(variables: unknown, extensions?: unknown): void {
  // The variables map is level 0 and each variable's value level 1, so a value may nest MAX_VARIABLE_NESTING levels.
  for (const [name, value] of [
    ["variables", variables],
    ["extensions", extensions],
  ] as const) {
    if (nestsDeeperThan(value, MAX_VARIABLE_NESTING + 1)) {
      throw new BadUserInputError(`${name} nest deeper than ${MAX_VARIABLE_NESTING} levels.`, [name]);
    }
  }
}

/** Verdicts on documents already measured: a hashed key and a small refusal (or none) each. */
const VERDICT_CACHE_BYTES = 1024 * 1024;

/**
 * Checks one operation's shape before anything parses it for execution, for every transport (the Express step below
 * for HTTP; the WebSocket server on each subscribe message). Throws a GraphQLError with a clear code for:
 * - documents of more than `maxTokens` tokens, counted by lexing at most that many (a 2 MB document of directives
 *   would otherwise block the process for seconds in the parser);
 * - documents whose shape is over the query limits (query-shape.ts), before graphql-js validates them: validation
 *   recurses along fragment spreads, and a chain of thousands of fragments overflows the stack;
 * - variables nested too deeply, before anything stringifies them.
 */
export function operationShapeCheck(limits: Config["queryLimits"]): (operation: OperationRequest) => void {
  const verdicts = new ByteCache<{ refusal: GraphQLError | null }>({
    maxBytes: VERDICT_CACHE_BYTES,
    sizeOf: (verdict) => 16 + (verdict.refusal ? 200 + verdict.refusal.message.length : 0),
  });
  const documentRefusal = (query: string): GraphQLError | null => {
    const key = ByteCache.keyOf(query); // hashed once for both the lookup and the store
    const known = verdicts.get(key);
    if (known) return known.refusal;
    if (tokensExceed(query, limits.maxTokens)) {
      return new GraphQLError(
        `Syntax Error: Document contains more than ${limits.maxTokens} tokens. Parsing aborted.`,
        {
          extensions: { code: "GRAPHQL_PARSE_FAILED" },
        },
      );
    }
    let refusal: GraphQLError | null = null;
    try {
      refusal = shapeRefusal(parse(query, { maxTokens: limits.maxTokens }), limits);
    } catch (error) {
      // The parser recurses per nesting level: a few thousand levels overflow it. A syntax error is left to the
      // GraphQL server, which reports it precisely.
      if (error instanceof RangeError) {
        refusal = new GraphQLError("Syntax Error: Document nested too deeply to parse.", {
          extensions: { code: "GRAPHQL_PARSE_FAILED" },
        });
      }
    }
    verdicts.set(key, { refusal });
    return refusal;
  };
  return (operation) => {
    const refusal = typeof operation.query === "string" ? documentRefusal(operation.query) : null;
    if (refusal) throw refusal;
    assertVariablesShape(operation.variables, operation.extensions);
  };
}

/**
 * The Express step in front of the GraphQL handler (and of the seat-map cache, which parses documents itself), for
 * POST bodies and GET parameters alike: operationShapeCheck on each operation, a refusal answered with a 400.
 */
export function requestShape(limits: Config["queryLimits"]): RequestHandler {
  const check = operationShapeCheck(limits);
  return (req, res, next) => {
    try {
      for (const operation of operationsOf(req.method, req.body, req.query as Record<string, unknown>))
        check(operation);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const { http: _http, ...extensions } = error.extensions;
      res.status(400).json({ errors: [{ message: error.message, extensions }] });
      return;
    }
    next();
  };
}

export interface OperationRequest {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

function operationsOf(method: string, body: unknown, query: Record<string, unknown>): OperationRequest[] {
  if (method === "GET") {
    return [
      {
        query: query.query,
        variables: parsedOrNothing(query.variables),
        extensions: parsedOrNothing(query.extensions),
      },
    ];
  }
  if (!body || typeof body !== "object") return [];
  return (Array.isArray(body) ? (body as unknown[]) : [body]).map((operation) =>
    operation && typeof operation === "object" ? (operation as OperationRequest) : {},
  );
}

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

/** A JSON query parameter's value, or undefined when it is absent or not JSON (the GraphQL server reports that). */
function parsedOrNothing(parameter: unknown): unknown {
  if (typeof parameter !== "string") return undefined;
  try {
    return JSON.parse(parameter);
  } catch {
    return undefined;
  }
}
