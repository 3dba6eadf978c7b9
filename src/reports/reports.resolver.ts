import { Arg, Args, Authorized, ID, Query, Resolver } from "type-graphql";
import { type Money as MoneyValue } from "../domain/money.js";
import { withPublicErrors } from "../graphql/errors.js";
import { type Money, toMoney } from "../graphql/money.type.js";
import { type Connection, ConnectionArgs, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { type SeatHistoryRecord, SeatHistoryService } from "./seat-history.service.js";
import { SeatHistoryConnection } from "./seat-history.type.js";
import { type SeatGroupReport, type ShowReportRecord, ShowReportService } from "./show-report.service.js";
import { ShowReport } from "./show-report.type.js";
import { fromGlobalId, toGlobalId, toOptionalGlobalId } from "../graphql/global-id.js";

const moneyOf = (value: MoneyValue | null): Money | null => (value === null ? null : toMoney(value));
const withMoney = (group: SeatGroupReport) => ({ ...group, soldRevenue: moneyOf(group.soldRevenue) });

@Resolver()
export class ReportsResolver {
  constructor(
    private readonly reports: ShowReportService,
    private readonly histories: SeatHistoryService,
  ) {}

  @Authorized("admin")
  @Query(() => ShowReport, {
    nullable: true,
    description:
      "The box office's report on a show (seats, revenue, bookings, sales per hour); null for an unknown show. Admins only.",
  })
  async showReport(@Arg("showId", () => ID, { description: "The show." }) showId: string): Promise<ShowReport | null> {
    const report: ShowReportRecord | null = await this.reports.report(fromGlobalId(showId, "Show", ["showId"]));
    if (!report) return null;
    return {
      ...report,
      showId: toGlobalId("Show", report.showId),
      byCategory: report.byCategory.map(withMoney),
      bySection: report.bySection.map(withMoney),
      revenue: { sold: moneyOf(report.revenue.sold), refunded: moneyOf(report.revenue.refunded) },
    };
  }

  @Authorized("admin")
  @Query(() => SeatHistoryConnection, {
    description:
      "Every recorded change of one seat, oldest first (Relay cursor pagination; kept SEAT_HISTORY_RETENTION_DAYS). " +
      "An unknown show or seat has an empty history. Admins only.",
  })
  async seatHistory(
    @Arg("showId", () => ID, { description: "The show." }) showId: string,
    @Arg("seatNumber", () => String, { description: 'The seat, e.g. "C12".' }) seatNumber: string,
    @Args(() => ConnectionArgs) { first, after }: ConnectionArgs,
  ): Promise<Connection<SeatHistoryRecord>> {
    const show = fromGlobalId(showId, "Show", ["showId"]);
    const page = await withPublicErrors(this.histories.history(show, seatNumber, first ?? DEFAULT_PAGE_SIZE, after));
    return toConnection({
      ...page,
      items: page.items.map((entry) => ({ ...entry, bookingId: toOptionalGlobalId("Booking", entry.bookingId) })),
    });
  }
}
