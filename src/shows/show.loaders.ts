import DataLoader from "dataloader";
import { type ShowRecord, type ShowService } from "./show.service.js";

export interface ShowLoaders {
  readonly show: DataLoader<string, ShowRecord | null>;
}

/** Per-request loaders: all shows a query touches are fetched in one query. */
export function createShowLoaders(shows: ShowService): ShowLoaders {
  return { show: new DataLoader((ids) => shows.getMany(ids)) };
}
