import { type PrismaClient } from "./from-src";
import { databaseId, databaseIds } from "./ids";

/*
 * Moves time in the database instead of waiting for it: a hold lapses the moment the test says so, a show has
 * already started. The API compares these timestamps with the clock when it reads them, so the outcome is the same
 * as waiting, without the test's duration (or its flakiness) depending on a TTL.
 */

/**
 * Makes the PENDING bookings among `bookingIds` (as the API returns them; and the seats they hold) lapsed now. Returns the database time at
 * which they lapsed, to measure how soon something reacted to the lapse.
 */
export async function lapseHolds(prisma: PrismaClient, bookingIds: readonly string[]): Promise<Date> {
  const ids = databaseIds(bookingIds);
  return prisma.$transaction(async (tx) => {
    // One transaction: both statements see the same now(), which is also when the lapse becomes visible.
    const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    await tx.$executeRaw`UPDATE bookings SET expires_at = now() - interval '1 second'
                         WHERE id = ANY(${databaseIds(ids)}::uuid[]) AND status = 'PENDING'`;
    await tx.$executeRaw`UPDATE seats SET hold_expires_at = now() - interval '1 second'
                         WHERE booking_id = ANY(${databaseIds(ids)}::uuid[]) AND status = 'held'`;
    return row!.now;
  });
}

/**
 * A 1 × 1 show that started a second ago, written directly: the API refuses to create a show in the past, and keeps
 * a show's start time once it has seen the show, so moving starts_at of a show it created would not reach it.
 */
export async function insertStartedShow(prisma: PrismaClient): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    const [show] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO shows (name, starts_at, row_count, seats_per_row, total_seats)
      VALUES ('Already started', now() - interval '1 second', 1, 1, 1) RETURNING id::text AS id`;
    await tx.$executeRaw`INSERT INTO seats (show_id, seat_number, row_label, row_index, seat_in_row, ordinal,
                                            section_key, run_index, category_key, x, y)
                         VALUES (${databaseId(show!.id)}::uuid, 'A1', 'A', 0, 1, 0, 'MAIN', 0, 'STANDARD', 0, 0)`;
    return show!;
  });
}
