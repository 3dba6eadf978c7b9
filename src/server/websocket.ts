import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server } from "node:http";
import { type GraphQLResponse } from "@apollo/server";
import {
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  subscribe,
} from "graphql";
import { type SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import { type Viewer } from "../domain/viewer.js";
import { type Context } from "../graphql/context.js";
import { UnauthenticatedError } from "../graphql/errors.js";
import { type Config } from "../platform/config.js";
import { type Logger } from "../platform/logger.js";
import { type Credentials } from "./credentials.js";
import { AnsweredError, connectionCounter, TooManyOperationsError } from "./websocket-limits.js";
import { maskUnexpected } from "./graphql-handler.js";
import { type AdmissionContext, type SubscriptionAdmission } from "./plugins/transport.js";
import { boundedForSocket } from "./subscriber-budget.js";

export interface WebSocketOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  /** A WebSocket whose unsent events exceed this is closed (a stalled subscriber must not grow memory). */
  readonly maxBufferedBytes: number;
  readonly limits: Config["webSocket"];
  /** The same checks HTTP runs before parsing (tokens, document shape, variable nesting); throws a GraphQLError. */
  readonly checkShape: (operation: SubscribePayload) => void;
  readonly credentialsOf: (authorization: string | null) => Credentials;
  /** The client's address as HTTP sees it (X-Forwarded-For behind trusted proxies). */
  readonly clientAddressOf: (request: IncomingMessage) => string;
  readonly contextFor: (viewer: Viewer | null, clientAddress: string, requestId: string) => Context;
  /** Runs one operation through the same Apollo pipeline as HTTP (plugins, introspection switch, masking). */
  readonly executeOperation: (
    request: SubscribePayload,
    context: Context & AdmissionContext,
  ) => Promise<GraphQLResponse>;
}

export interface GraphQLWebSocketServer {
  connections(): number;
  /** Closes every connection (1001) and stops accepting new ones. */
  close(): Promise<void>;
}

// Set when the connection is acknowledged (graphql-ws refuses operations before that).
type ConnectionState = {
  viewer?: Viewer | null;
  /** When the connection's token stops being valid (ms since the epoch); absent for anonymous connections. */
  expiresAt?: number;
  clientAddress?: string;
};

/** A query or mutation Apollo already answered: graphql-ws only has to send it. */
interface Answered {
  readonly answer: FormattedExecutionResult;
}

// graphql-ws needs a document to choose between execute and subscribe; answered operations go through `execute`,
// which hands back Apollo's answer.
const ANSWERED_DOCUMENT = parse("query Answered { __typename }");

/**
 * graphql-ws on `path`, every operation through Apollo (see plugins/transport.ts): credentials are checked once, at
 * connection time (a bad token is refused with close code 4403); an expired token fails each new operation with
 * UNAUTHENTICATED, leaving the connection open for the client to reconnect with a fresh one. Per-address connection
 * and per-connection operation caps, a message size cap (1009), and one event budget per connection.
 */
export function startWebSocketServer(options: WebSocketOptions): GraphQLWebSocketServer {
  const { logger, maxBufferedBytes, limits } = options;
  const perAddress = connectionCounter(limits.maxConnectionsPerAddress);
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    // ws reads no further than this into a message and closes the socket with 1009: nothing oversized is parsed.
    maxPayload: limits.maxPayloadBytes,
    // Synchronous up to the `connection` event, so concurrent upgrades cannot all slip under the cap.
    verifyClient: (info, accept) => {
      const address = options.clientAddressOf(info.req);
      if (perAddress.admit(address)) return accept(true);
      logger.warn("refusing a WebSocket: too many connections from one address", { address });
      accept(false, 429, "Too many WebSocket connections from this address");
    },
  });
  const socketOf = new WeakMap<Context, WebSocket>();

  // Every error reaching graphql-ws's `error` message is an AnsweredError (graphql-ws wraps those thrown by a
  // subscription's stream); anything else is masked all the same.
  const formatAnswered = (error: GraphQLError): GraphQLFormattedError => {
    const answered = error instanceof AnsweredError ? error : error.originalError;
    if (answered instanceof AnsweredError) return answered.formatted;
    return maskAndLog(error, "unknown", logger);
  };

  const cleanup = useServer<Record<string, unknown> | undefined, ConnectionState>(
    {
      schema: options.schema,
      onConnect: (ctx) => {
        const credentials = options.credentialsOf(authorizationOf(ctx.connectionParams));
        if ("refusal" in credentials) return false;
        ctx.extra.viewer = credentials.viewer;
        if (credentials.expiresAt !== undefined) ctx.extra.expiresAt = credentials.expiresAt;
        ctx.extra.clientAddress = options.clientAddressOf(ctx.extra.request);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const requestId = randomUUID();
        // graphql-ws registers the operation before this hook: in-flight queries count as much as subscriptions.
        const open = Object.keys(ctx.subscriptions).length;
        if (open > limits.maxOperationsPerConnection) {
          logger.warn("refusing a WebSocket operation: too many on one connection", { requestId, open });
          return [refusal(new TooManyOperationsError(limits.maxOperationsPerConnection), requestId)];
        }
        if (ctx.extra.expiresAt !== undefined && Date.now() >= ctx.extra.expiresAt) {
          const expired = new UnauthenticatedError(
            "Authentication failed: the token has expired; reconnect with a fresh token.",
          );
          return [refusal(expired, requestId)];
        }
        try {
          options.checkShape(payload);
        } catch (error) {
          if (error instanceof GraphQLError) return [refusal(error, requestId)];
          throw error;
        }
        const admission: SubscriptionAdmission = {};
        const context = options.contextFor(ctx.extra.viewer ?? null, ctx.extra.clientAddress ?? "unknown", requestId);
        const response = await options.executeOperation(payload, { ...context, subscriptionAdmission: admission });
        if (admission.document) {
          socketOf.set(context, ctx.extra.socket);
          return {
            schema: options.schema,
            document: admission.document,
            operationName: payload.operationName ?? null,
            variableValues: payload.variables ?? {},
            contextValue: context,
          };
        }
        const answer = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
        // Nothing ran (malformed, refused by a limit, or a subscription refused): the protocol's `error` message.
        if (!("data" in answer) && answer.errors?.length) return answer.errors.map((e) => new AnsweredError(e));
        return { schema: options.schema, document: ANSWERED_DOCUMENT, contextValue: { answer } satisfies Answered };
      },
      execute: (args: ExecutionArgs) => (args.contextValue as Answered).answer as ExecutionResult,
      subscribe: async (args: ExecutionArgs) => {
        const context = args.contextValue as Context;
        const result = await subscribe(args);
        const socket = socketOf.get(context);
        if (!(Symbol.asyncIterator in result) || !socket) return result;
        const masked = failingWith(result, (error) => {
          const formatted = maskAndLog(error, context.requestId, logger);
          return new AnsweredError(withRequestId(formatted, context.requestId));
        });
        return boundedForSocket(masked, socket, maxBufferedBytes, logger);
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        const value = args.contextValue as Partial<Answered> & Partial<Context>;
        if (value.answer) return value.answer;
        if (!result.errors?.length) return undefined;
        const requestId = value.requestId ?? "unknown";
        return {
          ...result,
          errors: result.errors.map((error) => withRequestId(maskAndLog(error, requestId, logger), requestId)),
        };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(formatAnswered),
    },
    wsServer,
  );
  wsServer.on("connection", (socket, request) => {
    const address = options.clientAddressOf(request);
    perAddress.opened(address);
    socket.once("close", () => perAddress.closed(address));
    // graphql-ws prints every socket error to stderr and closes with 4500 (fatal for its clients); an oversized
    // message or a reset connection is the client's doing, and ws closes the socket itself (1009 for the former).
    socket.removeAllListeners("error");
    socket.on("error", (error) => logger.warn("WebSocket error", { address, error: error.message }));
  });
  return {
    connections: () => wsServer.clients.size,
    close: async () => {
      await cleanup.dispose();
    },
  };
}

/** A refusal before Apollo ran: already public, so sent as it is, with the operation's request id. */
const refusal = (error: GraphQLError, requestId: string): AnsweredError =>
  new AnsweredError(withRequestId(error.toJSON(), requestId));

const withRequestId = (formatted: GraphQLFormattedError, requestId: string): GraphQLFormattedError => ({
  ...formatted,
  extensions: { ...formatted.extensions, requestId },
});

/** The same masking as over HTTP; what is masked is logged in full under the request id. */
function maskAndLog(error: unknown, requestId: string, logger: Logger): GraphQLFormattedError {
  const graphQLError =
    error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error });
  const formatted = maskUnexpected(graphQLError.toJSON(), graphQLError);
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR")
    logger.error("unexpected error", { requestId, error: graphQLError.originalError ?? graphQLError });
  return formatted;
}

/** `source`, whose failures are replaced by `replace(error)`; `return` passes straight through (no extra await). */
function failingWith<T>(source: AsyncIterator<T>, replace: (error: unknown) => Error): AsyncIterator<T> {
  return {
    next: () =>
      source.next().catch((error: unknown) => {
        throw replace(error);
      }),
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
  };
}

const authorizationOf = (params: Record<string, unknown> | undefined): string | null => {
  const value = params?.Authorization ?? params?.authorization;
  return typeof value === "string" ? value : null;
};
