import { randomUUID } from "node:crypto";
import { type Viewer } from "./shared/auth.js";
import { createSeatLoaders, type SeatLoaders, type SeatService } from "./seats/index.js";
import { createShowLoaders, type ShowLoaders, type ShowService } from "./shows/index.js";

export type Loaders = ShowLoaders & SeatLoaders;

/** Per-operation state: who is asking, fresh DataLoaders, and an id for logs. */
export interface Context {
  readonly viewer: Viewer | null;
  readonly loaders: Loaders;
  readonly requestId: string;
}

export function createContext(services: { shows: ShowService; seats: SeatService }, viewer: Viewer | null, requestId: string = randomUUID()): Context {
  return {
    viewer,
    requestId,
    loaders: { ...createShowLoaders(services.shows), ...createSeatLoaders(services.seats) },
  };
}
