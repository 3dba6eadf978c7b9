import pg from "pg";
import { databaseId } from "./ids";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * After a booking scenario, for the shows it booked: no seat in two live bookings, BOOKED seats = seats of CONFIRMED
 * bookings, no PENDING booking past its expiry. Several shows (rounds of one scenario) give one check of each kind.
 */
export async function verify(url: string, showIds: string | string[], name: string): Promise<Check[]> {
  const shows = (Array.isArray(showIds) ? showIds : [showIds]).map(databaseId);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => Number((await client.query<{ n: string }>(sql, [shows])).rows[0]!.n);
    const doubleSold = await q(`SELECT count(*) AS n FROM (SELECT b.show_id, s FROM bookings b, unnest(b.seat_numbers) s
      WHERE b.show_id = ANY($1::uuid[]) AND b.status IN ('PENDING', 'CONFIRMED') GROUP BY b.show_id, s
      HAVING count(*) > 1) x`);
    const booked = await q(`SELECT count(*) AS n FROM seats WHERE show_id = ANY($1::uuid[]) AND status = 'booked'`);
    const confirmedSeats = await q(`SELECT coalesce(sum(cardinality(seat_numbers)), 0) AS n FROM bookings
      WHERE show_id = ANY($1::uuid[]) AND status = 'CONFIRMED'`);
    const bookedByConfirmed = await q(`SELECT count(*) AS n FROM seats s JOIN bookings b ON b.id = s.booking_id
      WHERE s.show_id = ANY($1::uuid[]) AND s.status = 'booked' AND b.status = 'CONFIRMED'
        AND s.seat_number = ANY(b.seat_numbers)`);
    const stalePending = await q(`SELECT count(*) AS n FROM bookings WHERE show_id = ANY($1::uuid[])
      AND status = 'PENDING' AND expires_at < now() - interval '2 seconds'`);
    return [
      {
        name: `${name}: no seat in two bookings`,
        ok: doubleSold === 0,
        detail: `${doubleSold} seats in more than one booking`,
      },
      {
        name: `${name}: BOOKED seats = seats of CONFIRMED bookings`,
        ok: booked === confirmedSeats && booked === bookedByConfirmed,
        detail: `${booked} booked, ${confirmedSeats} confirmed, ${bookedByConfirmed} matching`,
      },
      { name: `${name}: no PENDING past expiry`, ok: stalePending === 0, detail: `${stalePending} stale` },
    ];
  } finally {
    await client.end();
  }
}
