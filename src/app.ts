import { randomUUID } from "node:crypto";
import path from "node:path";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";
import { type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import { type Config } from "./config.js";
import { createContainer, type Container } from "./container.js";
import { type Context, createContext } from "./context.js";
import { type PrismaClient } from "./db/prisma.js";
import { type QueueBudget, seatMapCache } from "./seats/index.js";
import { healthRoutes } from "./health.js";
import { Metrics } from "./metrics.js";
import { buildSchema } from "./schema.js";
import { signToken, viewerFromAuthorization } from "./shared/auth.js";
import { createEventBus } from "./pubsub.js";
import { PUBLIC_ERROR_CODES } from "./shared/errors.js";
import { queryLimitsPlugin } from "./shared/query-limits.js";
import { requestLogPlugin } from "./shared/request-log.js";
import { createRateLimiter, rateLimitPlugin } from "./shared/rate-limits.js";
import { type Logger } from "./shared/logger.js";

export const GRAPHQL_PATH = "/graphql";
/** Static files of the seat-map page (web/ at the top): the same path from src/ (tests) and from dist/ (compiled). */
const WEB_DIR = path.resolve(__dirname, "../web");
/** Large enough for a 1 MB string argument to reach validation and get a clear answer. */
const MAX_BODY = "2mb";

export interface App {
  readonly httpServer: Server;
  readonly schema: GraphQLSchema;
  readonly container: Container;
  /** http://host:port/graphql once listening, for people (localhost when listening on every interface). */
  readonly url: string;
  /** The same endpoint as an address this machine can connect to (127.0.0.1 for every interface), for clients. */
  readonly address: string;
  /** Open WebSocket connections (subscribers). */
  webSocketConnections(): number;
  /** Stops taking work, lets in-flight requests finish, stops the expiry task. Does not close the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly prisma: PrismaClient;
  /** Read-only queries (show lists, seat maps) go here when set: a read replica. */
  readonly replica?: PrismaClient;
  readonly jwtSecret: string;
  readonly logger: Logger;
  /** The database pool's connection counts, for metrics. */
  readonly poolStats: () => { total: number; idle: number; waiting: number };
  /** Start the interval that releases lapsed holds (tests drive it by hand). */
  readonly runExpiryTask?: boolean;
}

/** Builds the HTTP + WebSocket server around the schema and starts listening on config.port. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, prisma, jwtSecret, logger, poolStats } = options;
  const eventBus = createEventBus(config.redisUrl, logger);
  const rateLimiter = createRateLimiter(config.rateLimits, config.redisUrl);
  const container = createContainer(config, prisma, eventBus, logger, options.replica);
  const schema = await buildSchema(container, { pubSub: eventBus.pubSub });
  const contextFor = (authorization: string | undefined | null, options: Parameters<typeof createContext>[2] = {}): Context =>
    createContext(container, viewerFromAuthorization(jwtSecret, authorization), options);

  const app = express();
  app.disable("x-powered-by");
  // Behind a load balancer the client's address (per-address rate limits, logs) comes from X-Forwarded-For.
  if (config.trustProxyHops > 0) app.set("trust proxy", config.trustProxyHops);
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const metrics = new Metrics({ prisma, poolStats, webSocketConnections: () => wsServer.clients.size }, container);
  const authorizationOf = (params: Record<string, unknown> | undefined): string | null => {
    const value = params?.Authorization ?? params?.authorization;
    return typeof value === "string" ? value : null;
  };
  /** Whether credentials (or their absence) are acceptable; bad ones are refused with the reason elsewhere. */
  const acceptable = (authorization: string | null): boolean => {
    try {
      viewerFromAuthorization(jwtSecret, authorization);
      return true;
    } catch {
      return false;
    }
  };
  const wsCleanup = useServer(
    {
      schema,
      // A bad token is refused at connection time (close code 4403), not on every operation.
      onConnect: (ctx) => acceptable(authorizationOf(ctx.connectionParams)),
      context: (ctx) =>
        contextFor(authorizationOf(ctx.connectionParams), {
          queueBudget: queueBudgetOf(ctx.extra.socket, config.wsMaxBufferedBytes, logger),
          clientAddress: ctx.extra.request.socket.remoteAddress ?? "unknown",
        }),
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => maskUnexpected(formatted),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.plugin<Context>(),
      requestLogPlugin<Context>(logger),
      config.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      queryLimitsPlugin<Context>(config.queryLimits),
      rateLimitPlugin<Context>(rateLimiter),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } } satisfies ApolloServerPlugin<Context>,
    ],
  });
  await apollo.start();

  app.use((req, res, next) => {
    const incoming = req.header("x-request-id");
    const requestId = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    res.locals.requestId = requestId;
    next();
  });
  app.use(healthRoutes(prisma, eventBus));
  app.get("/metrics", metrics.handler());
  // The reference seat-map page (static files, no build step) and the graphql-ws browser client it imports.
  app.use(express.static(WEB_DIR));
  app.use("/vendor/graphql-ws", express.static(path.dirname(require.resolve("graphql-ws"))));
  if (config.env !== "production") {
    // Development convenience for the page: a user token without a CLI. Never available in production.
    app.post("/dev/token", express.json({ limit: "1kb" }), (req, res) => {
      const sub = (req.body as { sub?: unknown } | undefined)?.sub;
      if (typeof sub !== "string" || !/^[\w.@-]{1,64}$/.test(sub)) {
        res.status(400).json({ error: "Send {\"sub\": \"<user id>\"} (1–64 letters, digits, . _ @ -)." });
        return;
      }
      res.json({ token: signToken(jwtSecret, { sub, role: "user" }, 2 * 3600) });
    });
  }
  app.use(
    GRAPHQL_PATH,
    cors({ origin: config.corsOrigins.includes("*") ? true : [...config.corsOrigins] }),
    express.json({ limit: MAX_BODY }),
    seatMapCache({
      maxEntries: 100,
      maxStalenessMs: config.seatMapCacheStalenessMs,
      fingerprint: (showIds) => container.seats.fingerprint(showIds),
      acceptsAuthorization: acceptable,
    }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        contextFor(req.headers.authorization, { requestId: res.locals.requestId as string, clientAddress: req.ip ?? "unknown" }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const displayHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const connectHost = config.host === "0.0.0.0" ? "127.0.0.1" : config.host === "::" ? "[::1]" : config.host;

  if (options.runExpiryTask ?? true) container.expiryTask.start();

  return {
    httpServer,
    schema,
    container,
    url: `http://${displayHost}:${port}${GRAPHQL_PATH}`,
    address: `http://${connectHost}:${port}${GRAPHQL_PATH}`,
    webSocketConnections: () => wsServer.clients.size,
    async stop() {
      await container.expiryTask.stop();
      await apollo.stop();
      await container.seatEvents.drain();
      await eventBus.close();
      await rateLimiter.close();
    },
  };
}

/**
 * Close code for a subscriber that does not read its events fast enough: 1013 "try again later", which graphql-ws
 * clients treat as retryable (they reconnect and resync by version).
 */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 1013;

const budgets = new WeakMap<WebSocket, QueueBudget>();

/**
 * One event budget per WebSocket connection: a stalled or slow subscriber must not make the server queue its events
 * without bound. Once more than `limit` bytes wait for it, the connection is closed (and cut off if the client does
 * not even read the close frame); the client reconnects and resyncs by version.
 */
function queueBudgetOf(socket: WebSocket, limit: number, logger: Logger): QueueBudget {
  let budget = budgets.get(socket);
  if (!budget) {
    budget = {
      limitBytes: limit,
      queuedBytes: 0,
      transportBytes: () => socket.bufferedAmount,
      overflow: () => {
        if (socket.readyState !== socket.OPEN) return;
        logger.warn("closing a WebSocket whose client does not keep up with its events", { limit });
        socket.close(SLOW_SUBSCRIBER_CLOSE_CODE, "Subscriber too slow: too many unsent events");
        setTimeout(() => socket.terminate(), 1000).unref();
      },
    };
    budgets.set(socket, budget);
  }
  return budget;
}

/** Client-facing errors pass through; anything else is answered without internals (the request log has it). */
function maskUnexpected(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PUBLIC_ERROR_CODES.has(code)) return formatted;
  return {
    message: "Internal server error",
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
