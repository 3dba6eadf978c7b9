import { invalidInput, type Problem } from "../../domain/problem.js";
import { type SeatPreference } from "../../bookings/booking.ports.js";
import { COMPANION_FLAG, WHEELCHAIR_FLAG } from "../../venues/accessibility.js";
import { type LiveSeatMap } from "./live-seat-map.js";
import { type StaticLayout } from "./static-layout.js";

/**
 * The rules of an explicit hold against the live map (an allocation hint: a concurrent change can still slip past,
 * as with seats.io's client-side validators; the claim itself stays the only arbiter of who gets a seat):
 * - every seat exists (NOT_FOUND);
 * - a companion seat only with a wheelchair space in the same hold (COMPANION_REQUIRES_ACCESSIBLE);
 * - with `noOrphanSeats`: no free seat next to the hold may be left alone in its run, both neighbours taken or the
 *   run's end (ORPHAN_SEAT, listing those seats).
 */
export function checkExactHold(
  map: LiveSeatMap,
  seatNumbers: readonly string[],
  noOrphanSeats: boolean,
  now: number,
): Problem | null {
  const positions = seatNumbers.map((n) => map.positionOf(n));
  const unknown = seatNumbers.filter((_, k) => positions[k] === undefined);
  if (unknown.length > 0) {
    return {
      code: "NOT_FOUND",
      message: `This show has no seat ${unknown.join(", ")}.`,
      field: ["input", "seatNumbers"],
      seatNumbers: unknown,
    };
  }
  const held = new Set(positions as number[]);
  const { accessibility, runOf } = map.layout;
  const companions = [...held].filter((i) => accessibility[i]! & COMPANION_FLAG);
  if (companions.length > 0 && ![...held].some((i) => accessibility[i]! & WHEELCHAIR_FLAG)) {
    const listed = companions.map((i) => map.seatNumbers[i]!);
    return {
      code: "COMPANION_REQUIRES_ACCESSIBLE",
      message: `${listed.join(", ")} ${listed.length === 1 ? "is a companion seat" : "are companion seats"}: hold a wheelchair space with it.`,
      field: ["input", "seatNumbers"],
      seatNumbers: listed,
    };
  }
  if (!noOrphanSeats) return null;
  const freeAfter = (i: number, run: number) =>
    i >= 0 && i < map.size && runOf[i] === run && !held.has(i) && map.isOffered(i, now);
  const stranded = new Set<number>();
  for (const i of held) {
    const run = runOf[i]!;
    for (const j of [i - 1, i + 1]) {
      if (freeAfter(j, run) && !freeAfter(j - 1, run) && !freeAfter(j + 1, run)) stranded.add(j);
    }
  }
  if (stranded.size === 0) return null;
  const listed = [...stranded].sort((a, b) => a - b).map((i) => map.seatNumbers[i]!);
  return {
    code: "ORPHAN_SEAT",
    message: `This hold would leave ${listed.join(", ")} alone between taken seats: include ${listed.length === 1 ? "it" : "them"} or choose other seats.`,
    field: ["input", "seatNumbers"],
    seatNumbers: listed,
  };
}

/** INVALID_INPUT when a best-available preference names a category or a section the show does not have. */
export function unknownPreference(layout: StaticLayout, preference: SeatPreference): Problem | null {
  const unknown = (preference.categories ?? []).filter((key) => !layout.categoryKeys.includes(key));
  if (unknown.length > 0) {
    return invalidInput(
      `This show has no category ${unknown.join(", ")} (it has ${layout.categoryKeys.join(", ")}).`,
      "categories",
    );
  }
  if (preference.section && !layout.sectionKeys.includes(preference.section)) {
    return invalidInput(
      `This show has no section ${preference.section} (it has ${layout.sectionKeys.join(", ")}).`,
      "section",
    );
  }
  return null;
}
