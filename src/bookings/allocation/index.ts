export { type Allocation, type AllocationGrid, type SeatPick } from "./grid.js";
export { allocateBest } from "./seat-allocator.js";
