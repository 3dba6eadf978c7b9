import { coordinateProblem, quote, seatNumberProblem } from "./layout-formats.js";
import { ACCESSIBILITY, type Accessibility, type SeatDefinition } from "./layout.types.js";
import { type FieldPath, type ValidationContext } from "./validation-context.js";

interface SeatPlace {
  readonly rowPath: FieldPath;
  readonly listName: string;
  readonly index: number;
}

/**
 * Checks a seat's own values (number, category, accessibility, position); whether its number belongs to its row is
 * the row's question. The seat is `listName`[`index`] of the row at `rowPath`; its path is only built for a problem,
 * since a row may list hundreds of seats.
 */
export function checkSeatValues(
  seat: SeatDefinition,
  rowPath: FieldPath,
  listName: string,
  index: number,
  context: ValidationContext,
): void {
  if (typeof seat !== "object" || seat === null) {
    context.problems.report(
      [...rowPath, listName, index],
      `a seat must be an object with a number, not ${quote(seat)}`,
    );
    return;
  }
  const place: SeatPlace = { rowPath, listName, index };
  reportAt(place, "number", seatNumberProblem(seat.number, "seat number"), context);
  if (seat.category != null) {
    const problem = context.categories.referenceProblem(seat.category, `category of seat ${quote(seat.number)}`);
    reportAt(place, "category", problem, context);
  }
  if (seat.x != null) reportAt(place, "x", coordinateProblem(seat.x, "x"), context);
  if (seat.y != null) reportAt(place, "y", coordinateProblem(seat.y, "y"), context);
  if (seat.accessibility != null) checkAccessibility(seat, [...rowPath, listName, index], context);
}

function reportAt(place: SeatPlace, field: string, problem: string | null, context: ValidationContext): void {
  if (problem !== null) context.problems.report([...place.rowPath, place.listName, place.index, field], problem);
}

function checkAccessibility(seat: SeatDefinition, path: FieldPath, context: ValidationContext): void {
  const values: readonly unknown[] | null = Array.isArray(seat.accessibility) ? seat.accessibility : null;
  const allowed = `allowed: ${ACCESSIBILITY.join(", ")}`;
  if (values === null) {
    context.problems.report([...path, "accessibility"], `accessibility must be a list of values (${allowed})`);
    return;
  }
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    if (!(ACCESSIBILITY as readonly unknown[]).includes(value)) {
      context.problems.report(
        [...path, "accessibility", index],
        `${quote(value)} is not an accessibility value (${allowed})`,
      );
    } else if (seen.has(value)) {
      context.problems.report(
        [...path, "accessibility", index],
        `accessibility lists ${quote(value)} twice; list it once`,
      );
    }
    seen.add(value);
  });
  if (seen.has("WHEELCHAIR") && seen.has("COMPANION")) {
    context.problems.report(
      [...path, "accessibility"],
      `seat ${quote(seat.number)} cannot be both WHEELCHAIR and COMPANION: a companion seat sits next to a wheelchair space`,
    );
  }
}

/** Whether the seat lists `value`; tolerant of what checkSeatValues reports (a missing seat, no list). */
export function hasAccessibility(seat: SeatDefinition | undefined, value: Accessibility): boolean {
  const values: unknown = seat?.accessibility;
  return Array.isArray(values) && values.includes(value);
}
