import { Prisma } from "../../db/prisma.js";

/**
 * `condition`, tested on the rows a key found, never used to find them. A booking statement's plan is made once per
 * connection (db/sql-client.ts), from statistics an on-sale soon outdates: written plainly, `status = 'PENDING'` or
 * `status = 'held'` lets the planner read a partial index of every PENDING booking or held seat (nearly empty when it
 * planned, thousands during an on-sale: a cancel took 89 ms with 3,000 seats held, 0.8 ms this way), and
 * `show_id = …` the show's index of bookings instead of the user's. Wrapped in IS TRUE, which means the same in a
 * WHERE clause, it matches neither an index nor a partial index's predicate, so the key's own index serves.
 */
export const checkOnly = (condition: Prisma.Sql) => Prisma.sql`(${condition}) IS TRUE`;

/** The seats (`seat` is their alias) that a booking holds, its hold lapsed or not: by the seats' booking_id index. */
export const heldBy = (seat: string, bookingId: Prisma.Sql) => {
  const alias = Prisma.raw(seat);
  return Prisma.sql`${alias}.booking_id = ${bookingId} AND ${checkOnly(Prisma.sql`${alias}.status = 'held'`)}`;
};
