import { rowLabel } from "../../domain/seat-layout.js";
import { type LayoutDefinition, type RowDefinition } from "./layout.types.js";

/**
 * Today's hall, `rows` x `seatsPerRow`, as a layout: one section, one category, rows A… given by count. It expands to
 * exactly the seat numbers shows have had so far (A1…), so existing shows and layouts name their seats alike.
 */
export function rectangularLayout(rows: number, seatsPerRow: number): LayoutDefinition {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`A hall needs a whole number of rows, not ${rows}`);
  if (!Number.isInteger(seatsPerRow) || seatsPerRow < 1) {
    throw new RangeError(`A row needs a whole number of seats, not ${seatsPerRow}`);
  }
  const rowDefinitions: RowDefinition[] = [];
  for (let index = 0; index < rows; index++) rowDefinitions.push({ label: rowLabel(index), count: seatsPerRow });
  return {
    categories: [{ key: "STANDARD", label: "Standard", color: "#4F7CAC" }],
    sections: [{ key: "MAIN", label: "Main", seatPrefix: "", category: "STANDARD", rows: rowDefinitions }],
  };
}
