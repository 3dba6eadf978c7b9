import pg from "pg";
import { BookingService } from "../../src/bookings/booking.service";
import { BookingStore } from "../../src/bookings/booking.store";
import { type Prisma } from "../../src/db/prisma";
import { preparedSqlClient } from "../../src/db/sql-client";
import { createLogger } from "../../src/platform/logger";
import { LiveSeatMaps } from "../../src/seats/live/live-seat-maps";
import { LiveSeatPicker } from "../../src/seats/live/live-seat-picker";
import { sqlSeatMapSource } from "../../src/seats/live/seat-map-source";
import { type Outcome } from "../../src/domain/problem";
import { loadConfig } from "../../src/platform/config";
import { type GraphQLClient, type HoldPayload, OPERATIONS, outcomeOf, type SeatSelection } from "./graphql";
import { token } from "./environment";
import { databaseId } from "./ids";

export interface HoldOutcome {
  readonly code: string;
  readonly bookingId?: string;
  /** Seats reported unavailable (explicit holds). */
  readonly unavailable?: string[];
}

/** One way of booking: through the API, or the same statements sent straight to PostgreSQL. */
export interface Booker {
  readonly name: string;
  hold(user: string, seats: SeatSelection): Promise<HoldOutcome>;
  confirm(user: string, bookingId: string): Promise<string>;
  cancel(user: string, bookingId: string): Promise<string>;
  /** The seats a client would see as available right now. */
  available(user: string): Promise<string[]>;
}

export function apiBooker(client: GraphQLClient, showId: string): Booker {
  const tokenOf = (user: string) => token(user);
  return {
    name: "API",
    async hold(user, seats) {
      const result = await client.request<HoldPayload>(OPERATIONS.hold, { input: { showId, seats } }, tokenOf(user));
      const code = outcomeOf(result as never);
      const payload = result.data?.holdSeats;
      return {
        code,
        bookingId: code === "OK" ? payload?.booking?.id : undefined,
        unavailable: payload?.userErrors[0]?.seatNumbers ?? [],
      };
    },
    async confirm(user, bookingId) {
      return outcomeOf((await client.request(OPERATIONS.confirm, { input: { bookingId } }, tokenOf(user))) as never);
    },
    async cancel(user, bookingId) {
      return outcomeOf((await client.request(OPERATIONS.cancel, { input: { bookingId } }, tokenOf(user))) as never);
    },
    async available(user) {
      const result = await client.request<{ show: { seats: { seatNumber: string }[] } }>(
        OPERATIONS.available,
        { id: showId },
        tokenOf(user),
      );
      return result.data?.show.seats.map((s) => s.seatNumber) ?? [];
    },
  };
}

/**
 * The physical ceiling: the API's own booking service (the same hold algorithm, so the same statements in the same
 * order, sent the same way) over `pool`'s database: no HTTP, no GraphQL, no ORM.
 */
export function rawBooker(
  pool: pg.Pool,
  apiShow: { id: string; rowCount: number; seatsPerRow: number },
  holdTtlSeconds: number,
): Booker {
  // The services below speak database ids; the show was made through the API.
  const show = { ...apiShow, id: databaseId(apiShow.id) };
  const sql = {
    query: async <T>(statement: Prisma.Sql) =>
      (await pool.query(statement.text, statement.values as unknown[])).rows as T[],
  };
  // As in the API, the booking statements have a pool of their own (as large as `pool`): its sessions plan once and
  // generically, which the seat-map reads on `pool` must not. It lets its connections go a second after the run.
  const statements = new pg.Pool({ ...pool.options, idleTimeoutMillis: 1000, allowExitOnIdle: true });
  statements.on("error", () => {}); // the benchmark drops the database under any connection still open
  const store = new BookingStore(preparedSqlClient(statements));
  // The same live seat map the API keeps (one process: its own changes are all there are).
  const maps = new LiveSeatMaps({
    source: sqlSeatMapSource(sql),
    repairIntervalMs: 1000,
    idleMs: 3_600_000,
    maxSeats: 1_000_000,
    logger: createLogger("warn", true),
  });
  const bookable = { ...show, startsAt: new Date(Date.now() + 365 * 86_400_000), noOrphanSeats: false };
  const service = new BookingService(
    store,
    { get: async (id) => (id === show.id ? bookable : null) },
    { publish: (changes) => maps.apply(changes) }, // nobody subscribes here
    new LiveSeatPicker(maps),
    { ...loadConfig({}).booking, holdTtlSeconds, maxActiveHoldsPerUser: 3, maxHeldSeatsPerAddress: 0 },
  );
  const codeOf = (outcome: Outcome<unknown>) => (outcome.ok ? "OK" : (outcome.problems[0]?.code ?? "ERROR"));
  const viewer = (user: string) => ({ id: user, role: "user" as const });
  return {
    name: "raw SQL",
    async hold(user, seats) {
      // The service takes the hold request as the API hands it over: the selection's one field beside showId.
      const outcome = await service.hold(user, { showId: show.id, ...seats });
      return outcome.ok
        ? { code: "OK", bookingId: outcome.value.id }
        : { code: codeOf(outcome), unavailable: outcome.problems[0]?.seatNumbers ?? [] };
    },
    async confirm(user, bookingId) {
      return codeOf(await service.confirm(viewer(user), bookingId));
    },
    async cancel(user, bookingId) {
      return codeOf(await service.cancel(viewer(user), bookingId));
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
