import DataLoader from "dataloader";
import { type SeatCounts, type ShowRecord, type ShowService } from "./show.service.js";

export interface ShowLoaders {
  readonly show: DataLoader<string, ShowRecord | null>;
  readonly seatCounts: DataLoader<string, SeatCounts>;
}

/** Per-request loaders: all shows and all seat counts a query touches are fetched in one query each. */
export function createShowLoaders(shows: ShowService): ShowLoaders {
  return {
    show: new DataLoader((ids) => shows.getMany(ids)),
    seatCounts: new DataLoader((ids) => shows.countSeats(ids)),
  };
}
