import { type BookingLoaders } from "../bookings/booking.loaders.js";
import { type Viewer } from "../domain/viewer.js";
import { type SeatLoaders } from "../seats/seat.loaders.js";
import { type ShowLoaders } from "../shows/show.loaders.js";
import { type VenueLoaders } from "../venues/venue.loaders.js";
import { type NodeLoaders } from "./node-loaders.js";
import { type RowBudget } from "./row-budget.js";

/**
 * Per-operation state, for both transports: who is asking, fresh DataLoaders, an id for logs. Only types live here
 * (it imports loader types from their own files, never a module barrel), so any resolver may import it without a
 * cycle; `createContext` in the composition root builds it.
 */
export interface Context {
  readonly viewer: Viewer | null;
  /** The client's address (for per-address limits). */
  readonly clientAddress: string;
  readonly loaders: ShowLoaders & SeatLoaders & VenueLoaders & BookingLoaders & { readonly nodes: NodeLoaders };
  readonly requestId: string;
  /** The rows this operation may still return (seat maps charge it before reading). */
  readonly rowBudget: RowBudget;
}
