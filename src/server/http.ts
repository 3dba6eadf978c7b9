import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import compression from "compression";
import express from "express";
import { type GraphQLSchema } from "graphql";
import { type Container, createContainer, createContext } from "../container.js";
import { type PrismaClient } from "../db/prisma.js";
import { type SqlClient } from "../db/sql-client.js";
import { type Config } from "../platform/config.js";
import { type Logger } from "../platform/logger.js";
import { createEventBus } from "../realtime/event-bus.js";
import { type SeatEventMap } from "../seats/index.js";
import { type ShowEventMap } from "../shows/index.js";
import { buildSchema } from "../graphql/schema.js";
import { apolloCaches, schemaDigest } from "./apollo-caches.js";
import { type Credentials, credentialsOf, viewerOrThrow } from "./credentials.js";
import { documentPreparer } from "./documents.js";
import { graphqlHttpHandler, startGraphQLServer } from "./graphql-handler.js";
import { jsonErrorHandler } from "./error-handler.js";
import { healthRoutes } from "./health.js";
import { trackHttpConnections } from "./http-drain.js";
import { hostsOf, listen } from "./listen.js";
import { Metrics } from "./metrics.js";
import { queryLimitsPlugin } from "./plugins/query-limits.js";
import { createRateLimiter, rateLimitPlugin } from "./plugins/rate-limits.js";
import { requestLogPlugin } from "./plugins/request-log.js";
import { requestMetricsPlugin } from "./plugins/request-metrics.js";
import { transportPlugin } from "./plugins/transport.js";
import { requestId } from "./request-id.js";
import { adminConsole, CONSOLE_PATH } from "./admin-console.js";
import { graphqlCors, pageSecurityHeaders } from "./edge-headers.js";
import { type CheckedOperation, operationShapeCheck, requestShape } from "./request-shape.js";
import { cacheShares, inFlightLimit } from "./memory-budget.js";
import { readCache } from "./read-cache/read-cache.js";
import { readCacheObserver } from "./read-cache/read-cache-observer.js";
import { liveShowVersions } from "./read-cache/show-versions.js";
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
  /** The seat-map page (http://host:port/) and the admin console (unset when off), for people, as `url`. */
  readonly pageUrl: string;
  readonly consoleUrl: string | undefined;
  /** The same endpoint as an address this machine can connect to (127.0.0.1 for every interface), for clients. */
  readonly address: string;
  /** http://127.0.0.1:port/metrics: the Prometheus endpoint, on its own port (METRICS_PORT), never the public one. */
  readonly metricsUrl: string;
  /** Open WebSocket connections (subscribers). */
  webSocketConnections(): number;
  /** Stops taking work, lets in-flight requests finish, stops the expiry task. Does not close the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly prisma: PrismaClient;
  /** The booking statements' client (Database.sql). */
  readonly sql: SqlClient;
  /** Read-only queries (show lists, seat maps) go here when set: a read replica. */
  readonly replica?: PrismaClient;
  readonly jwtSecret: string;
  readonly logger: Logger;
  /** The database pool's connection counts, for metrics. */
  readonly poolStats: () => { total: number; idle: number; waiting: number };
  /** Start the interval that releases lapsed holds (tests drive it by hand). */
  readonly runExpiryTask?: boolean;
  /** Start the booking-event relay (sequencer, webhook deliveries, broker publisher); default true. */
  readonly runEventRelay?: boolean;
}

/** Builds the HTTP + WebSocket server around the schema and starts listening on config.port. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, prisma, jwtSecret, logger } = options;
  const eventBus = createEventBus<SeatEventMap & ShowEventMap>(config.redisUrl, logger);
  const rateLimiter = createRateLimiter(config.rateLimits, config.redisUrl);
  const metrics = new Metrics(config.metrics.seatTotalsIntervalMs);
  const container = createContainer({
    config,
    prisma,
    sql: options.sql,
    replica: options.replica,
    eventBus,
    logger,
    observer: metrics,
    registry: metrics.registry,
  });
  const schema = await buildSchema(container, { subscriptions: container.subscriptionSources });
  const tokenRules = {
    maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  };
  const credentials = (authorization: string | null | undefined) => credentialsOf(jwtSecret, authorization, tokenRules);
  // Apollo's caches, and the one place query texts are parsed (and handed to Apollo validated): every transport.
  const caches = apolloCaches(cacheShares(config.memory).apollo, schema);
  const documents = documentPreparer({
    schema,
    limits: config.queryLimits,
    introspection: config.introspection,
    documents: caches.documents,
  });

  const app = express();
  app.disable("x-powered-by");
  // Behind a load balancer the client's address (per-address rate limits, logs) comes from X-Forwarded-For.
  if (config.trustProxyHops > 0) app.set("trust proxy", config.trustProxyHops);
  // A client that sends its request slowly (or never finishes it) is cut off; upgraded WebSockets are not subject
  // to these (Node stops tracking a connection once it is upgraded).
  const httpServer = createServer(
    {
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      keepAliveTimeout: config.http.keepAliveTimeoutMs,
      // How often those timeouts are checked (Node's default, 30 s, would let a slow client overstay by that much).
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  // Beyond this many sockets (WebSockets included) new connections are closed at once instead of exhausting memory.
  httpServer.maxConnections = config.http.maxConnections;
  const httpConnections = trackHttpConnections(httpServer);

  const webSockets = startWebSocketServer({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    logger,
    maxBufferedBytes: config.wsMaxBufferedBytes,
    limits: config.webSocket,
    checkShape: operationShapeCheck(documents),
    credentialsOf: credentials,
    // The same address as `req.ip` (Express's trust-proxy rules), for per-address limits on both transports.
    clientAddressOf: (request) =>
      (
        Object.create(app.request, { headers: { value: request.headers }, socket: { value: request.socket } }) as {
          ip?: string;
        }
      ).ip ?? "unknown",
    contextFor: (viewer, clientAddress, requestId) => createContext(container, { viewer, clientAddress, requestId }),
    executeOperation: ({ query, variables, operationName, extensions }, contextValue) =>
      apollo.executeOperation(
        {
          query,
          variables: variables ?? undefined,
          operationName: operationName ?? undefined,
          extensions: extensions ?? undefined,
        },
        { contextValue },
      ),
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
      transportPlugin(GRAPHQL_PATH),
    ],
    onDrain: webSockets.close,
    caches,
  });

  app.use(requestId);
  app.use(healthRoutes(prisma, eventBus));
  const cache = readCache({
    maxBytes: cacheShares(config.memory).seatMap,
    maxStalenessMs: config.seatMapCacheStalenessMs,
    // Live seat maps number their changes per process: tags of answers keyed by them are good only where they were
    // made, so they carry this process's identity (layout identities are database ids, good everywhere).
    versions: liveShowVersions(container.liveSeatMaps),
    tagScope: randomUUID(),
    documentOf: documents.documentOf,
    schemaDigest: schemaDigest(schema),
    observer: readCacheObserver(logger, metrics, metrics.registry),
  });
  app.use(
    GRAPHQL_PATH,
    graphqlCors(config),
    inFlightLimit(config.memory, MAX_BODY),
    express.json({ limit: MAX_BODY }),
    requestShape(documents),
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
      (req, res, execute) => {
        const credentials = res.locals.credentials as Credentials;
        const read = {
          method: req.method,
          headers: req.headers,
          operation: res.locals.graphql as CheckedOperation | undefined,
          credentialsRefused: "refusal" in credentials,
          authenticated: "viewer" in credentials && credentials.viewer !== null,
          requestId: res.locals.requestId as string,
          sent: new Promise((resolve) => res.once("close", resolve)),
        };
        return cache(read, execute);
      },
    ),
  );

  // The page, its scripts and the admin console, compressed as they are sent (gzip or brotli, by Accept-Encoding).
  // After the GraphQL route, which answers every request to its path: a GET there would otherwise cost a file lookup
  // first, and the middleware would wrap GraphQL answers, which the handler encodes itself (once per cached answer).
  app.use(compression());
  if (config.adminConsole.enabled)
    app.use(CONSOLE_PATH, adminConsole({ config, schema, jwtSecret, graphqlPath: GRAPHQL_PATH, credentials }));
  app.use(pageSecurityHeaders(), staticRoutes(config, jwtSecret));

  app.use(jsonErrorHandler(logger));

  // Operations only: not on the public port, so a proxy in front cannot expose it by accident.
  const operations = express();
  operations.disable("x-powered-by");
  operations.get("/metrics", metrics.handler());
  operations.use(jsonErrorHandler(logger));
  const metricsServer = createServer(operations);

  const port = await listen(httpServer, config.port, config.host);
  const metricsPort = await listen(metricsServer, config.metrics.port, config.host).catch((error: unknown) => {
    httpServer.close(); // a process that cannot serve its metrics does not start half-way
    throw error;
  });
  const hosts = hostsOf(config.host);
  const origin = `http://${hosts.display}:${port}`;

  if (options.runExpiryTask ?? true) container.expiryTask.start();
  container.liveSeatMaps.start();
  container.showChanges.start();
  if (options.runEventRelay ?? true) container.events.start();

  return {
    httpServer,
    schema,
    container,
    url: `${origin}${GRAPHQL_PATH}`,
    pageUrl: `${origin}/`,
    consoleUrl: config.adminConsole.enabled ? `${origin}${CONSOLE_PATH}` : undefined,
    address: `http://${hosts.connect}:${port}${GRAPHQL_PATH}`,
    metricsUrl: `http://${hosts.connect}:${metricsPort}/metrics`,
    webSocketConnections: webSockets.connections,
    async stop() {
      // Stop taking connections at once (the expiry task may be in the middle of a slow run); requests under way are
      // answered before Apollo stops, whose drain then closes the WebSockets (1001) and finds no HTTP connection left.
      await Promise.all([
        httpConnections.drain(config.shutdownGraceMs),
        container.expiryTask.stop(),
        container.events.stop(),
      ]);
      await apollo.stop();
      metricsServer.closeAllConnections();
      await new Promise((resolve) => metricsServer.close(resolve));
      container.liveSeatMaps.stop();
      container.showChanges.stop();
      await container.seatEvents.drain();
      await eventBus.close();
      await rateLimiter.close();
    },
  };
}
