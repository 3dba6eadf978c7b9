export {
  ACCESSIBILITY,
  type Accessibility,
  type CategoryDefinition,
  DEFAULT_LAYOUT_LIMITS,
  type ExpandedLayout,
  type LayoutDefinition,
  type LayoutLimits,
  type LayoutRun,
  type LayoutSeat,
  type LayoutSectionSeats,
  type RowDefinition,
  type SeatDefinition,
  type SectionDefinition,
} from "./layout.types.js";
export { expandLayout } from "./expand-layout.js";
export { rectangularLayout } from "./rectangular-layout.js";
export { validateLayout } from "./validate-layout.js";
export { MAX_PROBLEMS } from "./validation-context.js";
