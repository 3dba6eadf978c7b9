import { Booking } from "../bookings/index.js";
import { Webhook } from "../events/index.js";
import { Seat } from "../seats/index.js";
import { Show } from "../shows/index.js";
import { Venue } from "../venues/index.js";
import { nodeIdResolver } from "./node-id.resolver.js";

/** The `id`/`legacyId` resolvers of every Node type (the schema lists them, the container makes them). */
export const NODE_ID_RESOLVERS = [
  nodeIdResolver("Show", Show),
  nodeIdResolver("Booking", Booking),
  nodeIdResolver("Seat", Seat),
  nodeIdResolver("Venue", Venue),
  nodeIdResolver("Webhook", Webhook),
] as const;
