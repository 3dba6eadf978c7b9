import DataLoader from "dataloader";
import { type NodeType } from "./global-id.js";

/** Records of one type by database id, in key order, null where none (one statement per batch). */
export type NodeSource = (databaseIds: readonly string[]) => Promise<readonly (object | null)[]>;

/** Per-operation loaders of every Node type, by database id. */
export type NodeLoaders = Readonly<Record<NodeType, DataLoader<string, object | null>>>;

export function createNodeLoaders(sources: Readonly<Record<NodeType, NodeSource>>): NodeLoaders {
  const loaderOf = (source: NodeSource) => new DataLoader<string, object | null>((ids) => source(ids));
  return {
    Show: loaderOf(sources.Show),
    Booking: loaderOf(sources.Booking),
    Seat: loaderOf(sources.Seat),
    Venue: loaderOf(sources.Venue),
    Webhook: loaderOf(sources.Webhook),
  };
}
