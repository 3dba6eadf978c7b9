import { Prisma, type PrismaClient } from "../db/prisma.js";
import { showEventStatement } from "../events/sql/outbox.js";
import { type ShowRecord } from "./show.service.js";
import { insertPrices, layoutShape, lockLayout, materializeSeats } from "./show.store.js";

/** What updateShow changes (absent: unchanged), checked against the input beforehand (ShowUpdates). */
export interface ShowTermsChange {
  readonly name?: string;
  readonly startsAt?: Date;
  /** The full new price list by category (minor units), and its currency (null: no prices). */
  readonly prices?: { readonly currency: string | null; readonly amounts: ReadonlyMap<string, number> };
  /** Another version of the show's venue: its seats are made anew from it. */
  readonly layoutId?: string;
  /** Null clears the cap. */
  readonly maxSeatsPerUser?: number | null;
  readonly ownerRefunds?: boolean;
  readonly noOrphanSeats?: boolean;
}

export type TermsChangeResult =
  | { readonly kind: "updated"; readonly show: ShowRecord }
  | { readonly kind: "missing" }
  | { readonly kind: "cancelled"; readonly show: ShowRecord }
  /** Prices or layout asked for while seats are held or booked (layout: or blocked). */
  | { readonly kind: "sold"; readonly field: "prices" | "layoutVersion" }
  /** The layout version was replaced after it was looked up. */
  | { readonly kind: "layoutReplaced" };

/** Rolls the transaction back and carries the result out of it. */
class Refused extends Error {
  constructor(readonly result: TermsChangeResult) {
    super(result.kind);
  }
}

/** Waits for the seat locks of the holds in flight (and box-office changes holding the show row). */
const TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/**
 * Changes a show's terms in one transaction. It updates the shows row first (seat changes of the box office read it
 * in share mode, and wait), then locks every seat of the show (ORDER BY id, the project's lock order) before looking
 * at any: a hold in flight that locked seats first finishes before, and one that comes after waits for the commit and
 * reads the seats as this left them, with their new price and purchase cap (a claim reads both from the seats it
 * locks). Prices and layout change only while no seat is held or booked (layout: or blocked), decided on locked
 * seats. Prices replace show_prices and every seat's price; a layout replaces the show's
 * seats with the new version's (materialize_seats) and its shape. A cap gives every held or booked seat without an
 * owner slot one (owner = its booking's user, numbered per user after the slots the user has); clearing it frees them.
 *
 * Prices and owner slots are not seat states (status, booking, block reason), so their seats keep their versions: no
 * seat change is published; the caller drops what processes keep of the show instead (ShowChanges).
 */
export async function changeShowTerms(
  prisma: PrismaClient,
  showId: string,
  change: ShowTermsChange,
): Promise<TermsChangeResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const setCap = change.maxSeatsPerUser !== undefined;
      const updated = await tx.$queryRaw<{ id: string }[]>`/* show_terms_update */
        UPDATE shows SET
          name = coalesce(${change.name ?? null}::text, name),
          starts_at = coalesce(${change.startsAt ?? null}::timestamptz, starts_at),
          max_seats_per_user = CASE WHEN ${setCap} THEN ${change.maxSeatsPerUser ?? null}::int ELSE max_seats_per_user END,
          owner_refunds = coalesce(${change.ownerRefunds ?? null}::boolean, owner_refunds),
          no_orphan_seats = coalesce(${change.noOrphanSeats ?? null}::boolean, no_orphan_seats),
          currency = CASE WHEN ${change.prices !== undefined} THEN ${change.prices?.currency ?? null}::char(3)
                          ELSE currency END,
          updated_at = now()
        WHERE id = ${showId}::uuid AND cancelled_at IS NULL
        RETURNING id`;
      if (updated.length === 0) {
        const show = await tx.show.findUnique({ where: { id: showId } });
        throw new Refused(show ? { kind: "cancelled", show } : { kind: "missing" });
      }
      const [seats] = await tx.$queryRaw<{ sold: number; blocked: number }[]>`/* show_seats_lock */
        SELECT count(*) FILTER (WHERE status IN ('held', 'booked'))::int AS sold,
               count(*) FILTER (WHERE status = 'blocked')::int AS blocked
        FROM (SELECT status FROM seats WHERE show_id = ${showId}::uuid ORDER BY id FOR UPDATE) AS locked`;
      if (change.prices && seats!.sold > 0) throw new Refused({ kind: "sold", field: "prices" });
      if (change.layoutId && seats!.sold + seats!.blocked > 0)
        throw new Refused({ kind: "sold", field: "layoutVersion" });
      if (change.prices) {
        await tx.$executeRaw`/* show_prices_delete */ DELETE FROM show_prices WHERE show_id = ${showId}::uuid`;
        await tx.$executeRaw(insertPrices(showId, change.prices.amounts));
        await tx.$executeRaw`/* show_seats_reprice */
          UPDATE seats SET updated_at = now(),
            price = (SELECT p.amount FROM show_prices AS p
                     WHERE p.show_id = seats.show_id AND p.category_key = seats.category_key)
          WHERE show_id = ${showId}::uuid`;
      }
      if (change.layoutId) {
        if ((await tx.$queryRaw<unknown[]>(lockLayout(change.layoutId))).length === 0)
          throw new Refused({ kind: "layoutReplaced" });
        await tx.$executeRaw`/* show_seats_delete */ DELETE FROM seats WHERE show_id = ${showId}::uuid`;
        await tx.$executeRaw(materializeSeats(showId, change.layoutId));
        await tx.$executeRaw`/* show_layout_update */
          UPDATE shows SET layout_id = ${change.layoutId}::uuid, row_count = r.row_count, seats_per_row = r.seats_per_row,
                           total_seats = r.total_seats
          FROM ${layoutShape(change.layoutId)} AS r WHERE shows.id = ${showId}::uuid`;
      }
      if (setCap) {
        // Claims read the cap from the seats they lock: every seat carries it, changed under this transaction's locks.
        await tx.$executeRaw`/* owner_cap_set */
          UPDATE seats SET owner_cap = ${change.maxSeatsPerUser ?? null}::int WHERE show_id = ${showId}::uuid`;
      }
      if (setCap && change.maxSeatsPerUser !== null) await tx.$executeRaw(backfillOwnerSlots(showId));
      if (setCap && change.maxSeatsPerUser === null) {
        await tx.$executeRaw`/* owner_slots_clear */
          UPDATE seats SET owner_id = NULL, owner_slot = NULL, updated_at = now()
          WHERE show_id = ${showId}::uuid AND owner_slot IS NOT NULL`;
      }
      await tx.$executeRaw(showEventStatement("show.updated", showId));
      return { kind: "updated", show: await tx.show.findUniqueOrThrow({ where: { id: showId } }) } as const;
    }, TRANSACTION);
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/**
 * Every held or booked seat of the show without an owner slot gets one: its booking's user, numbered 1, 2, … per user
 * (in seat id order) after the highest slot the user already has, so a cap set now counts everything owned before it.
 */
const backfillOwnerSlots = (showId: string) => Prisma.sql`/* owner_slots_backfill */
  WITH unslotted AS (
    SELECT seats.id, bookings.user_id,
           row_number() OVER (PARTITION BY bookings.user_id ORDER BY seats.id) AS n
    FROM seats JOIN bookings ON bookings.id = seats.booking_id
    WHERE seats.show_id = ${showId}::uuid AND seats.status IN ('held', 'booked') AND seats.owner_slot IS NULL
  ), highest AS (
    SELECT owner_id, max(owner_slot) AS slot FROM seats
    WHERE show_id = ${showId}::uuid AND owner_slot IS NOT NULL GROUP BY owner_id
  )
  UPDATE seats SET owner_id = unslotted.user_id, owner_slot = coalesce(highest.slot, 0) + unslotted.n::int,
                   updated_at = now()
  FROM unslotted LEFT JOIN highest ON highest.owner_id = unslotted.user_id
  WHERE seats.id = unslotted.id`;

/** The category keys of a layout version, in its order. */
export async function layoutCategories(prisma: PrismaClient, layoutId: string): Promise<string[]> {
  const layout = await prisma.venueLayout.findUnique({ where: { id: layoutId }, select: { definition: true } });
  const definition = layout?.definition as { categories?: { key: string }[] } | undefined;
  return (definition?.categories ?? []).map((category) => category.key);
}

/** The show's current prices by category (minor units). */
export async function currentPrices(prisma: PrismaClient, showId: string): Promise<Map<string, number>> {
  const rows = await prisma.showPrice.findMany({ where: { showId } });
  return new Map(rows.map((row) => [row.categoryKey, row.amount]));
}
