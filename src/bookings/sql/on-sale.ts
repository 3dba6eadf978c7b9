import { Prisma } from "../../db/prisma.js";
import { type Config } from "../../platform/config.js";
import { checkOnly } from "./keyed.js";

/*
 * The on-sale defences that SQL decides (against now(), never the Node clock), written once for the claim and the
 * extension statements.
 */

/** The limits a hold or an extension is checked against. */
export interface OnSaleLimits {
  /** Seats one client address may hold at once per show (0: no cap). */
  readonly maxHeldSeatsPerAddress: number;
  /** Hold time a user may take on one show within `holdTimeWindowSeconds`. */
  readonly holdTimePerShowSeconds: number;
  readonly holdTimeWindowSeconds: number;
  /** How long a user must wait before holding again a seat they released (0: no wait). */
  readonly reholdCooldownSeconds: number;
  /** The longest a single hold can last (TTL plus every extension); bounds how far back released holds are read. */
  readonly holdLifetimeSeconds: number;
}

/** The limits from the booking settings (a hold lasts at most its TTL once plus once per extension). */
export const onSaleLimits = (
  settings: Pick<
    Config["booking"],
    | "maxHeldSeatsPerAddress"
    | "holdTimePerShowSeconds"
    | "holdTimeWindowSeconds"
    | "reholdCooldownSeconds"
    | "holdTtlSeconds"
    | "holdMaxExtensions"
  >,
): OnSaleLimits => ({
  maxHeldSeatsPerAddress: settings.maxHeldSeatsPerAddress,
  holdTimePerShowSeconds: settings.holdTimePerShowSeconds,
  holdTimeWindowSeconds: settings.holdTimeWindowSeconds,
  reholdCooldownSeconds: settings.reholdCooldownSeconds,
  holdLifetimeSeconds: settings.holdTtlSeconds * (1 + settings.holdMaxExtensions),
});

/**
 * Whether the show is open for holds and confirmations: not cancelled and not started yet, by the database clock (a
 * missing show counts as closed).
 */
export const showOpen = (showId: Prisma.Sql) =>
  Prisma.sql`coalesce((SELECT starts_at > now() AND cancelled_at IS NULL FROM shows WHERE id = ${showId}), false)`;

/**
 * The show's terms as a claim or a seat change reads them: whether it is open (showOpen's rule), whether it is
 * cancelled, its purchase cap (`seat_cap`, null: none) and currency; an empty result for a missing show.
 *
 * A claim reads them without a lock (a share lock on the show row cost contended claims a quarter of their rate):
 * what must hold for holds in flight is decided on the seats it locks instead. A cancellation blocks every seat until
 * no hold is left (see ShowAdminService.cancel), and the purchase cap a claim applies is the one on the seats it
 * locked (seats.owner_cap, changed with the show's under every seat's lock). Box-office changes of a booking's seats
 * (changeSeats) read them `locked`, in share mode, and so wait for a change of the show's terms in progress.
 */
export const showTerms = (showId: Prisma.Sql, { locked }: { locked: boolean }) =>
  Prisma.sql`SELECT starts_at > now() AND cancelled_at IS NULL AS open, cancelled_at IS NOT NULL AS cancelled,
                    max_seats_per_user AS seat_cap, currency
             FROM shows WHERE id = ${showId} ${locked ? Prisma.sql`FOR SHARE` : Prisma.empty}`;

/** The user's own bookings (`alias`) on the show: through an index led by the user (see checkOnly). */
const ofUserOnShow = (alias: string, userId: Prisma.Sql | string, showId: Prisma.Sql | string) =>
  Prisma.sql`${Prisma.raw(alias)}.user_id = ${userId} AND ${checkOnly(Prisma.sql`${Prisma.raw(alias)}.show_id = ${showId}`)}`;

/**
 * Seconds of hold time the user has taken on the show in the window: every hold started in it, from its start to
 * its (current) expiry, or to its cancellation. Confirmed bookings are purchases, not hoarding, and cost nothing.
 */
export const holdSecondsUsed = (userId: Prisma.Sql | string, showId: Prisma.Sql | string, windowSeconds: number) =>
  Prisma.sql`(SELECT coalesce(sum(extract(epoch FROM
                CASE WHEN used.failure_reason = 'CANCELLED' THEN used.updated_at ELSE used.expires_at END - used.created_at)), 0)
              FROM bookings AS used
              WHERE ${ofUserOnShow("used", userId, showId)}
                AND used.created_at > now() - ${windowSeconds}::int * interval '1 second'
                AND (used.status = 'PENDING' OR used.failure_reason IN ('CANCELLED', 'EXPIRED')))`;

/**
 * Seats of the show the user released (cancelled, or let lapse) less than `cooldownSeconds` ago: they may not hold
 * them again yet, so hold → cancel → hold cannot keep a seat off sale.
 */
export const coolingSeats = (userId: string, showId: string, limits: OnSaleLimits) => {
  const cooldown = Prisma.sql`${limits.reholdCooldownSeconds}::int * interval '1 second'`;
  return Prisma.sql`(SELECT coalesce(array_agg(DISTINCT seat), '{}') FROM bookings AS released, unnest(released.seat_numbers) AS seat
              WHERE ${ofUserOnShow("released", userId, Prisma.sql`${showId}::uuid`)}
                AND released.created_at > now() - ${cooldown} - ${limits.holdLifetimeSeconds}::int * interval '1 second'
                AND CASE WHEN released.failure_reason = 'CANCELLED' THEN released.updated_at > now() - ${cooldown}
                         WHEN released.failure_reason = 'EXPIRED' OR released.status = 'PENDING'
                           THEN released.expires_at <= now() AND released.expires_at > now() - ${cooldown}
                         ELSE false END)`;
};
