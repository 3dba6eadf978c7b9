import { randomUUID } from "node:crypto";
import pg from "pg";
import { BlockFinder } from "../../src/bookings/best-available";
import {
  cancellable,
  changeHeldStatement,
  type ClaimRow,
  claimStatement,
  confirmChange,
  exactSeats,
  nearestFrontCentre,
  releaseStatement,
} from "../../src/bookings/booking.statements";
import { type Prisma } from "../../src/db/prisma";
import { parseSeatNumber } from "../../src/seats/seat-layout";
import { type GraphQLClient, type HoldPayload, OPERATIONS, outcomeOf } from "./graphql";
import { token } from "./environment";

export interface HoldOutcome {
  readonly code: string;
  readonly bookingId?: string;
  /** Seats reported unavailable (explicit holds). */
  readonly unavailable?: string[];
}

/** One way of booking: through the API, or the same statements sent straight to PostgreSQL. */
export interface Booker {
  readonly name: string;
  hold(user: string, input: { seatNumbers?: string[]; quantity?: number }): Promise<HoldOutcome>;
  confirm(user: string, bookingId: string): Promise<string>;
  cancel(user: string, bookingId: string): Promise<string>;
  /** The seats a client would see as available right now. */
  available(user: string): Promise<string[]>;
}

export function apiBooker(client: GraphQLClient, showId: string): Booker {
  const tokenOf = (user: string) => token(user);
  return {
    name: "API",
    async hold(user, input) {
      const result = await client.request<HoldPayload>(OPERATIONS.hold, { input: { showId, ...input } }, tokenOf(user));
      const code = outcomeOf(result as never);
      const payload = result.data?.holdSeats;
      return { code, bookingId: code === "OK" ? payload?.booking?.id : undefined, unavailable: payload?.userErrors[0]?.seatNumbers ?? [] };
    },
    async confirm(user, bookingId) {
      return outcomeOf((await client.request(OPERATIONS.confirm, { id: bookingId }, tokenOf(user))) as never);
    },
    async cancel(user, bookingId) {
      return outcomeOf((await client.request(OPERATIONS.cancel, { id: bookingId }, tokenOf(user))) as never);
    },
    async available(user) {
      const result = await client.request<{ show: { seats: { seatNumber: string }[] } }>(OPERATIONS.available, { id: showId }, tokenOf(user));
      return result.data?.show.seats.map((s) => s.seatNumber) ?? [];
    },
  };
}

/**
 * The physical ceiling: BookingService's statements (from booking.statements.ts), in the same order, sent with
 * `pg` over a pool of `connections` — no HTTP, no GraphQL, no ORM.
 */
export function rawBooker(pool: pg.Pool, show: { id: string; seatsPerRow: number }, holdTtlSeconds: number): Booker {
  const run = async <T>(sql: Prisma.Sql): Promise<T[]> => (await pool.query(sql.text, sql.values as unknown[])).rows as T[];
  // Like BookingService: shared block searches follow this process's claims and releases.
  const claimed = (seatNumbers: string[]) => blocks.claimed(show.id, seatNumbers.map((n) => parseSeatNumber(n)!));
  const claim = (user: string, seatNumbers: string[] | null, target: Prisma.Sql, expected: number, recordFailure: boolean) =>
    run<ClaimRow>(
      claimStatement({
        bookingId: randomUUID(),
        userId: user,
        showId: show.id,
        key: null,
        seatNumbers,
        target,
        expected,
        recordFailure,
        holdTtlSeconds,
        maxActiveHolds: 3,
      }),
    ).then((rows) => {
      if (rows[0]!.status === "PENDING") claimed(rows[0]!.seat_numbers ?? []);
      return rows[0]!;
    });
  const blocks = new BlockFinder(run);
  return {
    name: "raw SQL",
    async hold(user, input) {
      if (input.seatNumbers) {
        const row = await claim(user, input.seatNumbers, exactSeats(input.seatNumbers, false), input.seatNumbers.length, true);
        return row.status === "PENDING"
          ? { code: "OK", bookingId: row.id }
          : { code: "SEATS_UNAVAILABLE", unavailable: input.seatNumbers.filter((n) => !(row.claimable ?? []).includes(n)) };
      }
      const quantity = input.quantity!;
      for (const { seatNumbers } of await blocks.candidates(show, quantity)) {
        const row = await claim(user, seatNumbers, exactSeats(seatNumbers, true), quantity, false);
        if (row.id) return { code: "OK", bookingId: row.id };
      }
      const row = await claim(user, null, nearestFrontCentre(show, quantity), quantity, true);
      return row.status === "PENDING" ? { code: "OK", bookingId: row.id } : { code: "SEATS_UNAVAILABLE" };
    },
    async confirm(user, bookingId) {
      return (await run(changeHeldStatement(bookingId, user, confirmChange))).length === 1 ? "OK" : "HOLD_EXPIRED";
    },
    async cancel(user, bookingId) {
      const cancelled = (await run(releaseStatement("CANCELLED", cancellable(bookingId, user)))).length === 1;
      if (cancelled) blocks.released(show.id);
      return cancelled ? "OK" : "HOLD_EXPIRED";
    },
    async available() {
      const { rows } = await pool.query<{ seat_number: string }>(
        "SELECT seat_number FROM seats WHERE show_id = $1 AND status = 'available' ORDER BY row_index, seat_in_row",
        [show.id],
      );
      return rows.map((r) => r.seat_number);
    },
  };
}
