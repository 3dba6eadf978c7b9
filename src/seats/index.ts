export { SeatService, type SeatCounts, type SeatRecord } from "./seat.service.js";
export { Seat, SeatChange, SeatMapChange, SeatStatus } from "./seat.type.js";
export { createSeatLoaders, type SeatLoaders } from "./seat.loaders.js";
export { SEAT_MAP_CHANGED, SeatEvents, type SeatEventMap } from "./seat-events.js";
export { SeatMapResolver } from "./seat-map.resolver.js";
export { ShowSeatsResolver } from "./show-seats.resolver.js";
