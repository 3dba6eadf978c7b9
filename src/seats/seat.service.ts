import { type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../shared/ids.js";
import { type Seat, type SeatStatus } from "./seat.type.js";

const SEAT_SELECT = {
  id: true,
  showId: true,
  seatNumber: true,
  rowLabel: true,
  seatInRow: true,
  status: true,
  holdExpiresAt: true,
} as const;

export interface SeatRow extends Seat {
  readonly showId: string;
}

interface SeatRecord {
  id: bigint;
  showId: string;
  seatNumber: string;
  rowLabel: string;
  seatInRow: number;
  status: string;
  holdExpiresAt: Date | null;
}

const toSeat = (seat: SeatRecord): SeatRow => ({
  id: seat.id.toString(),
  showId: seat.showId,
  seatNumber: seat.seatNumber,
  row: seat.rowLabel,
  number: seat.seatInRow,
  status: seat.status as SeatStatus,
  holdExpiresAt: seat.holdExpiresAt,
});

/** Responsible for reading seat maps; seats change only through BookingService's claim statements. */
export class SeatService {
  constructor(private readonly prisma: PrismaClient) {}

  /** The seats of several shows (optionally of one status), front row first, left to right. */
  async seatsOfShows(showIds: readonly string[], status: SeatStatus | null): Promise<SeatRow[][]> {
    const seats = await this.prisma.seat.findMany({
      where: { showId: { in: showIds.filter(isUuid) }, ...(status ? { status } : {}) },
      orderBy: [{ showId: "asc" }, { rowIndex: "asc" }, { seatInRow: "asc" }],
      select: SEAT_SELECT,
    });
    return groupBy(showIds, seats.map(toSeat), (seat) => seat.showId);
  }

  /** The seats named by several bookings, each list in the booking's seat order. */
  async seatsOfBookings(bookings: readonly { showId: string; seatNumbers: string[] }[]): Promise<SeatRow[][]> {
    const wanted = bookings.filter((b) => b.seatNumbers.length > 0);
    if (wanted.length === 0) return bookings.map(() => []);
    const seats = await this.prisma.seat.findMany({
      where: { OR: wanted.map((b) => ({ showId: b.showId, seatNumber: { in: b.seatNumbers } })) },
      select: SEAT_SELECT,
    });
    const index = new Map(seats.map((seat) => [`${seat.showId}/${seat.seatNumber}`, toSeat(seat)]));
    return bookings.map((b) =>
      b.seatNumbers.map((n) => index.get(`${b.showId}/${n}`)).filter((seat): seat is SeatRow => seat !== undefined),
    );
  }
}

function groupBy<T>(keys: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return keys.map((key) => groups.get(key)!);
}
