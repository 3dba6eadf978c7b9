// The resolvers composed here are decorated classes: the metadata polyfill must load before any of them, whoever
// loads the container (the server, the bench, the tests).
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { type Registry } from "prom-client";
import { AuditMiddleware, AuditResolver, AuditStore } from "./audit/index.js";
import { type Prisma, type PrismaClient } from "./db/prisma.js";
import { type SqlClient } from "./db/sql-client.js";
import { type SeatMapChange } from "./domain/seat-change.js";
import {
  BookingQueries,
  type BookingObserver,
  BookingResolver,
  BookingService,
  BookingStore,
  BoxOfficeResolver,
  BoxOfficeService,
  BoxOfficeStore,
  createBookingLoaders,
  ExpiryTask,
  ShowBookingsResolver,
} from "./bookings/index.js";
import { type Viewer } from "./domain/viewer.js";
import { type Context } from "./graphql/context.js";
import { type NodeType } from "./graphql/global-id.js";
import { NODE_ID_RESOLVERS } from "./graphql/node-ids.js";
import { createNodeLoaders, type NodeSource } from "./graphql/node-loaders.js";
import { NodeResolver } from "./graphql/node.resolver.js";
import { RowBudget } from "./graphql/row-budget.js";
import { type ResolverContainer, type SubscriptionSources } from "./graphql/schema.js";
import { type BookingEvents, createBookingEvents } from "./events/index.js";
import { type Config } from "./platform/config.js";
import { type Logger } from "./platform/logger.js";
import { type EventBus } from "./realtime/event-bus.js";
import {
  createSeatLoaders,
  LiveSeatMapResolver,
  LiveSeatMaps,
  LiveSeatPicker,
  SEAT_MAP_CHANGED,
  type SeatEventMap,
  SeatEvents,
  SeatMapResolver,
  SeatService,
  ShowSeatsResolver,
  sqlSeatMapSource,
} from "./seats/index.js";
import { ReportsResolver, SeatHistoryPurgeTask, SeatHistoryService, ShowReportService } from "./reports/index.js";
import { SeatBlockingResolver, SeatBlockingService, SeatBlockingStore } from "./seats/blocking/index.js";
import {
  createShowLoaders,
  ShowAdminService,
  ShowCancelStore,
  ShowChanges,
  type ShowEventMap,
  ShowResolver,
  ShowService,
} from "./shows/index.js";
import { DEFAULT_LAYOUT_LIMITS } from "./venues/layout/index.js";
import {
  BookingLines,
  BookingPriceResolver,
  createVenueLoaders,
  SeatDetailsResolver,
  ShowCatalogs,
  ShowVenueResolver,
  VenueResolver,
  VenueService,
  VenueStore,
} from "./venues/index.js";

/** How often each process purges seat history past its retention (a day's entries go in one pass). */
const SEAT_HISTORY_PURGE_MS = 60 * 60 * 1000;

/** The composition root: every long-lived object of a process, wired once. */
export interface Container extends ResolverContainer {
  readonly shows: ShowService;
  /** Shows' categories with prices and their sections. */
  readonly catalogs: ShowCatalogs;
  /** Bookings' seats with their prices. */
  readonly bookingLines: BookingLines;
  readonly seats: SeatService;
  readonly bookings: BookingService;
  readonly bookingStore: BookingStore;
  /** Reads bookings (and their refunds) for their owners and admins. */
  readonly bookingQueries: BookingQueries;
  /** Refunds and seat changes. */
  readonly boxOffice: BoxOfficeService;
  readonly seatEvents: SeatEvents;
  /** Show changes across processes: what each process keeps about a changed show is forgotten. */
  readonly showChanges: ShowChanges;
  /** The live seat maps of the shows being read or booked in this process. */
  readonly liveSeatMaps: LiveSeatMaps;
  readonly expiryTask: ExpiryTask;
  /** Deletes seat history past SEAT_HISTORY_RETENTION_DAYS (started by main.ts; tests run it by hand). */
  readonly seatHistoryPurge: SeatHistoryPurgeTask;
  /** Booking events: the outbox relay (sequencer, webhooks, broker), retention and the pull API. */
  readonly events: BookingEvents;
  /** Where the schema's subscriptions take their streams from, by topic. */
  readonly subscriptionSources: SubscriptionSources;
  /** Rows (seats) one operation may return: each context gets a budget of this many. */
  readonly maxRowsPerRequest: number;
  /** Objects by database id for `node`/`nodes`, one statement per type and batch. */
  readonly nodeSources: Readonly<Record<NodeType, NodeSource>>;
}

export interface ContainerOptions {
  readonly config: Config;
  readonly prisma: PrismaClient;
  /** The booking statements' client (Database.sql). */
  readonly sql: SqlClient;
  /** A read replica for show lists and seat maps; the primary when absent. */
  readonly replica?: PrismaClient;
  readonly eventBus: EventBus<SeatEventMap & ShowEventMap>;
  readonly logger: Logger;
  readonly observer?: BookingObserver;
  /** The process's metrics registry (event backlog and delivery metrics). */
  readonly registry?: Registry;
}

export function createContainer(options: ContainerOptions): Container {
  const { config, prisma, logger } = options;
  const replica = options.replica ?? prisma;
  // Rows and seats per row as the rows × seatsPerRow shortcut has always allowed, whose halls are venues too.
  const venues = new VenueService(new VenueStore(prisma), {
    ...DEFAULT_LAYOUT_LIMITS,
    maxSeats: config.booking.maxSeatsPerShow,
    maxRowsPerSection: 702,
    maxSeatsPerRow: 1000,
  });
  // From the primary: a catalog is read once per show and kept, and a replica may not have a new show's layout yet.
  const catalogs = new ShowCatalogs(prisma);
  const bookingLines = new BookingLines(prisma);
  const shows = new ShowService(prisma, venues, { maxSeatsPerShow: config.booking.maxSeatsPerShow }, replica);
  // Through Prisma's unnamed statements, planned for the values at hand ("changed since version v" reads few rows
  // or many); the booking statements have a pool of their own, planned once (options.sql).
  const seatMapSql = { query: <T>(statement: Prisma.Sql) => prisma.$queryRaw<T[]>(statement) };
  const liveSeatMaps = new LiveSeatMaps({
    ...config.liveSeatMaps,
    source: sqlSeatMapSource(seatMapSql),
    subscribe: (showId) => options.eventBus.pubSub.subscribe(SEAT_MAP_CHANGED, showId)[Symbol.asyncIterator](),
    logger,
  });
  options.eventBus.onReconnect(() => void liveSeatMaps.repairAll());
  // Counts of shows live here come from their maps; of the others, from counts checked against PostgreSQL.
  const seats = new SeatService(prisma, replica, { live: liveSeatMaps });
  const showExists = async (showId: string) => (await shows.getMany([showId]))[0] !== null;
  const seatEvents = new SeatEvents(options.eventBus.pubSub, seats, showExists, logger);
  // Committed changes reach this process's live maps before the command answers, then every subscriber.
  const publisher = {
    publish(changes: readonly SeatMapChange[]) {
      liveSeatMaps.apply(changes);
      seatEvents.publish(changes);
    },
  };
  // A changed show (updateShow, cancelShow) is forgotten everywhere it is kept, in every process: its record, its
  // catalog, and its live seat map (reloaded under a new revision, so the HTTP read cache, keyed by it, misses too).
  const showChanges = new ShowChanges(
    options.eventBus.pubSub,
    {
      forget(showId) {
        shows.forget(showId);
        catalogs.forget(showId);
        liveSeatMaps.drop(showId);
      },
      forgetAll() {
        shows.forgetAll();
        catalogs.forgetAll();
        liveSeatMaps.dropAll();
      },
    },
    logger,
  );
  options.eventBus.onReconnect(() => showChanges.reconnected());
  const showAdmin = new ShowAdminService(prisma, venues, new ShowCancelStore(prisma), showChanges, publisher, {
    maxSeatsPerShow: config.booking.maxSeatsPerShow,
  });
  const bookingStore = new BookingStore(options.sql);
  const picker = new LiveSeatPicker(liveSeatMaps);
  const bookings = new BookingService(bookingStore, shows, publisher, picker, config.booking, options.observer);
  const expiryTask = new ExpiryTask(bookings, config.booking.expiryIntervalMs, logger);
  const seatBlocking = new SeatBlockingService(new SeatBlockingStore(options.sql), seats, publisher);
  const seatHistoryPurge = new SeatHistoryPurgeTask(
    prisma,
    config.seatHistoryRetentionDays,
    SEAT_HISTORY_PURGE_MS,
    logger,
  );
  const bookingQueries = new BookingQueries(prisma);
  const boxOffice = new BoxOfficeService(
    new BoxOfficeStore(options.sql),
    bookingStore,
    publisher,
    config.booking,
    options.observer,
  );
  // Admin mutations are recorded through Prisma's pool: the log's reads are planned for their filters.
  const audit = new AuditStore({ query: <T>(statement: Prisma.Sql) => prisma.$queryRaw<T[]>(statement) });
  const events = createBookingEvents({ prisma, config: config.events, logger, registry: options.registry });
  const instances = new Map<unknown, unknown>([
    ...events.resolvers,
    [ShowResolver, new ShowResolver(shows, showAdmin)],
    [VenueResolver, new VenueResolver(venues)],
    [ShowVenueResolver, new ShowVenueResolver(liveSeatMaps)],
    [SeatDetailsResolver, new SeatDetailsResolver()],
    [BookingPriceResolver, new BookingPriceResolver()],
    [ShowSeatsResolver, new ShowSeatsResolver(seats)],
    [SeatMapResolver, new SeatMapResolver()],
    [LiveSeatMapResolver, new LiveSeatMapResolver(liveSeatMaps)],
    [BookingResolver, new BookingResolver(bookings, bookingQueries, picker)],
    [BoxOfficeResolver, new BoxOfficeResolver(boxOffice, bookingQueries)],
    [ShowBookingsResolver, new ShowBookingsResolver(bookingQueries)],
    [SeatBlockingResolver, new SeatBlockingResolver(seatBlocking)],
    // Reports read the primary: they must not lag the sale they describe.
    [ReportsResolver, new ReportsResolver(new ShowReportService(prisma, catalogs), new SeatHistoryService(prisma))],
    [AuditResolver, new AuditResolver(audit)],
    [AuditMiddleware, new AuditMiddleware(audit, logger)],
    [NodeResolver, new NodeResolver()],
    ...NODE_ID_RESOLVERS.map((resolver) => [resolver, new resolver()] as const),
  ]);
  return {
    shows,
    catalogs,
    bookingLines,
    seats,
    bookings,
    bookingStore,
    bookingQueries,
    boxOffice,
    seatEvents,
    showChanges,
    liveSeatMaps,
    expiryTask,
    seatHistoryPurge,
    events,
    subscriptionSources: { [SEAT_MAP_CHANGED]: (showId) => seatEvents.open(showId) },
    maxRowsPerRequest: config.queryLimits.maxRowsPerRequest,
    nodeSources: {
      Show: (ids) => shows.getMany(ids),
      Booking: (ids) => bookingQueries.getMany(ids),
      Seat: (ids) => seats.seatsByIds(ids),
      Venue: (ids) => venues.getMany(ids),
      Webhook: (ids) => events.webhooksById(ids),
    },
    get<T>(someClass: new (...args: never[]) => T): T {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the container`);
      return instance as T;
    },
  };
}

/** A fresh operation context (HTTP request or WebSocket subscribe): who asks, and new DataLoaders. */
export function createContext(
  container: Pick<
    Container,
    "shows" | "seats" | "catalogs" | "bookingLines" | "bookingQueries" | "maxRowsPerRequest" | "nodeSources"
  >,
  request: { viewer: Viewer | null; requestId?: string; clientAddress?: string },
): Context {
  const rowBudget = new RowBudget(container.maxRowsPerRequest);
  const showLoaders = createShowLoaders(container.shows);
  return {
    viewer: request.viewer,
    clientAddress: request.clientAddress ?? "unknown",
    requestId: request.requestId ?? randomUUID(),
    loaders: {
      ...showLoaders,
      ...createSeatLoaders(container.seats, rowBudget),
      ...createVenueLoaders(container.catalogs, container.bookingLines),
      ...createBookingLoaders(container.bookingQueries),
      // Shows through the show loader: a show read by `show(id:)` and by `node(id:)` is read once.
      nodes: { ...createNodeLoaders(container.nodeSources), Show: showLoaders.show },
    },
    rowBudget,
  };
}
