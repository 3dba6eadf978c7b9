import { databaseIdOf } from "../../graphql/global-id.js";
import { type LiveSeatMap } from "../../seats/live/live-seat-map.js";
import { type ShowVersions } from "./read-cache.js";

/**
 * The read cache's versions port over this process's live seat maps (loading them if need be; "-" for a show that
 * does not exist):
 * - fingerprint: the maps' revisions. A revision changes with every seat change applied and is new whenever a map is
 *   loaded again, and a changed show's map is dropped everywhere (ShowChanges), so it also changes with the show's
 *   name, start, prices, status. Revisions are numbered per process: tags made from them carry the process's scope.
 * - layouts: each show's first seat id. A show's seats are made anew (ids from a sequence that never repeats) exactly
 *   when its layout changes, so this names its layout in every process alike.
 */
export function liveShowVersions(maps: {
  get(showId: string): Promise<LiveSeatMap | null>;
}): (showIds: string[]) => Promise<ShowVersions> {
  return async (showIds) => {
    // A show is named by its global id or (until 0.3.0) its database id: either finds its map.
    const found = await Promise.all(showIds.map((showId) => mapOf(maps, showId)));
    return {
      fingerprint: found.map((map) => map?.revision ?? "-").join(","),
      layouts: found.map((map) => (map ? `${map.ids[0] ?? ""}` : "-")).join(","),
      allExist: found.every((map) => map !== null),
    };
  };
}

function mapOf(maps: { get(showId: string): Promise<LiveSeatMap | null> }, showId: string) {
  const id = databaseIdOf("Show", showId);
  return id ? maps.get(id).catch(() => null) : Promise.resolve(null);
}
