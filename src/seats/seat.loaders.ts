import DataLoader from "dataloader";
import { type SeatStatus } from "../domain/seat-change.js";
import { type RowBudget } from "../graphql/row-budget.js";
import { type SeatCounts, type SeatRecord, type SeatService } from "./seat.service.js";

export interface SeatMapKey {
  readonly showId: string;
  readonly status: SeatStatus | null;
}

export interface SeatLoaders {
  readonly seatCounts: DataLoader<string, SeatCounts>;
  readonly seatsOfShow: DataLoader<SeatMapKey, SeatRecord[], string>;
  readonly seatMapVersion: DataLoader<string, string>;
  readonly seatsOfBooking: DataLoader<{ id: string; showId: string; seatNumbers: string[] }, SeatRecord[], string>;
}

/**
 * Per-request loaders: counts, seat maps and seat map versions of all shows on a page, and seats of all bookings
 * on a page, one query each. Seat maps and their versions are read after one PostgreSQL snapshot taken once per
 * request, so `seatsChangedSince(seatMapVersion)` returns every change the map did not show. Seat maps are read
 * after every field of the batch has charged `budget`: if one went over, none is read.
 */
export function createSeatLoaders(seats: SeatService, budget?: RowBudget): SeatLoaders {
  let snapshot: Promise<string> | undefined;
  const snapshotOnce = () => (snapshot ??= seats.snapshot());
  return {
    seatCounts: new DataLoader((ids) => seats.countSeats(ids)),
    seatsOfShow: new DataLoader(
      async (keys) => {
        if (budget?.refusal) throw budget.refusal;
        await snapshotOnce();
        const byStatus = new Map<SeatStatus | null, string[]>();
        for (const key of keys) byStatus.set(key.status, [...(byStatus.get(key.status) ?? []), key.showId]);
        const results = new Map<string, SeatRecord[]>();
        await Promise.all(
          [...byStatus].map(async ([status, showIds]) => {
            const maps = await seats.seatsOfShows(showIds, status);
            showIds.forEach((showId, i) => results.set(seatMapKey({ showId, status }), maps[i]!));
          }),
        );
        return keys.map((key) => results.get(seatMapKey(key))!);
      },
      { cacheKeyFn: seatMapKey },
    ),
    seatMapVersion: new DataLoader(async (showIds) => seats.seatMapVersions(showIds, await snapshotOnce())),
    seatsOfBooking: new DataLoader((bookings) => seats.seatsOfBookings(bookings), { cacheKeyFn: (b) => b.id }),
  };
}

const seatMapKey = (key: SeatMapKey): string => `${key.showId}:${key.status ?? "*"}`;
