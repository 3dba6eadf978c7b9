import { randomUUID } from "node:crypto";
import { type Viewer } from "./shared/auth.js";
import { createSeatLoaders, type SeatEvents, type SeatLoaders, type SeatService } from "./seats/index.js";
import { createShowLoaders, type ShowLoaders, type ShowService } from "./shows/index.js";

export type Loaders = ShowLoaders & SeatLoaders;

/** Per-operation state: who is asking, fresh DataLoaders, an id for logs, and the live seat map feed. */
export interface Context {
  readonly viewer: Viewer | null;
  readonly loaders: Loaders;
  readonly requestId: string;
  /** Subscriptions read events from here; it is process-wide, not per request. */
  readonly live: Pick<SeatEvents, "subscribe">;
}

export function createContext(
  services: { shows: ShowService; seats: SeatService; seatEvents: SeatEvents },
  viewer: Viewer | null,
  requestId: string = randomUUID(),
): Context {
  return {
    viewer,
    requestId,
    loaders: { ...createShowLoaders(services.shows), ...createSeatLoaders(services.seats) },
    live: services.seatEvents,
  };
}
