export { SeatService, type SeatRow } from "./seat.service.js";
export { Seat, SeatStatus } from "./seat.type.js";
export { createSeatLoaders, type SeatLoaders } from "./seat.loaders.js";
export { isInLayout, parseSeatNumber, rowLabel, rowLabels, seatNumber } from "./seat-layout.js";
