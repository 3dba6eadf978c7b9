import { Prisma, type PrismaClient } from "../db/prisma.js";
import { showEventStatement } from "../events/sql/outbox.js";
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
  /** Seats one user may own on the show; null: no cap. */
  readonly maxSeatsPerUser: number | null;
  readonly ownerRefunds: boolean;
}

/**
 * Creates a show on a layout version in one transaction: the version is locked in share mode first (a layout is
 * replaced only under an update lock, so never while a show is being made on it), then the show (its row count,
 * longest row and seat count read from the layout), its prices, and every seat of the layout with its price in one
 * INSERT … SELECT. Null when the version was replaced after it was looked up.
 */
export async function materializeShow(prisma: PrismaClient, show: ShowToMaterialize): Promise<ShowRecord | null> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<unknown[]>(lockLayout(show.layoutId));
    // Replaced since it was looked up (an unused version is replaced in place): nothing is created.
    if (locked.length === 0) return null;
    await tx.$executeRaw`
      /* show_insert */ INSERT INTO shows (id, name, starts_at, row_count, seats_per_row, total_seats, venue_id, layout_id,
                                          time_zone, currency, no_orphan_seats, max_seats_per_user, owner_refunds,
                                          updated_at)
      SELECT ${show.id}::uuid, ${show.name}, ${show.startsAt}, r.row_count, r.seats_per_row, r.total_seats,
             ${show.venueId}::uuid, ${show.layoutId}::uuid, ${show.timeZone}, ${show.currency}::char(3),
             ${show.noOrphanSeats}, ${show.maxSeatsPerUser}::int, ${show.ownerRefunds}, now()
      FROM ${layoutShape(show.layoutId)} AS r`;
    await tx.$executeRaw(insertPrices(show.id, show.prices));
    await tx.$executeRaw(materializeSeats(show.id, show.layoutId));
    await tx.$executeRaw(showEventStatement("show.created", show.id));
    return tx.show.findUniqueOrThrow({ where: { id: show.id } });
  });
}

/** Locks a layout version in share mode (see materializeShow); no row when it was replaced meanwhile. */
export const lockLayout = (layoutId: string) =>
  Prisma.sql`/* layout_lock */ SELECT id FROM venue_layouts WHERE id = ${layoutId}::uuid FOR SHARE`;

/** A layout version's shape as a one-row subquery: row_count, seats_per_row (its longest row), total_seats. */
export const layoutShape = (layoutId: string) =>
  Prisma.sql`(SELECT count(*)::int AS row_count, max(r.seats)::int AS seats_per_row, sum(r.seats)::int AS total_seats
              FROM (SELECT row_index, count(*) AS seats FROM venue_layout_seats
                    WHERE layout_id = ${layoutId}::uuid GROUP BY row_index) AS r)`;

/**
 * Every seat of the layout version as seats of the show (available), priced from the show's show_prices (null where
 * it has none): the show's seats when it is created, and again when updateShow moves it to another version.
 */
export const materializeSeats = (showId: string, layoutId: string) =>
  Prisma.sql`/* materialize_seats */ INSERT INTO seats (show_id, seat_number, row_label, row_index, seat_in_row, ordinal,
                                           section_key, run_index, category_key, accessibility, x, y, price, owner_cap)
      SELECT ${showId}::uuid, l.seat_number, l.row_label, l.row_index, l.seat_in_row, l.ordinal, l.section_key,
             l.run_index, l.category_key, l.accessibility, l.x, l.y, p.amount, show.max_seats_per_user
      FROM venue_layout_seats AS l
      JOIN shows AS show ON show.id = ${showId}::uuid
      LEFT JOIN show_prices AS p ON p.show_id = ${showId}::uuid AND p.category_key = l.category_key
      WHERE l.layout_id = ${layoutId}::uuid ORDER BY l.ordinal`;

/** The show's prices by category (minor units), as rows of show_prices. */
export const insertPrices = (showId: string, prices: ReadonlyMap<string, number>) => {
  const categories = [...prices.keys()];
  const amounts = categories.map((key) => prices.get(key)!);
  return Prisma.sql`/* show_prices_insert */ INSERT INTO show_prices (show_id, category_key, amount)
      SELECT ${showId}::uuid, p.category_key, p.amount
      FROM unnest(${categories}::text[], ${amounts}::int[]) AS p(category_key, amount)`;
};
