import { type Config } from "./config.js";
import { type PrismaClient } from "./db/prisma.js";
import { BookingResolver, BookingService, ExpiryTask } from "./bookings/index.js";
import { type Logger } from "./shared/logger.js";
import { SeatService } from "./seats/index.js";
import { ShowResolver, ShowService } from "./shows/index.js";

/** The composition root: every long-lived object of a process, wired once. */
export interface Container {
  readonly shows: ShowService;
  readonly seats: SeatService;
  readonly bookings: BookingService;
  readonly expiryTask: ExpiryTask;
  /** For type-graphql: resolver instances by class. */
  get<T>(someClass: new (...args: never[]) => T): T;
}

export function createContainer(config: Config, prisma: PrismaClient, logger: Logger): Container {
  const shows = new ShowService(prisma, { maxSeatsPerShow: config.booking.maxSeatsPerShow });
  const seats = new SeatService(prisma);
  const bookings = new BookingService(prisma, shows, config.booking);
  const expiryTask = new ExpiryTask(bookings, config.booking.expiryIntervalMs, logger);
  const instances = new Map<unknown, unknown>([
    [ShowResolver, new ShowResolver(shows)],
    [BookingResolver, new BookingResolver(bookings)],
  ]);
  return {
    shows,
    seats,
    bookings,
    expiryTask,
    get<T>(someClass: new (...args: never[]) => T): T {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`No instance of ${someClass.name} in the container`);
      return instance as T;
    },
  };
}
