import { type Accessibility } from "./layout/index.js";

/** How seats store their accessibility: one bit per kind (a smallint column, a byte in live seat maps). */
const FLAG: Record<Accessibility, number> = { WHEELCHAIR: 1, COMPANION: 2 };

export const WHEELCHAIR_FLAG = FLAG.WHEELCHAIR;
export const COMPANION_FLAG = FLAG.COMPANION;

export function accessibilityFlags(kinds: readonly Accessibility[]): number {
  return kinds.reduce((flags, kind) => flags | FLAG[kind], 0);
}

export function accessibilityKinds(flags: number): Accessibility[] {
  return (Object.keys(FLAG) as Accessibility[]).filter((kind) => (flags & FLAG[kind]) !== 0);
}
