import { type Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { type Request, type RequestHandler, type Response } from "express";
import { type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { type Context } from "../graphql/context.js";
import { PublicError } from "../graphql/errors.js";
import { type Config } from "../platform/config.js";
import { type apolloCaches } from "./apollo-caches.js";
import { compress, type ContentCoding, MIN_COMPRESSED_BYTES, preferredCoding } from "./read-cache/content-coding.js";

/**
 * A GraphQL answer over HTTP, whole (this API sends no incremental responses). `encoded` gives the body in a content
 * coding when the answer keeps its encoded forms (answers of the read cache: compressed once, not per request);
 * otherwise a large enough body is compressed as it is sent.
 */
export interface GraphQLHttpResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** The JSON answer (empty for 304 Not Modified). */
  readonly body: string | Buffer;
  readonly encoded?: (coding: ContentCoding) => Promise<Buffer>;
}

export interface GraphQLServerOptions {
  readonly schema: GraphQLSchema;
  readonly config: Config;
  readonly httpServer: Server;
  /** The protections and instruments, in order (request log, metrics, query limits, rate limits…). */
  readonly plugins: ApolloServerPlugin<Context>[];
  /** Runs when Apollo drains on stop, after the HTTP server stopped taking requests (e.g. close WebSockets). */
  readonly onDrain: () => Promise<void>;
  /** Apollo's persisted-query cache and document store (apollo-caches.ts, shared with the document preparer). */
  readonly caches: Pick<ReturnType<typeof apolloCaches>, "cache" | "documentStore">;
}

/** Apollo Server with the project's plugins, landing page switch and error masking; started. */
export async function startGraphQLServer(options: GraphQLServerOptions): Promise<ApolloServer<Context>> {
  const { config } = options;
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    introspection: config.introspection,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    includeStacktraceInErrorResponses: false,
    // The process stops the server once, on its own signal handlers (main.ts); Apollo's would stop it a second time.
    stopOnTerminationSignals: false,
    // Bounded by bytes within the process's cache budget, not by Apollo's default count of a document's JSON. The
    // document preparer (documents.ts) puts documents there validated with Apollo's own rules: no `validationRules`
    // or `maxRecursiveSelections` here without the same in apolloValidationRules.
    cache: options.caches.cache,
    documentStore: options.caches.documentStore,
    formatError: maskUnexpected,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      ...options.plugins,
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: options.onDrain }) },
    ],
  });
  await apollo.start();
  return apollo;
}

/**
 * Serves GraphQL over HTTP with Apollo (as Apollo's Express integration does), through an `around` step that may
 * answer instead or keep the answer (the read cache): the response is written here, in one place, in the content
 * coding the client prefers (Accept-Encoding: br or gzip) when the body is large enough to gain from it.
 */
export function graphqlHttpHandler(
  apollo: ApolloServer<Context>,
  contextFor: (req: Request, res: Response) => Promise<Context>,
  around: (req: Request, res: Response, execute: () => Promise<GraphQLHttpResponse>) => Promise<GraphQLHttpResponse>,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const response = await around(req, res, () => execute(apollo, req, () => contextFor(req, res)));
      for (const [key, value] of response.headers) res.setHeader(key, value);
      // Every answer here may come in another coding for another Accept-Encoding: caches must key on it.
      res.vary("Accept-Encoding");
      res.status(response.status);
      const body = typeof response.body === "string" ? Buffer.from(response.body) : response.body;
      const coding = body.byteLength >= MIN_COMPRESSED_BYTES ? preferredCoding(req.headers["accept-encoding"]) : null;
      if (!coding) {
        res.end(body);
        return;
      }
      const encoded = await (response.encoded ? response.encoded(coding) : compress(body, coding));
      res.setHeader("content-encoding", coding);
      res.setHeader("content-length", encoded.byteLength);
      res.end(encoded);
    } catch (error) {
      next(error);
    }
  };
}

async function execute(
  apollo: ApolloServer<Context>,
  req: Request,
  context: () => Promise<Context>,
): Promise<GraphQLHttpResponse> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const search = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search, body: req.body },
    context,
  });
  let body = "";
  if (response.body.kind === "complete") {
    body = response.body.string;
  } else {
    for await (const chunk of response.body.asyncIterator) body += chunk;
  }
  return { status: response.status ?? 200, headers: [...response.headers], body };
}

/** Apollo's own refusals of malformed requests (not INTERNAL_SERVER_ERROR): safe to show as they are. */
const APOLLO_REQUEST_ERRORS: ReadonlySet<string> = new Set(
  Object.values(ApolloServerErrorCode).filter((code) => code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR),
);

/**
 * PublicErrors, type-graphql's refusal of arguments that break their validation rules, and Apollo's refusals of
 * requests it could not run (parse, validation, variables) pass through; anything else is answered without internals
 * (the request log has it).
 */
export function maskUnexpected(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof PublicError || original instanceof ArgumentValidationError) return formatted;
  const code = formatted.extensions?.code;
  if (!formatted.path && typeof code === "string" && APOLLO_REQUEST_ERRORS.has(code)) return formatted;
  return {
    message: "Internal server error",
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
