import { type Server } from "node:http";
import { type ExecutionArgs, type GraphQLSchema, subscribe } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import { type Viewer } from "../domain/viewer.js";
import { type Context } from "../graphql/context.js";
import { type Logger } from "../platform/logger.js";
import { type Credentials } from "./credentials.js";
import { boundedForSocket } from "./subscriber-budget.js";

export interface WebSocketOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  /** A WebSocket whose unsent events exceed this is closed (a stalled subscriber must not grow memory). */
  readonly maxBufferedBytes: number;
  readonly credentialsOf: (authorization: string | null) => Credentials;
  readonly contextFor: (viewer: Viewer | null, clientAddress: string) => Context;
}

export interface GraphQLWebSocketServer {
  connections(): number;
  /** Closes every connection (1001) and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * graphql-ws on `path`: credentials are checked once, at connection time (a bad token is refused with close code
 * 4403, not on every operation), and every connection gets one event budget for all its subscriptions.
 */
export function startWebSocketServer(options: WebSocketOptions): GraphQLWebSocketServer {
  const { logger, maxBufferedBytes } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const socketOf = new WeakMap<Context, WebSocket>();

  const cleanup = useServer<Record<string, unknown> | undefined, { viewer: Viewer | null }>(
    {
      schema: options.schema,
      onConnect: (ctx) => {
        const credentials = options.credentialsOf(authorizationOf(ctx.connectionParams));
        if ("refusal" in credentials) return false;
        ctx.extra.viewer = credentials.viewer;
        return true;
      },
      context: (ctx) => {
        const context = options.contextFor(
          ctx.extra.viewer ?? null,
          ctx.extra.request.socket.remoteAddress ?? "unknown",
        );
        socketOf.set(context, ctx.extra.socket);
        return context;
      },
      subscribe: async (args: ExecutionArgs) => {
        const result = await subscribe(args);
        const socket = socketOf.get(args.contextValue as Context);
        if (!(Symbol.asyncIterator in result) || !socket) return result;
        return boundedForSocket(result, socket, maxBufferedBytes, logger);
      },
    },
    wsServer,
  );
  return {
    connections: () => wsServer.clients.size,
    close: async () => {
      await cleanup.dispose();
    },
  };
}

const authorizationOf = (params: Record<string, unknown> | undefined): string | null => {
  const value = params?.Authorization ?? params?.authorization;
  return typeof value === "string" ? value : null;
};
