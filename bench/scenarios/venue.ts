import { gunzipSync } from "node:zlib";
import pg from "pg";
import { token } from "../lib/environment";
import { type GraphQLClient, type GraphQLResult, OPERATIONS, outcomeOf } from "../lib/graphql";
import { type SeatInserts, type Timing, type VenueReads, type VenueResult } from "../lib/results";
import { now, Recorder, round } from "../lib/stats";
import { type Check } from "../lib/verify";
import { PRICES, venueLayout } from "../lib/venue-layout";
import { type LayoutDefinition } from "../../src/venues/layout/layout.types";
import { databaseId } from "../lib/ids";

type MapRead = keyof VenueReads<unknown>;
const READS: VenueReads<string> = {
  /** What a seat-map page reads once: the static layout, every seat's status, and the categories with prices. */
  map: `query ($id: ID!) { show(id: $id) {
    layout { seatCount rows { section label index seats { id seatNumber number x y category accessibility adjacentToNext } } }
    availability { seatMapVersion statuses availableSeats }
    categories { key label color price { amount currency } totalSeats availableSeats } } }`,
  seats: OPERATIONS.seatMap,
};
const CREATE_VENUE = `mutation ($input: CreateVenueInput!) {
  createVenue(input: $input) { venue { id layout { totalSeats } } userErrors { code message field } } }`;
const CREATE_SHOW = `mutation ($input: CreateShowInput!) {
  createShow(input: $input) { show { id totalSeats } userErrors { code message field } } }`;
const HOLD = `mutation ($input: HoldSeatsInput!) {
  holdSeats(input: $input) { booking { id } adjacent userErrors { code } } }`;
/** The middle band: best available has to pass the PREMIUM front rows (and the ACCESSIBLE pairs) to find it. */
const HOLD_CATEGORIES = ["STANDARD"];

type Payload<K extends string, T> = { [key in K]: T & { userErrors: { code: string }[] } };
type SeatMap = {
  show?: {
    layout: { seatCount: number; rows: { seats: unknown[] }[] };
    availability: { statuses: string; availableSeats: number };
    categories: { totalSeats: number }[];
  };
};

interface Options {
  readonly seats: number;
  readonly repetitions: number;
  readonly warmReads: number;
  readonly holds: number;
  readonly log: (message: string) => void;
}

/** Milliseconds per repetition of each timed step. */
type Samples = Record<"venue" | "show" | MapRead, number[]>;

/**
 * A generated venue created through the API `repetitions` times with a show on each: both timed, the show's seats
 * counted everywhere they can be (and the statements that inserted them, from pg_stat_statements), and the first read
 * of each new show's seat map timed; then, on the last show, warm reads one at a time, the response sizes, and
 * best-available holds by distinct users, each cancelled after.
 */
export async function venueScenario(client: GraphQLClient, databaseUrl: string, options: Options) {
  const { layout, ...venue } = venueLayout(options.seats, 11);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ms: Samples = { venue: [], show: [], map: [], seats: [] };
  const shows: MadeShow[] = [];
  try {
    for (let i = 0; i < options.repetitions; i++) {
      options.log(`venue ${i + 1}/${options.repetitions}: createVenue, createShow, first reads`);
      shows.push(await showOnNewVenue(client, db, { layout, seats: venue.seats }, i, ms));
    }
    const last = shows.at(-1)!.id;
    options.log(`venue: ${options.warmReads} warm reads of each kind, ${options.holds} best-available holds`);
    const warm = {
      map: await warmReads(client, "map", last, options),
      seats: await warmReads(client, "seats", last, options),
    };
    const holds = await bestAvailableHolds(client, db, last, options.holds);

    const { seats } = venue;
    const inserts = shows.flatMap((show) => (show.inserts ? [show.inserts] : []));
    const oneStatementEach = inserts.every((x) => x.statements === 1 && x.materializeCalls === 1 && x.rows === seats);
    const wrongCounts = shows.flatMap((show, i) => (show.wrongCounts ? [`show ${i}: ${show.wrongCounts}`] : []));
    const checks: Check[] = [
      {
        name: `venue: every show has the layout's ${seats} seats (venue, show, database, layout, statuses, categories, seat list)`,
        ok: wrongCounts.length === 0,
        detail: wrongCounts.join("; ") || `${shows.length} shows`,
      },
      {
        name: `venue: ${options.holds} best-available holds of 2 ${HOLD_CATEGORIES.join("/")} seats won, side by side, in the category, cancelled`,
        ok: holds.problems.length === 0,
        detail: holds.problems.slice(0, 5).join("; ") || "all",
      },
    ];
    if (inserts.length === shows.length)
      checks.push({
        name: `venue: each show's ${seats} seats inserted by one statement (materialize_seats)`,
        ok: oneStatementEach,
        detail: inserts.map((x) => `${x.statements} (${x.materializeCalls} materialize), ${x.rows} rows`).join("; "),
      });
    const result: VenueResult = {
      venue,
      repetitions: options.repetitions,
      createVenueMs: timing(ms.venue),
      createShowMs: timing(ms.show),
      seatInserts:
        inserts.length < shows.length
          ? { skipped: "pg_stat_statements is not available on this server" }
          : {
              perShow: inserts.map((x) => ({ ...x, materializeMs: round(x.materializeMs) })),
              materializeMs: timing(inserts.map((x) => x.materializeMs)),
              oneStatementEach,
            },
      firstReadMs: { map: timing(ms.map), seats: timing(ms.seats) },
      warmRead: { map: warm.map.latency, seats: warm.seats.latency },
      responseBytes: { map: warm.map.bytes, seats: warm.seats.bytes },
      hold: { ...holds.latency, quantity: 2, categories: HOLD_CATEGORIES, adjacentFlagWrong: holds.adjacentFlagWrong },
      showIds: shows.map((show) => show.id),
    };
    return { result, checks };
  } finally {
    await db.end();
  }
}

interface MadeShow {
  readonly id: string;
  /** Null without pg_stat_statements. */
  readonly inserts: SeatInserts | null;
  /** The counts of its seats that differ from the layout's, or null when none does. */
  readonly wrongCounts: string | null;
}

/**
 * Repetition `i`: a new venue and a show on it (each timed into `ms`), the show's seats counted by the API, in the
 * database and in its first reads (the map first, then the seat list, each timed into `ms`).
 */
async function showOnNewVenue(
  client: GraphQLClient,
  db: pg.Client,
  venue: { layout: LayoutDefinition; seats: number },
  i: number,
  ms: Samples,
): Promise<MadeShow> {
  const admin = token(`bench-venue-admin-${i}`, "admin");
  const input = { name: `bench venue ${i}`, timeZone: "Europe/Vienna", layout: venue.layout };
  type Venue = Payload<"createVenue", { venue: { id: string; layout: { totalSeats: number } } | null }>;
  const made = (await timed(ms.venue, () => client.request<Venue>(CREATE_VENUE, { input }, admin))).data;
  const venueId = made?.createVenue.venue?.id;
  if (!venueId) throw new Error(`createVenue failed: ${JSON.stringify(made).slice(0, 2000)}`);
  await seatInsertsSinceLastCall(db);
  const startsAtLocal = `${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T19:30`;
  const showInput = { name: `bench venue show ${i}`, venueId, startsAtLocal, prices: PRICES };
  type Show = Payload<"createShow", { show: { id: string; totalSeats: number } | null }>;
  const created = await timed(ms.show, () => client.request<Show>(CREATE_SHOW, { input: showInput }, admin));
  const show = created.data?.createShow.show;
  if (!show) throw new Error(`createShow failed: ${JSON.stringify(created).slice(0, 2000)}`);
  const inserts = await seatInsertsSinceLastCall(db);
  const stored = await db.query<{ n: string }>("SELECT count(*) AS n FROM seats WHERE show_id = $1", [
    databaseId(show.id),
  ]);
  const map = (await read(client, "map", show.id, "gzip", ms.map)).data<SeatMap>().show;
  const seatList = (await read(client, "seats", show.id, "gzip", ms.seats)).data<{ show?: { seats: unknown[] } }>();
  const counted = {
    venue: made!.createVenue.venue!.layout.totalSeats,
    show: show.totalSeats,
    database: Number(stored.rows[0]!.n),
    layoutSeatCount: map?.layout.seatCount,
    layoutRows: map?.layout.rows.reduce((sum, row) => sum + row.seats.length, 0),
    statuses: map?.availability.statuses.length,
    available: map?.availability.availableSeats,
    categories: map?.categories.reduce((sum, category) => sum + category.totalSeats, 0),
    seatList: seatList.show?.seats.length,
  };
  const wrong = Object.entries(counted).filter(([, n]) => n !== venue.seats);
  return {
    id: show.id,
    inserts,
    wrongCounts: wrong.length > 0 ? wrong.map(([what, n]) => `${what} ${n}`).join(", ") : null,
  };
}

/** `warmReads` reads of the show one at a time (gzip), then one without Accept-Encoding for its size. */
async function warmReads(client: GraphQLClient, kind: MapRead, showId: string, { warmReads }: Options) {
  const latency = new Recorder();
  let gzip = 0;
  for (let i = 0; i < warmReads; i++) {
    const start = now();
    const answer = await read(client, kind, showId, "gzip");
    latency.record(now() - start, answer.status === 200 ? "OK" : `HTTP_${answer.status}`);
    gzip = answer.bytes;
  }
  return { latency: latency.summary(), bytes: { uncompressed: (await read(client, kind, showId)).bytes, gzip } };
}

async function timed<T>(samples: number[], operation: () => Promise<T>): Promise<T> {
  const start = now();
  const result = await operation();
  samples.push(now() - start);
  return result;
}

/**
 * One read, timed to its last byte into `samples` when given; `bytes` is its size on the wire, `data()` the decoded
 * answer's data (it throws on GraphQL errors, which no read of this scenario may meet).
 */
async function read(client: GraphQLClient, kind: MapRead, showId: string, acceptEncoding?: string, samples?: number[]) {
  const operation = () => client.requestBytes(READS[kind], { id: showId }, acceptEncoding);
  const { status, contentEncoding, body } = await (samples ? timed(samples, operation) : operation());
  const data = <T>() => {
    const text = (contentEncoding === "gzip" ? gunzipSync(body) : body).toString("utf8");
    const answer = JSON.parse(text) as GraphQLResult<T>;
    if (answer.errors?.length || !answer.data) throw new Error(`${kind} read failed: ${text.slice(0, 2000)}`);
    return answer.data;
  };
  return { status, bytes: body.byteLength, data };
}

/**
 * `count` best-available holds of 2 seats, one at a time, each by another user and cancelled after (untimed). Where
 * the held seats are, and whether they sit side by side (one run, consecutive numbers), is read from the database;
 * `adjacentFlagWrong` counts the answers whose `adjacent` says otherwise.
 */
async function bestAvailableHolds(client: GraphQLClient, db: pg.Client, showId: string, count: number) {
  type Hold = Payload<"holdSeats", { booking: { id: string } | null; adjacent: boolean | null }>;
  const latency = new Recorder();
  const problems: string[] = [];
  let adjacentFlagWrong = 0;
  for (let i = 0; i < count; i++) {
    const buyer = token(`bench-venue-buyer-${i}`);
    const input = { showId, seats: { quantity: 2 }, categories: HOLD_CATEGORIES };
    const start = now();
    const result = await client.request<Hold>(HOLD, { input }, buyer);
    const code = outcomeOf(result);
    latency.record(now() - start, code);
    const { booking, adjacent } = result.data?.holdSeats ?? {};
    if (!booking) {
      problems.push(`hold ${i}: ${code}`);
      continue;
    }
    const { rows } = await db.query<{ seats: string[]; together: boolean; in_categories: boolean }>(
      `SELECT array_agg(seat_number) AS seats, bool_and(category_key = ANY($2)) AS in_categories,
              count(*) = 2 AND count(DISTINCT run_index) = 1 AND max(seat_in_row) - min(seat_in_row) = 1 AS together
       FROM seats WHERE booking_id = $1`,
      [databaseId(booking.id), HOLD_CATEGORIES],
    );
    const held = rows[0]!;
    if (!held.together || !held.in_categories) problems.push(`hold ${i}: ${held.seats.join(", ")}`);
    if (adjacent !== held.together) adjacentFlagWrong++;
    type Cancel = Payload<"cancelBooking", object>;
    const cancelled = outcomeOf(
      await client.request<Cancel>(OPERATIONS.cancel, { input: { bookingId: booking.id } }, buyer),
    );
    if (cancelled !== "OK") problems.push(`cancel ${i}: ${cancelled}`);
  }
  return { latency: latency.summary(), problems, adjacentFlagWrong };
}

/**
 * What inserted into `seats` since the last call (each call resets this database's statement counters), or null
 * without pg_stat_statements.
 */
async function seatInsertsSinceLastCall(db: pg.Client): Promise<SeatInserts | null> {
  // PostgreSQL keeps a statement's text from its first token: the `/* materialize_seats */` tag in front is not in
  // it, so the statement is known by what it reads.
  const materialize = "(query LIKE '%materialize_seats%' OR query LIKE '%FROM venue_layout_seats%')";
  try {
    const { rows } = await db.query<SeatInserts>(
      `SELECT coalesce(sum(calls), 0)::float8 AS statements, coalesce(sum(rows), 0)::float8 AS rows,
              coalesce(sum(calls) FILTER (WHERE ${materialize}), 0)::float8 AS "materializeCalls",
              coalesce(sum(total_exec_time) FILTER (WHERE ${materialize}), 0)::float8 AS "materializeMs"
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query ~* 'insert\\s+into\\s+"?seats"?[\\s(]'`,
    );
    await db.query(
      "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)",
    );
    return rows[0]!;
  } catch {
    return null;
  }
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { samples: samples.map((x) => round(x)), median: round(median || 0), max: round(sorted.at(-1) ?? 0) };
}
