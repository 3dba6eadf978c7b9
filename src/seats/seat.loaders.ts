import DataLoader from "dataloader";
import { type SeatRow, type SeatService } from "./seat.service.js";
import { type SeatStatus } from "./seat.type.js";

export interface SeatMapKey {
  readonly showId: string;
  readonly status: SeatStatus | null;
}

export interface SeatLoaders {
  readonly seatsOfShow: DataLoader<SeatMapKey, SeatRow[], string>;
  readonly seatsOfBooking: DataLoader<{ id: string; showId: string; seatNumbers: string[] }, SeatRow[], string>;
}

/** Per-request loaders: seat maps of all shows on a page, and seats of all bookings on a page, one query each. */
export function createSeatLoaders(seats: SeatService): SeatLoaders {
  return {
    seatsOfShow: new DataLoader(
      async (keys) => {
        const byStatus = new Map<SeatStatus | null, string[]>();
        for (const key of keys) byStatus.set(key.status, [...(byStatus.get(key.status) ?? []), key.showId]);
        const results = new Map<string, SeatRow[]>();
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
    seatsOfBooking: new DataLoader((bookings) => seats.seatsOfBookings(bookings), { cacheKeyFn: (b) => b.id }),
  };
}

const seatMapKey = (key: SeatMapKey): string => `${key.showId}:${key.status ?? "*"}`;
