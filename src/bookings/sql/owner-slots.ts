import { Prisma } from "../../db/prisma.js";

/**
 * Purchase caps (shows.max_seats_per_user): each held or booked seat of a capped show takes one of its owner's slots
 * 1…cap, unique per (show, owner) by seats_owner_slot_key, so concurrent holds of one user cannot own more than the
 * cap whatever the number of API processes (a collision aborts a statement on the index, and the service retries).
 *
 * Up to `wanted` free slots of the owner, numbered 1…wanted by `rank`, in random order so concurrent holds of one
 * user rarely pick the same ones. `cap` null means no cap: no slots (and the seats are left unowned). Slots of
 * `reusable` seats (seats the same statement releases) count as free.
 */
export const freeOwnerSlots = (args: {
  showId: Prisma.Sql;
  ownerId: Prisma.Sql;
  cap: Prisma.Sql;
  wanted: Prisma.Sql;
  reusable?: Prisma.Sql;
}) =>
  Prisma.sql`SELECT n, row_number() OVER (ORDER BY n) AS rank FROM (
      SELECT n FROM generate_series(1, coalesce(${args.cap}, 0)) AS n
      WHERE n NOT IN (SELECT owned.owner_slot FROM seats AS owned
                      WHERE owned.show_id = ${args.showId} AND owned.owner_id = ${args.ownerId}
                        AND owned.owner_slot IS NOT NULL
                        ${args.reusable ? Prisma.sql`AND NOT owned.seat_number = ANY(${args.reusable})` : Prisma.empty})
      ORDER BY random() LIMIT ${args.wanted}
    ) AS free`;

/** Whether the owner slots found (a CTE of freeOwnerSlots) are enough: always, without a cap. */
export const enoughOwnerSlots = (slots: string, cap: Prisma.Sql, wanted: Prisma.Sql) =>
  Prisma.sql`(${cap} IS NULL OR (SELECT count(*) FROM ${Prisma.raw(slots)}) = ${wanted})`;
