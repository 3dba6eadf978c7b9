export { type BookingEvents, createBookingEvents } from "./booking-events.js";
export { BookingEventsResolver } from "./booking-events.resolver.js";
export { WEBHOOK_RESOLVERS } from "./webhooks/index.js";
export { Webhook } from "./webhooks/webhook.type.js";
