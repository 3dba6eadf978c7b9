import { holdLapsed } from "../bookings/sql/predicates.js";
import { Prisma } from "../db/prisma.js";

/*
 * The show report's statements: plain aggregates over one show's rows, by the show's indexes. The service runs them
 * in one REPEATABLE READ transaction, so their numbers describe the same moment.
 */

/** The latest hourly buckets of confirmations a report lists: 31 days' worth. */
export const MAX_CONFIRMATION_HOURS = 744;

export interface ReportShowRow {
  id: string;
  layout_id: string | null;
  currency: string | null;
}

export const reportShowStatement = (showId: string) => Prisma.sql`/* show_report_show */
  SELECT id::text, layout_id::text, currency FROM shows WHERE id = ${showId}::uuid`;

/** Seats by category, section, status and block reason, with the prices of the booked ones. */
export interface SeatGroupRow {
  category_key: string;
  section_key: string;
  status: "available" | "held" | "booked" | "blocked";
  block_reason: string | null;
  seats: number;
  /** Sum of booked seats' prices (minor units); null without prices or without booked seats. */
  sold: bigint | null;
}

export const seatGroupsStatement = (showId: string) => Prisma.sql`/* show_report_seats */
  SELECT category_key, section_key, status::text AS status, block_reason, count(*)::int AS seats,
         sum(price) FILTER (WHERE status = 'booked')::bigint AS sold
  FROM seats WHERE show_id = ${showId}::uuid
  GROUP BY category_key, section_key, status, block_reason`;

export interface BookingTotalsRow {
  pending: number;
  confirmed: number;
  refunded: number;
  failed: number;
  cancelled: number;
  expired: number;
  cancelled_by_organizer: number;
  lapsed_bookings: number;
  lapsed_seats: number;
  /** Sum of CONFIRMED bookings' totals; null when none has one (no prices). */
  sold: bigint | null;
  /** Sum of the show's refunds; null when none has an amount. */
  refunded_amount: bigint | null;
  generated_at: Date;
}

/**
 * Bookings by status and failure reason; holds that lapsed (released as EXPIRED, or PENDING past their expiry and
 * not released yet: their seats are already claimable) with their seats; sold and refunded sums.
 */
export const bookingTotalsStatement = (showId: string) => Prisma.sql`/* show_report_bookings */
  SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
         count(*) FILTER (WHERE status = 'CONFIRMED')::int AS confirmed,
         count(*) FILTER (WHERE status = 'REFUNDED')::int AS refunded,
         count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
         count(*) FILTER (WHERE failure_reason = 'CANCELLED')::int AS cancelled,
         count(*) FILTER (WHERE failure_reason = 'EXPIRED')::int AS expired,
         count(*) FILTER (WHERE failure_reason = 'CANCELLED_BY_ORGANIZER')::int AS cancelled_by_organizer,
         count(*) FILTER (WHERE failure_reason = 'EXPIRED' OR ${holdLapsed()})::int AS lapsed_bookings,
         coalesce(sum(cardinality(seat_numbers)) FILTER (WHERE failure_reason = 'EXPIRED' OR ${holdLapsed()}), 0)::int
           AS lapsed_seats,
         sum(total) FILTER (WHERE status = 'CONFIRMED')::bigint AS sold,
         (SELECT sum(amount)::bigint FROM booking_refunds WHERE booking_refunds.show_id = ${showId}::uuid) AS refunded_amount,
         now() AS generated_at
  FROM bookings WHERE show_id = ${showId}::uuid`;

export interface HourRow {
  hour: Date;
  bookings: number;
  seats: number;
}

/** Confirmations per UTC hour (by confirmed_at), the latest MAX_CONFIRMATION_HOURS hours that had any, oldest first. */
export const confirmationsPerHourStatement = (showId: string) => Prisma.sql`/* show_report_confirmations */
  SELECT hour, bookings, seats FROM (
    SELECT date_trunc('hour', confirmed_at, 'UTC') AS hour, count(*)::int AS bookings,
           sum(cardinality(seat_numbers))::int AS seats
    FROM bookings WHERE show_id = ${showId}::uuid AND confirmed_at IS NOT NULL
    GROUP BY 1 ORDER BY 1 DESC LIMIT ${MAX_CONFIRMATION_HOURS}::int
  ) AS latest ORDER BY hour`;
