export { ReportsResolver } from "./reports.resolver.js";
export { SeatHistoryPurgeTask } from "./seat-history-purge.js";
export { SeatHistoryService } from "./seat-history.service.js";
export { ShowReportService } from "./show-report.service.js";
