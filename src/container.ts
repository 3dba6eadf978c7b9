import { randomUUID } from "node:crypto";
import { type Prisma, type PrismaClient } from "./db/prisma.js";
import { type SqlClient } from "./db/sql-client.js";
import { type SeatMapChange } from "./domain/seat-change.js";
import {
  BookingQueries,
  type BookingObserver,
  BookingResolver,
  BookingService,
  BookingStore,
  ExpiryTask,
} from "./bookings/index.js";
import { type Viewer } from "./domain/viewer.js";
import { type Context } from "./graphql/context.js";
import { RowBudget } from "./graphql/row-budget.js";
import { type ResolverContainer, type SubscriptionSources } from "./graphql/schema.js";
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
import { createShowLoaders, ShowResolver, ShowService } from "./shows/index.js";
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
  readonly seatEvents: SeatEvents;
  /** The live seat maps of the shows being read or booked in this process. */
  readonly liveSeatMaps: LiveSeatMaps;
  readonly expiryTask: ExpiryTask;
  /** Where the schema's subscriptions take their streams from, by topic. */
  readonly subscriptionSources: SubscriptionSources;
  /** Rows (seats) one operation may return: each context gets a budget of this many. */
  readonly maxRowsPerRequest: number;
}

export interface ContainerOptions {
  readonly config: Config;
  readonly prisma: PrismaClient;
  /** The booking statements' client (Database.sql). */
  readonly sql: SqlClient;
  /** A read replica for show lists and seat maps; the primary when absent. */
  readonly replica?: PrismaClient;
  readonly eventBus: EventBus<SeatEventMap>;
  readonly logger: Logger;
  readonly observer?: BookingObserver;
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
  const bookingStore = new BookingStore(options.sql);
  const picker = new LiveSeatPicker(liveSeatMaps);
  const bookings = new BookingService(bookingStore, shows, publisher, picker, config.booking, options.observer);
  const expiryTask = new ExpiryTask(bookings, config.booking.expiryIntervalMs, logger);
  const instances = new Map<unknown, unknown>([
    [ShowResolver, new ShowResolver(shows)],
    [VenueResolver, new VenueResolver(venues)],
    [ShowVenueResolver, new ShowVenueResolver(liveSeatMaps)],
    [SeatDetailsResolver, new SeatDetailsResolver()],
    [BookingPriceResolver, new BookingPriceResolver()],
    [ShowSeatsResolver, new ShowSeatsResolver(seats)],
    [SeatMapResolver, new SeatMapResolver()],
    [LiveSeatMapResolver, new LiveSeatMapResolver(liveSeatMaps)],
    [BookingResolver, new BookingResolver(bookings, new BookingQueries(prisma), picker)],
  ]);
  return {
    shows,
    catalogs,
    bookingLines,
    seats,
    bookings,
    bookingStore,
    seatEvents,
    liveSeatMaps,
    expiryTask,
    subscriptionSources: { [SEAT_MAP_CHANGED]: (showId) => seatEvents.open(showId) },
    maxRowsPerRequest: config.queryLimits.maxRowsPerRequest,
    get<T>(someClass: new (...args: never[]) => T): T {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the container`);
      return instance as T;
    },
  };
}

/** A fresh operation context (HTTP request or WebSocket subscribe): who asks, and new DataLoaders. */
export function createContext(
  container: Pick<Container, "shows" | "seats" | "catalogs" | "bookingLines" | "maxRowsPerRequest">,
  request: { viewer: Viewer | null; requestId?: string; clientAddress?: string },
): Context {
  const rowBudget = new RowBudget(container.maxRowsPerRequest);
  return {
    viewer: request.viewer,
    clientAddress: request.clientAddress ?? "unknown",
    requestId: request.requestId ?? randomUUID(),
    loaders: {
      ...createShowLoaders(container.shows),
      ...createSeatLoaders(container.seats, rowBudget),
      ...createVenueLoaders(container.catalogs, container.bookingLines),
    },
    rowBudget,
  };
}
