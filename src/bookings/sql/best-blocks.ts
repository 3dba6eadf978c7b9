import { Prisma } from "../../db/prisma.js";
import { frontRowsWithFreeSeats } from "./claim.js";
import { claimable } from "./predicates.js";

/** How many "best available" blocks to consider, and how many of them to try before any free seats will do. */
export const BLOCK_CANDIDATES = 21;
export const BLOCK_ATTEMPTS = 8;
/** Rows (with free seats, from the front) searched for a block before searching the whole hall. */
export const ROWS_SEARCHED_FIRST = 3;

/**
 * Up to `limit` blocks of `quantity` adjacent claimable seats, frontmost row first, then nearest the centre.
 * Several blocks per run of free seats (centred, then shifted a block left and right), so that concurrent pickers
 * have neighbouring alternatives. With `rows`, only the first `rows` rows that have free seats are searched.
 */
export function bestBlocksStatement(
  show: { id: string; seatsPerRow: number },
  quantity: number,
  limit: number,
  rows: number | null,
): Prisma.Sql {
  const ideal = Math.floor((show.seatsPerRow - quantity + 2) / 2);
  // ANY(ARRAY(…)) makes the row search an init plan, run once; IN (…) may be planned as a subplan run per seat.
  const inRows =
    rows === null ? Prisma.empty : Prisma.sql`AND row_index = ANY(ARRAY(${frontRowsWithFreeSeats(show.id, rows)}))`;
  return Prisma.sql`/* best_blocks */
    WITH free AS (
      SELECT row_index, seat_in_row,
             seat_in_row - row_number() OVER (PARTITION BY row_index ORDER BY seat_in_row) AS run
      FROM seats
      WHERE show_id = ${show.id}::uuid AND ${claimable()} ${inRows}
    ), runs AS (
      SELECT row_index, min(seat_in_row) AS first_seat, max(seat_in_row) AS last_seat
      FROM free GROUP BY row_index, run HAVING count(*) >= ${quantity}::int
    ), blocks AS (
      SELECT DISTINCT row_index,
             greatest(first_seat, least(last_seat - ${quantity}::int + 1, ${ideal}::int + shift * ${quantity}::int)) AS start
      FROM runs, unnest(ARRAY[0, -1, 1, -2, 2, -3, 3]) AS shift
    )
    SELECT row_index AS "rowIndex", start::int AS start FROM blocks
    ORDER BY row_index, abs(2 * start + ${quantity}::int - 1 - ${show.seatsPerRow + 1}::int), start
    LIMIT ${limit}::int`;
}
