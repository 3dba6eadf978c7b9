import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import cors from "cors";
import express from "express";
import { type GraphQLSchema } from "graphql";
import { type Container, createContainer, createContext } from "../container.js";
import { type PrismaClient } from "../db/prisma.js";
import { type Config } from "../platform/config.js";
import { type Logger } from "../platform/logger.js";
import { createEventBus } from "../realtime/event-bus.js";
import { type SeatEventMap } from "../seats/index.js";
import { buildSchema } from "../graphql/schema.js";
import { type Credentials, credentialsOf, viewerOrThrow } from "./credentials.js";
import { graphqlHttpHandler, startGraphQLServer } from "./graphql-handler.js";
import { healthRoutes } from "./health.js";
import { Metrics } from "./metrics.js";
import { queryLimitsPlugin } from "./plugins/query-limits.js";
import { createRateLimiter, rateLimitPlugin } from "./plugins/rate-limits.js";
import { requestLogPlugin } from "./plugins/request-log.js";
import { requestMetricsPlugin } from "./plugins/request-metrics.js";
import { requestId } from "./request-id.js";
import { cacheShares, inFlightLimit } from "./memory-budget.js";
import { seatMapCache } from "./seat-map-cache.js";
import { staticRoutes } from "./static-routes.js";
import { startWebSocketServer } from "./websocket.js";

const GRAPHQL_PATH = "/graphql";
/** Large enough for a 1 MB string argument to reach validation and get a clear answer. */
const MAX_BODY = 2 * 1024 * 1024;

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
  const { config, prisma, jwtSecret, logger } = options;
  const eventBus = createEventBus<SeatEventMap>(config.redisUrl, logger);
  const rateLimiter = createRateLimiter(config.rateLimits, config.redisUrl);
  const metrics = new Metrics();
  const container = createContainer({ config, prisma, replica: options.replica, eventBus, logger, observer: metrics });
  const schema = await buildSchema(container, { subscriptions: container.subscriptionSources });
  const credentials = (authorization: string | null | undefined) => credentialsOf(jwtSecret, authorization);

  const app = express();
  app.disable("x-powered-by");
  // Behind a load balancer the client's address (per-address rate limits, logs) comes from X-Forwarded-For.
  if (config.trustProxyHops > 0) app.set("trust proxy", config.trustProxyHops);
  const httpServer = createServer(app);

  const webSockets = startWebSocketServer({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    logger,
    maxBufferedBytes: config.wsMaxBufferedBytes,
    credentialsOf: credentials,
    contextFor: (viewer, clientAddress) => createContext(container, { viewer, clientAddress }),
  });
  metrics.watch({
    poolStats: options.poolStats,
    webSocketConnections: webSockets.connections,
    activeSubscriptions: () => container.seatEvents.activeSubscriptions(),
    expiryLagSeconds: () => container.bookingStore.expiryLagSeconds(),
    seatTotals: () => container.seats.totalsByStatus(),
  });
  const apollo = await startGraphQLServer({
    schema,
    config,
    httpServer,
    plugins: [
      requestMetricsPlugin(metrics),
      requestLogPlugin(logger),
      queryLimitsPlugin(config.queryLimits),
      rateLimitPlugin(rateLimiter),
    ],
    onDrain: webSockets.close,
  });

  app.use(requestId);
  app.use(healthRoutes(prisma, eventBus));
  app.get("/metrics", metrics.handler());
  app.use(staticRoutes(config, jwtSecret));
  const cache = seatMapCache({
    maxBytes: cacheShares(config.memory).seatMap,
    maxStalenessMs: config.seatMapCacheStalenessMs,
    fingerprint: (showIds) => container.seats.fingerprint(showIds),
  });
  app.use(
    GRAPHQL_PATH,
    cors({ origin: config.corsOrigins.includes("*") ? true : [...config.corsOrigins] }),
    inFlightLimit(config.memory, MAX_BODY),
    express.json({ limit: MAX_BODY }),
    (req, res, next) => {
      res.locals.credentials = credentials(req.headers.authorization);
      next();
    },
    graphqlHttpHandler(
      apollo,
      async (req, res) =>
        createContext(container, {
          viewer: viewerOrThrow(res.locals.credentials as Credentials),
          requestId: res.locals.requestId as string,
          clientAddress: req.ip ?? "unknown",
        }),
      (req, res, execute) => cache(req, "refusal" in (res.locals.credentials as Credentials), execute),
    ),
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
    webSocketConnections: webSockets.connections,
    async stop() {
      await container.expiryTask.stop();
      await apollo.stop();
      await container.seatEvents.drain();
      await eventBus.close();
      await rateLimiter.close();
    },
  };
}
