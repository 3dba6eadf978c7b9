export { BookingResolver } from "./booking.resolver.js";
export { BookingService } from "./booking.service.js";
export { type BookingSettings, type ShowLookup, type SeatChangePublisher } from "./booking.ports.js";
export { BookingQueries } from "./booking.queries.js";
export { BookingStore, type SqlClient } from "./booking.store.js";
export { type BookingObserver, type BookingCommand } from "./booking-observer.js";
export { ExpiryTask } from "./expiry-task.js";
export { type BookingRecord } from "./sql/rows.js";
