import { randomUUID } from "node:crypto";
import { type Viewer } from "./shared/auth.js";
import { type SeatMapChangeEvent } from "./pubsub.js";
import { createSeatLoaders, type QueueBudget, type SeatEvents, type SeatLoaders, type SeatService } from "./seats/index.js";
import { createShowLoaders, type ShowLoaders, type ShowService } from "./shows/index.js";

export type Loaders = ShowLoaders & SeatLoaders;

/** Per-operation state: who is asking, fresh DataLoaders, an id for logs, and the live seat map feed. */
export interface Context {
  readonly viewer: Viewer | null;
  /** The client's address (for per-address limits). */
  readonly clientAddress: string;
  readonly loaders: Loaders;
  readonly requestId: string;
  /** Where subscriptions read events from (bounded per WebSocket connection). */
  readonly live: Pick<SeatEvents, "countsFor"> & { subscribe(showId: string): AsyncIterable<SeatMapChangeEvent> };
}

export function createContext(
  services: { shows: ShowService; seats: SeatService; seatEvents: SeatEvents },
  viewer: Viewer | null,
  options: { requestId?: string; queueBudget?: QueueBudget; clientAddress?: string } = {},
): Context {
  return {
    viewer,
    clientAddress: options.clientAddress ?? "unknown",
    requestId: options.requestId ?? randomUUID(),
    loaders: { ...createShowLoaders(services.shows), ...createSeatLoaders(services.seats) },
    live: {
      subscribe: (showId) => services.seatEvents.subscribe(showId, options.queueBudget),
      countsFor: (event) => services.seatEvents.countsFor(event),
    },
  };
}
