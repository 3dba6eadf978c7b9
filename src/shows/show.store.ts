import { type PrismaClient } from "../db/prisma.js";
import { type Show as ShowRecord } from "../generated/prisma/client.js";

export interface ShowToMaterialize {
  readonly id: string;
  readonly name: string;
  readonly startsAt: Date;
  readonly venueId: string;
  readonly layoutId: string;
  readonly timeZone: string;
  readonly currency: string | null;
  /** Price by category key (minor units); empty for a show without prices. */
  readonly prices: ReadonlyMap<string, number>;
  readonly noOrphanSeats: boolean;
}

/**
 * Creates a show on a layout version in one transaction: the version is locked in share mode first (a layout is
 * replaced only under an update lock, so never while a show is being made on it), then the show (its row count,
 * longest row and seat count read from the layout), its prices, and every seat of the layout with its price in one
 * INSERT … SELECT. Null when the version was replaced after it was looked up.
 */
export async function materializeShow(prisma: PrismaClient, show: ShowToMaterialize): Promise<ShowRecord | null> {
  const categories = [...show.prices.keys()];
  const amounts = categories.map((key) => show.prices.get(key)!);
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<unknown[]>`
      /* layout_lock */ SELECT id FROM venue_layouts WHERE id = ${show.layoutId}::uuid FOR SHARE`;
    // Replaced since it was looked up (an unused version is replaced in place): nothing is created.
    if (locked.length === 0) return null;
    await tx.$executeRaw`
      /* show_insert */ INSERT INTO shows (id, name, starts_at, row_count, seats_per_row, total_seats, venue_id, layout_id,
                                          time_zone, currency, no_orphan_seats, updated_at)
      SELECT ${show.id}::uuid, ${show.name}, ${show.startsAt}, count(*)::int, max(r.seats)::int, sum(r.seats)::int,
             ${show.venueId}::uuid, ${show.layoutId}::uuid, ${show.timeZone}, ${show.currency}::char(3),
             ${show.noOrphanSeats}, now()
      FROM (SELECT row_index, count(*) AS seats FROM venue_layout_seats
            WHERE layout_id = ${show.layoutId}::uuid GROUP BY row_index) AS r`;
    await tx.$executeRaw`
      /* show_prices_insert */ INSERT INTO show_prices (show_id, category_key, amount)
      SELECT ${show.id}::uuid, p.category_key, p.amount FROM unnest(${categories}::text[], ${amounts}::int[]) AS p(category_key, amount)`;
    await tx.$executeRaw`
      /* materialize_seats */ INSERT INTO seats (show_id, seat_number, row_label, row_index, seat_in_row, ordinal,
                                               section_key, run_index, category_key, accessibility, x, y, price)
      SELECT ${show.id}::uuid, l.seat_number, l.row_label, l.row_index, l.seat_in_row, l.ordinal, l.section_key,
             l.run_index, l.category_key, l.accessibility, l.x, l.y, p.amount
      FROM venue_layout_seats AS l
      LEFT JOIN show_prices AS p ON p.show_id = ${show.id}::uuid AND p.category_key = l.category_key
      WHERE l.layout_id = ${show.layoutId}::uuid ORDER BY l.ordinal`;
    return tx.show.findUniqueOrThrow({ where: { id: show.id } });
  });
}
