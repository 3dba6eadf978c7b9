import type pg from "pg";
import { now, random, Recorder, round } from "../lib/stats";

/**
 * The design we compete with: count-based booking that serializes every booking of a show on its row
 * (`SELECT … FOR UPDATE` on the show, check capacity, insert, bump the count), sent with raw `pg`.
 */
export async function seedDesign(
  pool: pg.Pool,
  options: { users: number; seconds: number; capacity: number; seed: number },
) {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS seed_shows (id serial PRIMARY KEY, capacity int NOT NULL, sold int NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS seed_bookings (id bigserial PRIMARY KEY, show_id int NOT NULL REFERENCES seed_shows,
      user_id text NOT NULL, quantity int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await pool.query<{ id: number }>("INSERT INTO seed_shows (capacity) VALUES ($1) RETURNING id", [
    options.capacity,
  ]);
  const showId = rows[0]!.id;
  const booking = new Recorder();
  const deadline = now() + options.seconds * 1000;
  let soldOut = false;
  const started = now();
  const user = async (n: number) => {
    const rand = random(options.seed * 1000 + n);
    while (!soldOut && now() < deadline) {
      const quantity = 1 + Math.floor(rand() * 4);
      const client = await pool.connect();
      const start = now();
      try {
        await client.query("BEGIN");
        const show = await client.query<{ capacity: number; sold: number }>(
          "SELECT capacity, sold FROM seed_shows WHERE id = $1 FOR UPDATE",
          [showId],
        );
        const { capacity, sold } = show.rows[0]!;
        if (sold + quantity > capacity) {
          await client.query("ROLLBACK");
          booking.record(now() - start, "SOLD_OUT");
          if (sold >= capacity) soldOut = true;
          continue;
        }
        await client.query("INSERT INTO seed_bookings (show_id, user_id, quantity) VALUES ($1, $2, $3)", [
          showId,
          `seed-${n}`,
          quantity,
        ]);
        await client.query("UPDATE seed_shows SET sold = sold + $2 WHERE id = $1", [showId, quantity]);
        await client.query("COMMIT");
        booking.record(now() - start, "OK");
      } catch {
        await client.query("ROLLBACK").catch(() => {});
        booking.record(now() - start, "ERROR");
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, n) => user(n)));
  const seconds = (now() - started) / 1000;
  return {
    users: options.users,
    seconds: round(seconds, 2),
    soldOut,
    bookingsSucceeded: booking.codes.get("OK") ?? 0,
    bookingsPerSecond: round((booking.codes.get("OK") ?? 0) / seconds),
    latency: booking.summary(),
  };
}
