import { type PrismaClient } from "../db/prisma.js";

export interface PricedBooking {
  readonly id: string;
  readonly showId: string;
  readonly seatNumbers: readonly string[];
  readonly total: bigint | null;
  readonly currency: string | null;
}

export interface BookingLine {
  readonly seatNumber: string;
  readonly category: string;
  /** Minor units; null without prices. */
  readonly price: number | null;
}

/** The seats of bookings with their categories and prices, read from the shows' seats (many bookings at once). */
export class BookingLines {
  constructor(private readonly prisma: PrismaClient) {}

  /** Per booking, its seats (in the booking's order) with category and price. */
  async linesOf(bookings: readonly PricedBooking[]): Promise<BookingLine[][]> {
    const seats = await this.prisma.seat.findMany({
      where: { OR: bookings.map((b) => ({ showId: b.showId, seatNumber: { in: [...b.seatNumbers] } })) },
      select: { showId: true, seatNumber: true, categoryKey: true, price: true },
    });
    const byKey = new Map(seats.map((seat) => [`${seat.showId} ${seat.seatNumber}`, seat]));
    return bookings.map((booking) =>
      booking.seatNumbers.map((seatNumber) => {
        const seat = byKey.get(`${booking.showId} ${seatNumber}`);
        return { seatNumber, category: seat?.categoryKey ?? "", price: seat?.price ?? null };
      }),
    );
  }
}
