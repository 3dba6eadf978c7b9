import pg from "pg";
import { request } from "undici";
import { type BenchApi, type BenchDatabase, createShow } from "../lib/environment";
import { type GraphQLClient, OPERATIONS } from "../lib/graphql";
import { now, Recorder, round } from "../lib/stats";
import { databaseId } from "../lib/ids";

export interface StoredSeatsStep {
  readonly shows: number;
  readonly storedSeats: number;
  /** Seconds it took to create this step's shows (and VACUUM ANALYZE them). */
  readonly setupSeconds: number;
  readonly showsPage: ReturnType<Recorder["summary"]>;
  readonly metrics: ReturnType<Recorder["summary"]>;
}

interface Options {
  /** Seats of each show (rows × seatsPerRow). */
  readonly hall: { rows: number; seatsPerRow: number };
  /** Stored seats at each measured step after the first (one show): e.g. [1e6, 1e7]. */
  readonly steps: number[];
  readonly pageRequests: number;
  readonly scrapes: number;
  readonly log: (message: string) => void;
}

/**
 * Cost that should not grow with the database: a page of 20 shows with their counts, and a `/metrics` scrape, timed
 * one at a time (p50 of many) with one show stored, then after growing the database (its own, so the other scenarios
 * are unaffected) to each step's number of seats. The first show is created through `createShow`; the others are
 * copies of it made in SQL (createShow takes ~0.4 s per 10,000 seats on a busy 2-core machine: an hour for 10M).
 */
export async function storedSeats(
  database: BenchDatabase,
  api: BenchApi,
  client: GraphQLClient,
  options: Options,
): Promise<StoredSeatsStep[]> {
  const seatsPerShow = options.hall.rows * options.hall.seatsPerRow;
  const steps: StoredSeatsStep[] = [];
  const template = await createShow(client, "stored 0", options.hall.rows, options.hall.seatsPerRow);
  let shows = 1;
  const db = new pg.Client({ connectionString: database.url });
  // Dropping the database at the end (or after a failure) ends this connection: not an error to crash on.
  db.on("error", () => undefined);
  await db.connect();
  const grow = async (target: number) => {
    const started = now();
    // Maintaining the seats' secondary indexes row by row is most of the cost of a copy; built afterwards from the
    // finished table they cost a fraction (the same indexes, by the migrations' own definitions).
    const indexes = target - shows > COPY_BATCH ? await dropSecondaryIndexes(db, "seats") : [];
    for (; shows < target; shows += Math.min(COPY_BATCH, target - shows))
      await copyShow(db, template, shows, Math.min(COPY_BATCH, target - shows));
    for (const definition of indexes) await db.query(definition);
    await database.settle();
    return (now() - started) / 1000;
  };
  for (const target of [1, ...options.steps.map((seats) => Math.ceil(seats / seatsPerShow))]) {
    options.log(`stored seats: growing to ${target} shows (${(target * seatsPerShow).toLocaleString("en")} seats)`);
    const setupSeconds = await grow(target);
    steps.push({
      shows,
      storedSeats: shows * seatsPerShow,
      setupSeconds: round(setupSeconds, 1),
      showsPage: await timeEach(options.pageRequests, async () => {
        const result = await client.request<{ shows: { edges: unknown[] } }>(OPERATIONS.showsPage, {});
        if (!result.data?.shows.edges.length) throw new Error(`shows page failed: ${JSON.stringify(result)}`);
      }),
      metrics: await timeEach(options.scrapes, async () => {
        const response = await request(api.metricsUrl);
        const text = await response.body.text();
        if (response.statusCode !== 200 || !text.includes("booking_api_"))
          throw new Error(`/metrics answered ${response.statusCode}`);
      }),
    });
  }
  await db.end();
  return steps;
}

/** Shows copied per statement (each copy is one show's seats: 10,000 rows in the full run). */
const COPY_BATCH = 20;

/**
 * `count` copies of show `template` numbered from `first`: its row, its seats and its rows in any other table keyed by
 * show_id (bookings and booking events aside: a copy made in SQL is no change anyone was told of), column for column,
 * so columns and per-show tables added later are copied too.
 */
async function copyShow(db: pg.Client, template: string, first: number, count: number): Promise<void> {
  const { rows: tables } = await db.query<{ table_name: string; columns: string[]; has_id: boolean }>(
    `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)
              FILTER (WHERE column_name NOT IN ('id', 'show_id')) AS columns,
            bool_or(column_name = 'id') AS has_id
     FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name IN (
       SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'show_id'
     ) AND table_name NOT IN ('bookings', 'booking_outbox', 'booking_events') AND is_generated = 'NEVER'
     GROUP BY table_name`,
  );
  const showColumns = (
    await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = 'shows' AND column_name NOT IN ('id', 'name')`,
    )
  ).rows.map((r) => quote(r.column_name));
  await db.query("BEGIN");
  try {
    const { rows: copies } = await db.query<{ id: string }>(
      `INSERT INTO shows (id, name, ${showColumns.join(", ")})
       SELECT gen_random_uuid(), 'stored ' || n, ${showColumns.map((c) => `t.${c}`).join(", ")}
       FROM shows t, generate_series($2::int, $3::int) AS n WHERE t.id = $1 RETURNING id`,
      [databaseId(template), first, first + count - 1],
    );
    const ids = copies.map((c) => c.id);
    for (const table of tables) {
      // Rows with their own id column get a fresh one from its default (a sequence or gen_random_uuid()).
      const columns = table.columns.map(quote);
      await db.query(
        `INSERT INTO ${quote(table.table_name)} (show_id, ${columns.join(", ")})
         SELECT copy.id, ${columns.map((c) => `t.${c}`).join(", ")}
         FROM ${quote(table.table_name)} t CROSS JOIN unnest($2::uuid[]) AS copy(id) WHERE t.show_id = $1`,
        [databaseId(template), ids],
      );
    }
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  }
}

/** Drops `table`'s indexes that back no constraint; returns their definitions, to create them again. */
async function dropSecondaryIndexes(db: pg.Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [table],
  );
  for (const index of rows) await db.query(`DROP INDEX ${index.name}`);
  return rows.map((index) => index.definition);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Runs `operation` `count` times one after the other, after a few untimed warm-up runs. */
async function timeEach(count: number, operation: () => Promise<void>) {
  for (let i = 0; i < 3; i++) await operation();
  const recorder = new Recorder();
  for (let i = 0; i < count; i++) {
    const start = now();
    await operation();
    recorder.record(now() - start);
  }
  return recorder.summary();
}
