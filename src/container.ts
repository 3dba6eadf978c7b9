import { type Config } from "./config.js";
import { type PrismaClient } from "./db/prisma.js";
import { BookingResolver, BookingService, ExpiryTask } from "./bookings/index.js";
import { type Logger } from "./shared/logger.js";
import { type EventBus } from "./pubsub.js";
import { SeatEvents, SeatMapResolver, SeatService } from "./seats/index.js";
import { ShowResolver, ShowService } from "./shows/index.js";

/** The composition root: every long-lived object of a process, wired once. */
export interface Container {
  readonly shows: ShowService;
  readonly seats: SeatService;
  readonly bookings: BookingService;
  readonly seatEvents: SeatEvents;
  readonly expiryTask: ExpiryTask;
  /** For type-graphql: resolver instances by class. */
  get<T>(someClass: new (...args: never[]) => T): T;
}

export function createContainer(
  config: Config,
  prisma: PrismaClient,
  eventBus: EventBus,
  logger: Logger,
  replica: PrismaClient = prisma,
): Container {
  const shows = new ShowService(prisma, { maxSeatsPerShow: config.booking.maxSeatsPerShow }, replica);
  const seats = new SeatService(prisma, replica);
  const seatEvents = new SeatEvents(eventBus.pubSub, seats, logger);
  const bookings = new BookingService(prisma, shows, seatEvents, config.booking);
  const expiryTask = new ExpiryTask(bookings, config.booking.expiryIntervalMs, logger);
  const instances = new Map<unknown, unknown>([
    [ShowResolver, new ShowResolver(shows, seats)],
    [SeatMapResolver, new SeatMapResolver()],
    [BookingResolver, new BookingResolver(bookings)],
  ]);
  return {
    shows,
    seats,
    bookings,
    seatEvents,
    expiryTask,
    get<T>(someClass: new (...args: never[]) => T): T {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the container`);
      return instance as T;
    },
  };
}
