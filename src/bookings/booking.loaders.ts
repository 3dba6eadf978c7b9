import DataLoader from "dataloader";
import { type BookingQueries, type RefundRecord } from "./booking.queries.js";

export interface BookingLoaders {
  /** A booking's refunds, oldest first, by booking id (all bookings of a query in one read). */
  readonly refundsOfBooking: DataLoader<string, RefundRecord[]>;
}

export function createBookingLoaders(queries: Pick<BookingQueries, "refundsOf">): BookingLoaders {
  return { refundsOfBooking: new DataLoader((bookingIds) => queries.refundsOf(bookingIds)) };
}
