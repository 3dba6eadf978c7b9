import { randomUUID } from "node:crypto";
import { type PrismaClient } from "./db/prisma.js";
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
  SEAT_MAP_CHANGED,
  type SeatEventMap,
  SeatEvents,
  SeatMapResolver,
  SeatService,
  ShowSeatsResolver,
} from "./seats/index.js";
import { createShowLoaders, ShowResolver, ShowService } from "./shows/index.js";

/** The composition root: every long-lived object of a process, wired once. */
export interface Container extends ResolverContainer {
  readonly shows: ShowService;
  readonly seats: SeatService;
  readonly bookings: BookingService;
  readonly bookingStore: BookingStore;
  readonly seatEvents: SeatEvents;
  readonly expiryTask: ExpiryTask;
  /** Where the schema's subscriptions take their streams from, by topic. */
  readonly subscriptionSources: SubscriptionSources;
  /** Rows (seats) one operation may return: each context gets a budget of this many. */
  readonly maxRowsPerRequest: number;
}

export interface ContainerOptions {
  readonly config: Config;
  readonly prisma: PrismaClient;
  /** A read replica for show lists and seat maps; the primary when absent. */
  readonly replica?: PrismaClient;
  readonly eventBus: EventBus<SeatEventMap>;
  readonly logger: Logger;
  readonly observer?: BookingObserver;
}

export function createContainer(options: ContainerOptions): Container {
  const { config, prisma, logger } = options;
  const replica = options.replica ?? prisma;
  const shows = new ShowService(prisma, { maxSeatsPerShow: config.booking.maxSeatsPerShow }, replica);
  const seats = new SeatService(prisma, replica);
  const showExists = async (showId: string) => (await shows.getMany([showId]))[0] !== null;
  const seatEvents = new SeatEvents(options.eventBus.pubSub, seats, showExists, logger);
  const bookingStore = new BookingStore({ query: (sql) => prisma.$queryRaw(sql) });
  const bookings = new BookingService(bookingStore, shows, seatEvents, config.booking, options.observer);
  const expiryTask = new ExpiryTask(bookings, config.booking.expiryIntervalMs, logger);
  const instances = new Map<unknown, unknown>([
    [ShowResolver, new ShowResolver(shows)],
    [ShowSeatsResolver, new ShowSeatsResolver(seats)],
    [SeatMapResolver, new SeatMapResolver()],
    [BookingResolver, new BookingResolver(bookings, new BookingQueries(prisma))],
  ]);
  return {
    shows,
    seats,
    bookings,
    bookingStore,
    seatEvents,
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
  container: Pick<Container, "shows" | "seats" | "maxRowsPerRequest">,
  request: { viewer: Viewer | null; requestId?: string; clientAddress?: string },
): Context {
  const rowBudget = new RowBudget(container.maxRowsPerRequest);
  return {
    viewer: request.viewer,
    clientAddress: request.clientAddress ?? "unknown",
    requestId: request.requestId ?? randomUUID(),
    loaders: { ...createShowLoaders(container.shows), ...createSeatLoaders(container.seats, rowBudget) },
    rowBudget,
  };
}
