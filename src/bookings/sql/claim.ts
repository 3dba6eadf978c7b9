import { Prisma } from "../../db/prisma.js";
import { coolingSeats, holdSecondsUsed, type OnSaleLimits, showTerms } from "./on-sale.js";
import { enoughOwnerSlots, freeOwnerSlots } from "./owner-slots.js";
import { CHANGED_SEAT_COLUMNS, changesOf, claimable, NEW_VERSION } from "./predicates.js";
import { checkOnly } from "./keyed.js";
import { type BookingRow } from "./rows.js";
import { ANY_SEAT, type SeatPreference } from "../booking.ports.js";

export interface ClaimArgs {
  readonly bookingId: string;
  readonly userId: string;
  readonly showId: string;
  readonly key: string | null;
  /** The seats the booking is for; null = the seats the target selects. */
  readonly seatNumbers: string[] | null;
  /** WHERE tail (after show_id) + ORDER BY + LIMIT + FOR UPDATE of the seats to claim. */
  readonly target: Prisma.Sql;
  readonly expected: number;
  /** Record a FAILED (SEATS_UNAVAILABLE) booking when the seats cannot all be had, so a retry can replay it. */
  readonly recordFailure: boolean;
  readonly holdTtlSeconds: number;
  /** MAX_ACTIVE_HOLDS_PER_USER: the claim fails (changing nothing, slot_free false) when they are all in use. */
  readonly maxActiveHolds: number;
  /** Where the request came from (null: unknown, not capped per address). */
  readonly clientAddress: string | null;
  /** What the request asked for, stored with the idempotency key (see requestFingerprint). */
  readonly fingerprint: string;
  readonly limits: OnSaleLimits;
}

/** Target: these exact seats, locked in id order, waiting for rows another claim holds. */
export const exactSeats = (seatNumbers: string[]) =>
  Prisma.sql`seat_number = ANY(${seatNumbers}::text[]) AND ${claimable()} ORDER BY id FOR UPDATE`;

/** Seats a preference allows (see SeatPreference): the categories and section asked for, accessible seats only when asked. */
export const preferred = (preference: SeatPreference, table = "seats") => {
  const column = (name: string) => Prisma.raw(`${table}.${name}`);
  const categories = preference.categories
    ? Prisma.sql`${column("category_key")} = ANY(${[...preference.categories]}::text[])`
    : Prisma.sql`true`;
  const section = preference.section ? Prisma.sql`${column("section_key")} = ${preference.section}` : Prisma.sql`true`;
  const accessible = preference.accessible ? Prisma.sql`true` : Prisma.sql`${column("accessibility")} = 0`;
  return Prisma.sql`(${categories} AND ${section} AND ${accessible})`;
};

/** Target: the `quantity` claimable seats the preference allows nearest the front-centre, skipping locked ones. */
export const nearestFrontCentre = (
  show: { id: string; seatsPerRow: number },
  quantity: number,
  preference: SeatPreference = ANY_SEAT,
) =>
  Prisma.sql`${claimable()} AND ${preferred(preference)}
    AND row_index = ANY(ARRAY(${frontRowsWithFreeSeats(show.id, quantity, preference)}))
    ORDER BY row_index, abs(2 * seat_in_row - ${show.seatsPerRow + 1}::int), seat_in_row
    LIMIT ${quantity}::int FOR UPDATE SKIP LOCKED`;

/**
 * The first `rows` rows (from the front) that have a claimable seat the preference allows. An ordered walk of
 * seats_unsold_idx that stops early, so its cost does not grow with the size of the hall or with how much is sold.
 */
export const frontRowsWithFreeSeats = (showId: string, rows: number, preference: SeatPreference = ANY_SEAT) =>
  Prisma.sql`SELECT DISTINCT free.row_index FROM seats AS free
             WHERE free.show_id = ${showId}::uuid AND ${claimable("free")} AND ${preferred(preference, "free")}
             ORDER BY free.row_index LIMIT ${rows}::int`;

/** What the claim statement returns: one row, with the booking's columns null when nothing was recorded. */
export type ClaimRow = { [column in keyof BookingRow]: BookingRow[column] | null } & {
  claimable: string[] | null;
  claimed: bigint | string;
  slot_free: boolean;
  show_open: boolean;
  show_cancelled: boolean;
  /** The purchase cap on the seats the claim locked (seats.owner_cap, the show's max_seats_per_user); null: none. */
  seat_cap: number | null;
  owner_slots_free: boolean;
  within_hold_time: boolean;
  address_slots_free: boolean;
  /** Requested seats the user released too recently to hold again. */
  cooling: string[] | null;
  /** Seats taken over from lapsed holds. */
  reclaimed: bigint | string;
  changes: unknown;
};

/**
 * The claim: one statement that locks the target seats that are claimable, and only if it got all `expected` of
 * them inserts a PENDING booking and marks the seats HELD by it. Otherwise it changes no seat and, with
 * `recordFailure`, records a FAILED (SEATS_UNAVAILABLE) booking so an idempotent retry can replay the outcome.
 *
 * Nothing is locked or recorded when a rule refuses the hold whatever the seats: the show has started, the user has
 * no active-hold slot left or has used their hold time on the show, requested seats are cooling down after the user
 * released them, or the client address has not enough seat slots left (each held seat takes one of its address's
 * slots, unique among held seats, so concurrent holds from one address cannot exceed the cap), or the user would own
 * more seats of the show than its purchase cap allows (see freeOwnerSlots; the cap is the one on the seats it locked,
 * so a cap set while the claim was under way applies to it).
 */
export function claimStatement(args: ClaimArgs): Prisma.Sql {
  const { limits } = args;
  const addressCapped = args.clientAddress !== null && limits.maxHeldSeatsPerAddress > 0;
  const ownerSlot = Prisma.sql`(SELECT owner_slots.n FROM owner_slots WHERE owner_slots.rank = ranked.rank)`;
  // The purchase cap on the seats the claim locked (seats.owner_cap; null: none).
  const seatCap = Prisma.sql`(SELECT max(owner_cap) FROM target)`;
  return Prisma.sql`/* claim */
    WITH show AS (${showTerms(Prisma.sql`${args.showId}::uuid`, { locked: false })}), slot AS (
      SELECT min(n) AS free FROM generate_series(1, ${args.maxActiveHolds}::int) AS n
      WHERE NOT EXISTS (SELECT 1 FROM bookings
                       WHERE user_id = ${args.userId} AND ${checkOnly(Prisma.sql`status = 'PENDING'`)} AND hold_slot = n)
    ), gate AS (
      SELECT coalesce((SELECT open FROM show), false) AS show_open,
             coalesce((SELECT cancelled FROM show), false) AS show_cancelled,
             (SELECT free FROM slot) IS NOT NULL AS slot_free,
             ${holdSecondsUsed(args.userId, Prisma.sql`${args.showId}::uuid`, limits.holdTimeWindowSeconds)}
               + ${args.holdTtlSeconds}::int <= ${limits.holdTimePerShowSeconds}::int AS within_hold_time,
             ${coolingSeats(args.userId, args.showId, limits)} AS cooling
    ), target AS (
      SELECT id, seat_number, row_index, seat_in_row, status, price, owner_cap FROM seats
      WHERE show_id = ${args.showId}::uuid
        AND (SELECT show_open AND slot_free AND within_hold_time FROM gate)
        AND NOT seat_number = ANY((SELECT cooling FROM gate)::text[])
        AND ${args.target}
    ), address_slots AS (
      -- Free slots in random order, so concurrent holds from one address rarely pick the same ones (a collision
      -- aborts one of them on the unique index, and the service retries it).
      SELECT n, row_number() OVER (ORDER BY n) AS rank FROM (
        SELECT n FROM generate_series(1, ${addressCapped ? limits.maxHeldSeatsPerAddress : 0}::int) AS n
        WHERE n NOT IN (SELECT address_slot FROM seats
                        WHERE show_id = ${args.showId}::uuid AND hold_address = ${args.clientAddress}::text
                          AND status = 'held' AND address_slot IS NOT NULL)
        ORDER BY random() LIMIT ${args.expected}::int
      ) AS free
    ), owner_slots AS (
      ${freeOwnerSlots({
        showId: Prisma.sql`${args.showId}::uuid`,
        ownerId: Prisma.sql`${args.userId}::text`,
        cap: seatCap,
        wanted: Prisma.sql`${args.expected}::int`,
      })}
    ), decision AS (
      SELECT gate.show_open, gate.show_cancelled, ${seatCap} AS seat_cap, gate.slot_free,
             gate.within_hold_time,
             ARRAY(SELECT asked FROM unnest(${args.seatNumbers}::text[]) WITH ORDINALITY AS r(asked, i)
                   WHERE asked = ANY(gate.cooling) ORDER BY i) AS cooling,
             ${!addressCapped}::boolean OR (SELECT count(*) FROM address_slots) = ${args.expected}::int AS address_slots_free,
             ${enoughOwnerSlots("owner_slots", seatCap, Prisma.sql`${args.expected}::int`)} AS owner_slots_free,
             (SELECT array_agg(seat_number ORDER BY row_index, seat_in_row) FROM target) AS claimable,
             (SELECT count(*) FROM target) AS targeted
      FROM gate
    ), verdict AS (
      SELECT *, show_open AND slot_free AND within_hold_time AND cardinality(cooling) = 0 AND address_slots_free
                  AND owner_slots_free AS allowed,
             show_open AND slot_free AND within_hold_time AND cardinality(cooling) = 0 AND address_slots_free
               AND owner_slots_free AND targeted = ${args.expected}::int AS ok
      FROM decision
    ), booking AS (
      INSERT INTO bookings (id, show_id, user_id, status, failure_reason, seat_numbers, expires_at, idempotency_key,
                            hold_slot, request_fingerprint, client_address, total, currency)
      SELECT ${args.bookingId}::uuid, ${args.showId}::uuid, ${args.userId},
             CASE WHEN ok THEN 'PENDING' ELSE 'FAILED' END::booking_status,
             CASE WHEN ok THEN NULL ELSE 'SEATS_UNAVAILABLE' END::failure_reason,
             COALESCE(${args.seatNumbers}::text[], CASE WHEN ok THEN claimable END, '{}'),
             CASE WHEN ok THEN now() + ${args.holdTtlSeconds}::int * interval '1 second' END,
             ${args.key}::text,
             CASE WHEN ok THEN (SELECT free FROM slot) END,
             ${args.fingerprint}::text, ${args.clientAddress}::text,
             -- the seats' prices now (null for a show without prices), in the show's currency
             CASE WHEN ok THEN (SELECT sum(price) FROM target) END,
             CASE WHEN ok THEN (SELECT currency FROM show) END
      FROM verdict
      WHERE allowed AND (ok OR ${args.recordFailure}::boolean)
      RETURNING *
    ), ranked AS (
      SELECT id, row_number() OVER (ORDER BY id) AS rank FROM target
    ), claimed AS (
      UPDATE seats
      SET status = 'held', booking_id = booking.id, hold_expires_at = booking.expires_at, updated_at = now(),
          hold_address = CASE WHEN ${addressCapped}::boolean THEN booking.client_address END, address_slot = address_slots.n,
          -- looked up per seat rather than joined, so the seats are claimed (and their changes listed) in id order
          owner_id = CASE WHEN ${ownerSlot} IS NOT NULL THEN booking.user_id END, owner_slot = ${ownerSlot},
          ${NEW_VERSION}
      FROM ranked LEFT JOIN address_slots ON address_slots.rank = ranked.rank, booking
      WHERE seats.id = ranked.id AND booking.status = 'PENDING' AND ${claimable()}
      RETURNING ${CHANGED_SEAT_COLUMNS}
    )
    SELECT booking.*, verdict.claimable, (SELECT count(*) FROM claimed) AS claimed,
           verdict.slot_free, verdict.show_open, verdict.show_cancelled, verdict.seat_cap, verdict.owner_slots_free,
           verdict.within_hold_time, verdict.address_slots_free, verdict.cooling,
           (SELECT count(*) FROM claimed) - (SELECT count(*) FROM target WHERE status = 'available') AS reclaimed,
           ${changesOf("claimed")} AS changes
    FROM verdict LEFT JOIN booking ON true`;
}
