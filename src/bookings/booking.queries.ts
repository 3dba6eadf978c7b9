import { type Prisma, type PrismaClient } from "../db/prisma.js";
import { decodeTimeIdCursor } from "../domain/cursor.js";
import { NotOwnerError, UnknownShowError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";
import { keysetPage, type Page } from "../domain/page.js";
import { type Viewer } from "../domain/viewer.js";
import { type BookingStatus } from "../generated/prisma/enums.js";
import { type BookingRecord } from "./sql/rows.js";

/** A refund as recorded (booking_refunds). */
export type RefundRecord = Prisma.BookingRefundGetPayload<object>;

/** What an admin's booking list may be narrowed to; every field optional. */
export interface BookingFilter {
  readonly showId?: string | null;
  readonly userId?: string | null;
  /** Any of these statuses (null or empty: any status). */
  readonly statuses?: readonly BookingStatus[] | null;
  /** Bookings that list this seat. */
  readonly seatNumber?: string | null;
  /** Created at or after. */
  readonly createdFrom?: Date | null;
  /** Created before. */
  readonly createdTo?: Date | null;
}

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

  /** Bookings by id, in the order asked, null where none, whoever owns them (`node` decides who may see them). */
  async getMany(bookingIds: readonly string[]): Promise<(BookingRecord | null)[]> {
    const rows = await this.prisma.booking.findMany({ where: { id: { in: bookingIds.filter(isUuid) } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return bookingIds.map((id) => byId.get(id) ?? null);
  }

  /** The refunds of each booking, oldest first (for the per-request loader). */
  async refundsOf(bookingIds: readonly string[]): Promise<RefundRecord[][]> {
    const rows = await this.prisma.bookingRefund.findMany({
      where: { bookingId: { in: [...bookingIds] } },
      orderBy: [{ refundedAt: "asc" }, { id: "asc" }],
    });
    return bookingIds.map((id) => rows.filter((row) => row.bookingId === id));
  }

  /**
   * Bookings matching `filter` (for admins), newest first, keyset-paginated like listForUser; UnknownShowError for a
   * show id that cannot be one.
   */
  async search(filter: BookingFilter, first: number, after: string | null | undefined): Promise<Page<BookingRecord>> {
    if (filter.showId != null && !isUuid(filter.showId)) throw new UnknownShowError();
    const matching: Prisma.BookingWhereInput = {
      ...(filter.showId != null ? { showId: filter.showId } : {}),
      ...(filter.userId != null ? { userId: filter.userId } : {}),
      ...(filter.statuses?.length ? { status: { in: [...filter.statuses] } } : {}),
      ...(filter.seatNumber != null ? { seatNumbers: { has: filter.seatNumber.trim().toUpperCase() } } : {}),
      ...(filter.createdFrom || filter.createdTo
        ? {
            createdAt: {
              ...(filter.createdFrom ? { gte: filter.createdFrom } : {}),
              ...(filter.createdTo ? { lt: filter.createdTo } : {}),
            },
          }
        : {}),
    };
    return this.page(matching, first, after);
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
    return this.page({ userId, status: { in: [...statuses] } }, first, after);
  }

  /** The bookings `matching`, newest first, the page after the cursor `after` (BadCursorError if not ours). */
  private async page(
    matching: Prisma.BookingWhereInput,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<BookingRecord>> {
    let where = matching;
    if (after) {
      const { at, id } = decodeTimeIdCursor(after);
      where = { AND: [matching, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] }] };
    }
    const [rows, totalCount] = await Promise.all([
      this.prisma.booking.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: first + 1 }),
      this.prisma.booking.count({ where: matching }),
    ]);
    return keysetPage(rows, first, after, totalCount, (booking) => booking.createdAt);
  }
}
