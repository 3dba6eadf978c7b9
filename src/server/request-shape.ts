import { type RequestHandler } from "express";
import { GraphQLError } from "graphql";
import { BadUserInputError } from "../graphql/errors.js";
import { type DocumentPreparer, type PreparedText } from "./documents.js";
import { type HttpOperation, httpOperationsOf } from "./graphql-request.js";

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

/**
 * Checks one operation's shape before anything parses it for execution, for every transport (the Express step below
 * for HTTP; the WebSocket server on each subscribe message): the query text through the document preparer (token
 * limit, shape limits, parsed once and handed to Apollo: documents.ts), then variables nested too deeply, before
 * anything stringifies them. Throws a GraphQLError with a clear code. Returns the text's sha256, when there is a text.
 */
export function operationShapeCheck(
  documents: DocumentPreparer,
): (operation: OperationRequest) => PreparedText | undefined {
  return (operation) => {
    const prepared = typeof operation.query === "string" ? documents.prepare(operation.query) : undefined;
    assertVariablesShape(operation.variables, operation.extensions);
    return prepared;
  };
}

/** What the shape step found of an HTTP request's (single) operation, for the steps after it (res.locals.graphql). */
export interface CheckedOperation {
  readonly operation: HttpOperation;
  /** Its text's sha256 and validated document, when it has a text. */
  readonly text?: PreparedText;
}

/**
 * The Express step in front of the GraphQL handler (and of the read cache), for POST bodies and GET parameters alike:
 * operationShapeCheck on each operation, a refusal answered with a 400. A single operation is left for the steps
 * after it in `res.locals.graphql` (CheckedOperation).
 */
export function requestShape(documents: DocumentPreparer): RequestHandler {
  const check = operationShapeCheck(documents);
  return (req, res, next) => {
    try {
      const operations = httpOperationsOf(req) ?? [];
      const texts = operations.map((operation) => check(operation));
      if (operations.length === 1 && !Array.isArray(req.body))
        res.locals.graphql = { operation: operations[0]!, text: texts[0] } satisfies CheckedOperation;
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
