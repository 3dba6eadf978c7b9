export { BookingResolver } from "./booking.resolver.js";
export { BookingService, type BookingRecord, type BookingSettings, type HoldRequest } from "./booking.service.js";
export { ExpiryTask } from "./expiry-task.js";
