import { invalidInput, type Problem } from "../domain/problem.js";
import { normalizeSeatNumber } from "./hold-request.js";

/** A list of seat numbers from an input, trimmed and upper-cased in the order given; INVALID_INPUT on a duplicate. */
export function parseSeatList(
  list: readonly string[],
  field: string,
): { ok: true; seatNumbers: string[] } | { ok: false; problem: Problem } {
  const seatNumbers = list.map(normalizeSeatNumber);
  if (seatNumbers.length === 0) return { ok: false, problem: invalidInput(`${field} must not be empty.`, field) };
  const duplicates = [...new Set(seatNumbers.filter((n, i) => seatNumbers.indexOf(n) !== i))];
  if (duplicates.length > 0) {
    return {
      ok: false,
      problem: { ...invalidInput(`Seat listed twice: ${duplicates.join(", ")}.`, field), seatNumbers: duplicates },
    };
  }
  return { ok: true, seatNumbers };
}

/** Whether two lists name the same seats, whatever their order. */
export const sameSeats = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
