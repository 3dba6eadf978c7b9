export { SeatService, type SeatRow, type SeatCounts, type SeatChangeRow } from "./seat.service.js";
export { Seat, SeatChange, SeatMapChange, SeatStatus } from "./seat.type.js";
export { createSeatLoaders, type SeatLoaders } from "./seat.loaders.js";
export { SeatEvents, type CommittedSeatChange, type QueueBudget } from "./seat-events.js";
export { SeatMapResolver } from "./seat-map.resolver.js";
export { isInLayout, parseSeatNumber, rowLabel, rowLabels, seatNumber } from "./seat-layout.js";
export { seatMapCache } from "./seat-map-cache.js";
