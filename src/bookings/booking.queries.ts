import { type Prisma, type PrismaClient } from "../db/prisma.js";
import { decodeTimeIdCursor } from "../domain/cursor.js";
import { NotOwnerError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";
import { keysetPage, type Page } from "../domain/page.js";
import { type Viewer } from "../domain/viewer.js";
import { type BookingStatus } from "../generated/prisma/enums.js";
import { type BookingRecord } from "./sql/rows.js";

/** Responsible for reading bookings for their owners (and admins); changes go through BookingService. */
export class BookingQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /** A booking the viewer may see (their own; admins see all); null when there is none, NotOwnerError otherwise. */
  async get(viewer: Viewer, bookingId: string): Promise<BookingRecord | null> {
    if (!isUuid(bookingId)) return null;
    const booking = await this.prisma.booking.findUnique({ where: { id: bookingId } });
    if (booking && booking.userId !== viewer.id && viewer.role !== "admin") throw new NotOwnerError();
    return booking;
  }

  /**
   * The user's bookings with one of `statuses`, newest first, keyset-paginated; BadCursorError for a cursor it did
   * not issue.
   */
  async listForUser(
    userId: string,
    first: number,
    after: string | null | undefined,
    statuses: readonly BookingStatus[],
  ): Promise<Page<BookingRecord>> {
    const ofUser: Prisma.BookingWhereInput = { userId, status: { in: [...statuses] } };
    let where = ofUser;
    if (after) {
      const { at, id } = decodeTimeIdCursor(after);
      where = { ...ofUser, OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
    }
    const [rows, totalCount] = await Promise.all([
      this.prisma.booking.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: first + 1 }),
      this.prisma.booking.count({ where: ofUser }),
    ]);
    return keysetPage(rows, first, after, totalCount, (booking) => booking.createdAt);
  }
}
