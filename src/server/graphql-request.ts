import { type Request } from "express";

/** One GraphQL operation as an HTTP request carries it (POST body or GET parameters), before anything parsed it. */
export interface HttpOperation {
  readonly query?: string;
  readonly operationName?: string;
  /** As sent (GET: JSON-parsed): Apollo refuses anything but an object, after the nesting check has seen it. */
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

/**
 * The operations of a GraphQL request read the way Apollo Server reads them (runHttpQuery): a POST body's fields,
 * or GET's `query`, `operationName`, `variables` and `extensions` parameters (the last two JSON), each given once.
 * Null when Apollo would refuse the request as malformed (it says why); a JSON array is a batch (Apollo refuses it).
 */
export function httpOperationsOf(req: Request): HttpOperation[] | null {
  if (req.method === "GET") {
    const search = new URLSearchParams(req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "");
    const once = (name: string): string | undefined | null => {
      const values = search.getAll(name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0]! : null;
    };
    const [query, operationName, variables, extensions] = ["query", "operationName", "variables", "extensions"].map(
      once,
    );
    if (query === null || operationName === null || variables === null || extensions === null) return null;
    const parsedVariables = jsonOf(variables);
    const parsedExtensions = jsonOf(extensions);
    if (parsedVariables === INVALID || parsedExtensions === INVALID) return null;
    return [{ query, operationName, variables: parsedVariables, extensions: parsedExtensions }];
  }
  if (req.method !== "POST") return null;
  const body: unknown = req.body;
  if (!body || typeof body !== "object") return null;
  return (Array.isArray(body) ? (body as unknown[]) : [body]).map((item) => {
    const fields = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
    return {
      query: typeof fields.query === "string" ? fields.query : undefined,
      operationName: typeof fields.operationName === "string" ? fields.operationName : undefined,
      variables: fields.variables,
      extensions: fields.extensions,
    };
  });
}

/**
 * The sha256 an automatic persisted query names (`extensions.persistedQuery.sha256Hash`, version 1), or undefined.
 * Apollo checks it against the text when both are sent; alone, it stands for the text it was registered with.
 */
export function persistedQueryHashOf(operation: HttpOperation): string | undefined {
  const persisted = isRecord(operation.extensions) ? operation.extensions.persistedQuery : undefined;
  if (!isRecord(persisted) || persisted.version !== 1) return undefined;
  const hash = persisted.sha256Hash;
  return typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}

/** Whether `value` is what Apollo takes for `variables` and `extensions`: a JSON object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);

const INVALID = Symbol("invalid JSON");

/** A JSON parameter's value (undefined when absent), or INVALID. */
function jsonOf(parameter: string | undefined): unknown {
  if (parameter === undefined) return undefined;
  try {
    return JSON.parse(parameter);
  } catch {
    return INVALID;
  }
}
