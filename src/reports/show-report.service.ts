import { Prisma, type PrismaClient } from "../db/prisma.js";
import { isUuid } from "../domain/ids.js";
import { type Money } from "../domain/money.js";
import { SeatStatus } from "../domain/seat-change.js";
import { type ShowCatalog } from "../venues/show-catalog.js";
import {
  type BookingTotalsRow,
  bookingTotalsStatement,
  confirmationsPerHourStatement,
  type HourRow,
  reportShowStatement,
  type ReportShowRow,
  type SeatGroupRow,
  seatGroupsStatement,
} from "./show-report.sql.js";

/** Seats of one category or section by status, and what its booked seats sold for. */
export interface SeatGroupReport {
  readonly key: string;
  readonly label: string;
  readonly available: number;
  readonly held: number;
  readonly booked: number;
  readonly blocked: number;
  readonly total: number;
  /** Null for a show without prices. */
  readonly soldRevenue: Money | null;
}

export interface ShowReportRecord {
  readonly showId: string;
  readonly byStatus: { status: SeatStatus; seats: number }[];
  readonly byCategory: SeatGroupReport[];
  readonly bySection: SeatGroupReport[];
  readonly revenue: { sold: Money | null; refunded: Money | null };
  readonly bookings: {
    pending: number;
    confirmed: number;
    refunded: number;
    failed: number;
    cancelled: number;
    expired: number;
    cancelledByOrganizer: number;
  };
  readonly expiredHolds: { bookings: number; seats: number };
  readonly confirmationsPerHour: HourRow[];
  readonly blockedByReason: { reason: string; seats: number }[];
  readonly generatedAt: Date;
}

/** Where the report finds category and section labels (ShowCatalogs in the API). */
export interface CatalogSource {
  catalogsOf(
    shows: readonly { id: string; layoutId: string | null; currency: string | null }[],
  ): Promise<ShowCatalog[]>;
}

const STATUSES = [SeatStatus.AVAILABLE, SeatStatus.HELD, SeatStatus.BOOKED, SeatStatus.BLOCKED] as const;

/**
 * The box office's view of one show: seats by status, category and section, money taken and refunded, bookings by
 * outcome, lapsed holds, confirmations per hour and why seats are off sale. Read from the primary (a report must not
 * lag the sale it describes), in one REPEATABLE READ snapshot.
 */
export class ShowReportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly catalogs: CatalogSource,
  ) {}

  /** Null for an unknown show. */
  async report(showId: string): Promise<ShowReportRecord | null> {
    if (!isUuid(showId)) return null;
    const read = await this.prisma.$transaction(
      async (tx) => {
        const [show] = await tx.$queryRaw<ReportShowRow[]>(reportShowStatement(showId));
        if (!show) return null;
        const groups = await tx.$queryRaw<SeatGroupRow[]>(seatGroupsStatement(showId));
        const [totals] = await tx.$queryRaw<BookingTotalsRow[]>(bookingTotalsStatement(showId));
        const hours = await tx.$queryRaw<HourRow[]>(confirmationsPerHourStatement(showId));
        return { show, groups, totals: totals!, hours };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    if (!read) return null;
    const { show, groups, totals, hours } = read;
    const [catalog] = await this.catalogs.catalogsOf([
      { id: show.id, layoutId: show.layout_id, currency: show.currency },
    ]);
    const money = (amount: bigint | number | null): Money | null =>
      show.currency === null ? null : { amount: Number(amount ?? 0), currency: show.currency };
    const group = (keyOf: (row: SeatGroupRow) => string, labels: readonly { key: string; label: string }[]) =>
      groupReports(groups, keyOf, labels, money);
    return {
      showId: show.id,
      byStatus: STATUSES.map((status) => ({ status, seats: sumSeats(groups.filter((g) => g.status === status)) })),
      byCategory: group((row) => row.category_key, catalog?.categories ?? []),
      bySection: group((row) => row.section_key, catalog?.sections ?? []),
      revenue: { sold: money(totals.sold), refunded: money(totals.refunded_amount) },
      bookings: {
        pending: totals.pending,
        confirmed: totals.confirmed,
        refunded: totals.refunded,
        failed: totals.failed,
        cancelled: totals.cancelled,
        expired: totals.expired,
        cancelledByOrganizer: totals.cancelled_by_organizer,
      },
      expiredHolds: { bookings: totals.lapsed_bookings, seats: totals.lapsed_seats },
      confirmationsPerHour: hours,
      blockedByReason: blockedByReason(groups),
      generatedAt: totals.generated_at,
    };
  }
}

const sumSeats = (rows: readonly SeatGroupRow[]) => rows.reduce((sum, row) => sum + row.seats, 0);

/** One report per key, in the catalog's order (every key it lists, with or without seats), then any other key. */
function groupReports(
  rows: readonly SeatGroupRow[],
  keyOf: (row: SeatGroupRow) => string,
  labels: readonly { key: string; label: string }[],
  money: (amount: bigint | null) => Money | null,
): SeatGroupReport[] {
  const labelOf = new Map(labels.map(({ key, label }) => [key, label]));
  const keys = [...new Set([...labels.map(({ key }) => key), ...rows.map(keyOf).sort()])];
  return keys.map((key) => {
    const mine = rows.filter((row) => keyOf(row) === key);
    const count = (status: SeatStatus) => sumSeats(mine.filter((row) => row.status === status));
    const sold = mine.reduce((sum, row) => sum + BigInt(row.sold ?? 0), 0n);
    return {
      key,
      label: labelOf.get(key) ?? key,
      available: count(SeatStatus.AVAILABLE),
      held: count(SeatStatus.HELD),
      booked: count(SeatStatus.BOOKED),
      blocked: count(SeatStatus.BLOCKED),
      total: sumSeats(mine),
      soldRevenue: money(sold),
    };
  });
}

/** Blocked seats by reason, most seats first. */
function blockedByReason(rows: readonly SeatGroupRow[]): { reason: string; seats: number }[] {
  const byReason = new Map<string, number>();
  for (const row of rows) {
    if (row.status !== SeatStatus.BLOCKED || row.block_reason === null) continue;
    byReason.set(row.block_reason, (byReason.get(row.block_reason) ?? 0) + row.seats);
  }
  return [...byReason]
    .map(([reason, seats]) => ({ reason, seats }))
    .sort((a, b) => b.seats - a.seats || a.reason.localeCompare(b.reason));
}
