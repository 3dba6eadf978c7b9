export { SeatBlockingResolver } from "./seat-blocking.resolver.js";
export { SeatBlockingService } from "./seat-blocking.service.js";
export { SeatBlockingStore } from "./seat-blocking.store.js";
