import pg from "pg";
import { holdLive } from "./sql/predicates.js";

export interface InvariantViolation {
  readonly invariant: string;
  readonly count: number;
  /** Up to ten offending ids (seat or booking ids, or show ids). */
  readonly examples: string[];
}

export interface InvariantReport {
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly checks: { invariant: string; violations: number }[];
  readonly violations: InvariantViolation[];
}

// A lapsed PENDING booking may already have lost seats to new holds (lapsed seats are claimable at once) before the
// expiry task releases it; its remaining HELD seats must still be its own. Every other PENDING booking holds exactly
// its seats.
const CHECKS: { invariant: string; sql: string }[] = [
  {
    invariant: "1. every HELD seat belongs to a PENDING booking of the same show that lists it",
    sql: `SELECT s.id::text FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
          WHERE s.status = 'held'
            AND (b.id IS NULL OR b.status <> 'PENDING' OR b.show_id <> s.show_id OR NOT s.seat_number = ANY(b.seat_numbers))`,
  },
  {
    invariant: "1. every unexpired PENDING booking holds exactly its seat_numbers",
    sql: `SELECT b.id::text FROM bookings b
          WHERE ${holdLive("b").sql}
            AND (SELECT coalesce(array_agg(s.seat_number ORDER BY s.seat_number), '{}') FROM seats s
                 WHERE s.booking_id = b.id AND s.status = 'held' AND s.show_id = b.show_id)
                IS DISTINCT FROM (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(b.seat_numbers) x)`,
  },
  {
    invariant: "2. every BOOKED seat belongs to a CONFIRMED booking of the same show that lists it",
    sql: `SELECT s.id::text FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
          WHERE s.status = 'booked'
            AND (b.id IS NULL OR b.status <> 'CONFIRMED' OR b.show_id <> s.show_id OR NOT s.seat_number = ANY(b.seat_numbers))`,
  },
  {
    invariant: "2. every CONFIRMED booking's seats are all BOOKED by it",
    sql: `SELECT b.id::text FROM bookings b
          WHERE b.status = 'CONFIRMED'
            AND (SELECT count(*) FROM seats s WHERE s.booking_id = b.id AND s.status = 'booked' AND s.show_id = b.show_id
                   AND s.seat_number = ANY(b.seat_numbers)) <> cardinality(b.seat_numbers)`,
  },
  {
    invariant: "no seat is in two live bookings",
    sql: `SELECT b.show_id::text || '/' || x FROM bookings b, unnest(b.seat_numbers) x
          WHERE b.status = 'CONFIRMED' OR ${holdLive("b").sql}
          GROUP BY b.show_id, x HAVING count(*) > 1`,
  },
  {
    invariant: "3. no AVAILABLE seat references a booking",
    sql: `SELECT id::text FROM seats WHERE status = 'available' AND (booking_id IS NOT NULL OR hold_expires_at IS NOT NULL)`,
  },
  {
    invariant: "3. FAILED and REFUNDED bookings hold no seats",
    sql: `SELECT DISTINCT b.id::text FROM bookings b JOIN seats s ON s.booking_id = b.id
          WHERE b.status IN ('FAILED', 'REFUNDED')`,
  },
  {
    invariant: "4. show counts equal the seat rows' counts (and its layout's, on a venue)",
    sql: `SELECT sh.id::text FROM shows sh
          WHERE sh.total_seats <> (SELECT count(*) FROM seats s WHERE s.show_id = sh.id)
             OR sh.total_seats <> COALESCE((SELECT l.total_seats FROM venue_layouts l WHERE l.id = sh.layout_id),
                                           sh.row_count * sh.seats_per_row)`,
  },
  {
    invariant: "5. a live booking's total is its seats' prices, in its show's currency",
    sql: `SELECT b.id::text FROM bookings b JOIN shows sh ON sh.id = b.show_id
          WHERE b.status IN ('PENDING', 'CONFIRMED')
            AND (b.currency IS DISTINCT FROM sh.currency
                 OR b.total IS DISTINCT FROM (SELECT sum(s.price) FROM seats s
                                              WHERE s.show_id = b.show_id AND s.seat_number = ANY(b.seat_numbers)))`,
  },
  {
    invariant: "6. no live booking lists a BLOCKED seat",
    sql: `SELECT s.id::text FROM seats s JOIN bookings b ON b.show_id = s.show_id AND s.seat_number = ANY(b.seat_numbers)
          WHERE s.status = 'blocked' AND (b.status = 'CONFIRMED' OR ${holdLive("b").sql})`,
  },
  {
    invariant: "7. a REFUNDED booking's seats were all refunded",
    sql: `SELECT b.id::text FROM bookings b
          WHERE b.status = 'REFUNDED'
            AND EXISTS (SELECT 1 FROM unnest(b.seat_numbers) x
                        WHERE NOT EXISTS (SELECT 1 FROM booking_refunds r
                                          WHERE r.booking_id = b.id AND x = ANY(r.seat_numbers)))`,
  },
  {
    invariant: "8. a cancelled show has no live booking and every seat BLOCKED",
    sql: `SELECT sh.id::text FROM shows sh
          WHERE sh.cancelled_at IS NOT NULL
            AND (EXISTS (SELECT 1 FROM bookings b WHERE b.show_id = sh.id AND b.status IN ('PENDING', 'CONFIRMED'))
                 OR EXISTS (SELECT 1 FROM seats s WHERE s.show_id = sh.id AND s.status <> 'blocked'))`,
  },
  {
    invariant:
      "9. every seat carries its show's purchase cap; with one every owned seat takes a slot of its booking's user, without one none does",
    sql: `SELECT s.id::text FROM seats s JOIN shows sh ON sh.id = s.show_id LEFT JOIN bookings b ON b.id = s.booking_id
          WHERE s.owner_cap IS DISTINCT FROM sh.max_seats_per_user
             OR CASE WHEN sh.max_seats_per_user IS NULL THEN s.owner_slot IS NOT NULL
                     ELSE s.status IN ('held', 'booked') AND (s.owner_slot IS NULL OR s.owner_id IS DISTINCT FROM b.user_id)
                END`,
  },
  {
    invariant: "10. a seat's latest history entry is its current state",
    sql: `SELECT s.id::text FROM seats s
          JOIN LATERAL (SELECT h.version, h.status FROM seat_history h WHERE h.seat_id = s.id
                        ORDER BY h.version DESC LIMIT 1) latest ON true
          WHERE latest.version <> s.version OR latest.status <> s.status`,
  },
  {
    // Within a day (retention keeps at least a day of events) and since booking events exist (a database upgraded
    // to them has older bookings without), while the outbox triggers are on.
    invariant: "11. every booking changed in the last day has the event of its current state (outbox or log)",
    sql: `SELECT b.id::text FROM bookings b
          WHERE b.updated_at > now() - interval '1 day'
            AND b.updated_at >= (SELECT finished_at FROM _prisma_migrations
                                 WHERE migration_name = '20261125000000_booking_events')
            AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'bookings_update_events' AND tgenabled <> 'D')
            AND b.failure_reason IS DISTINCT FROM 'SEATS_UNAVAILABLE'
            AND NOT EXISTS (
              SELECT 1 FROM (SELECT type, booking_id FROM booking_events
                             UNION ALL SELECT type, booking_id FROM booking_outbox) AS e
              WHERE e.booking_id = b.id AND e.type = CASE
                WHEN b.status = 'PENDING' THEN 'booking.held'
                WHEN b.status = 'CONFIRMED' THEN 'booking.confirmed'
                WHEN b.status = 'REFUNDED' THEN 'booking.refunded'
                WHEN b.failure_reason = 'EXPIRED' THEN 'booking.expired'
                WHEN b.failure_reason = 'CANCELLED' THEN 'booking.cancelled'
                ELSE 'booking.cancelled_by_organizer' END)`,
  },
];

/**
 * Checks the booking invariants against the live database (read-only, one REPEATABLE READ snapshot so the checks
 * agree with each other). Used by the tests after concurrent and faulty runs, and by `npm run check:invariants`.
 */
export async function checkInvariants(connectionString: string): Promise<InvariantReport> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const checks: { invariant: string; violations: number }[] = [];
    const violations: InvariantViolation[] = [];
    for (const check of CHECKS) {
      const { rows } = await client.query<{ id: string }>(`SELECT * FROM (${check.sql}) AS offending(id) LIMIT 1000`);
      checks.push({ invariant: check.invariant, violations: rows.length });
      if (rows.length > 0)
        violations.push({
          invariant: check.invariant,
          count: rows.length,
          examples: rows.slice(0, 10).map((r) => r.id),
        });
    }
    await client.query("COMMIT");
    return { ok: violations.length === 0, checkedAt: new Date().toISOString(), checks, violations };
  } finally {
    await client.end();
  }
}

export function formatInvariantReport(report: InvariantReport): string {
  const lines = report.checks.map(
    (c) => `${c.violations === 0 ? "ok  " : "FAIL"}  ${c.invariant}${c.violations ? `: ${c.violations}` : ""}`,
  );
  for (const v of report.violations) lines.push(`      ${v.invariant}: e.g. ${v.examples.join(", ")}`);
  lines.push(report.ok ? "All invariants hold." : `${report.violations.length} invariant(s) violated.`);
  return lines.join("\n");
}
