import pg from "pg";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";
import { databaseId, databaseIds } from "../../support/ids";

const SHOWS = 10;
const ROWS = 100;
const SEATS_PER_ROW = 100; // 10 shows of 10,000 seats: 100,000 seats stored

let t: TestApp;
/** A transaction that took an id before the seats were written and stays open: it holds every snapshot's xmin back. */
let longTransaction: pg.Client;
let showIds: string[];

beforeAll(async () => {
  t = await startTestApp({ HOLD_TTL_SECONDS: "300" });
  longTransaction = new pg.Client({ connectionString: t.database.url });
  await longTransaction.connect();
  await longTransaction.query("BEGIN");
  await longTransaction.query("SELECT pg_current_xact_id()");
  const shows = await t.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO shows (name, starts_at, row_count, seats_per_row, total_seats)
    SELECT 'Probe ' || n, now() + interval '1 day', ${ROWS}, ${SEATS_PER_ROW}, ${ROWS * SEATS_PER_ROW}
    FROM generate_series(1, ${SHOWS}) n RETURNING id::text AS id`;
  showIds = shows.map((show) => show.id);
  await t.prisma.$executeRaw`
    INSERT INTO seats (show_id, seat_number, row_label, row_index, seat_in_row, ordinal, section_key, run_index,
                       category_key, x, y)
    SELECT show_id, 'R' || r || '-' || c, 'R' || r, r, c, r * ${SEATS_PER_ROW} + c - 1, 'MAIN', r, 'STANDARD', c - 1, r
    FROM unnest(${databaseIds(showIds)}::uuid[]) AS show_id, generate_series(0, ${ROWS - 1}) r, generate_series(1, ${SEATS_PER_ROW}) c`;
  await t.prisma.$executeRawUnsafe("VACUUM ANALYZE seats");
}, 120_000);

afterAll(async () => {
  await longTransaction.query("ROLLBACK");
  await longTransaction.end();
  await t.stop();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The text of the validity check the service sends for a page of shows. */
async function checkStatement(): Promise<string> {
  await t.app.container.seats.countSeats(showIds); // (cached from here on)
  const statements = await statementsDuring(t, () => t.app.container.seats.countSeats(showIds));
  expect(statements.filter((sql) => sql.includes("/* seat_counts */"))).toHaveLength(0);
  const check = statements.find((sql) => sql.includes("/* seat_counts_changed */"));
  expect(check).toBeDefined();
  return check!;
}

/** Each show's seat-map version now (as a count would read it): its highest version, and a snapshot taken now. */
async function versionsNow(): Promise<{ versions: string[]; snapshot: string }> {
  const [now] = await t.prisma.$queryRaw<{ snapshot: string }[]>`SELECT pg_current_snapshot()::text AS snapshot`;
  const versions = await t.prisma.$queryRaw<{ version: string }[]>`
    SELECT (SELECT max(seats.version) FROM seats WHERE seats.show_id = shown.id)::text AS version
    FROM unnest(${databaseIds(showIds)}::uuid[]) WITH ORDINALITY AS shown(id, n) ORDER BY n`;
  return { versions: versions.map((row) => row.version), snapshot: now!.snapshot };
}

/** The check run under EXPLAIN ANALYZE for the shows at these versions: its plan's nodes. */
async function explain(check: string, at: { versions: string[]; snapshot: string }): Promise<PlanNode[]> {
  const [{ "QUERY PLAN": plans }] = await t.prisma.$queryRawUnsafe<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${check}`,
    showIds,
    at.versions,
    showIds.map(() => at.snapshot),
  );
  if (process.env.SHOW_PLAN) console.log(JSON.stringify(plans[0]!.Plan, null, 1));
  return nodesOf(plans[0]!.Plan);
}

/** Seats the plan read: rows its scans of `seats` returned or read and discarded. */
const seatsRead = (nodes: PlanNode[]) =>
  nodes
    .filter((node) => node["Relation Name"] === "seats")
    .reduce(
      (sum, node) =>
        sum +
        (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) *
          node["Actual Loops"],
      0,
    );

const onSeats = (nodes: PlanNode[]) => nodes.filter((node) => node["Relation Name"] === "seats");

describe("the seat-count validity check", () => {
  it("reads a few index entries per unchanged show, with 100,000 seats stored and a long transaction open", async () => {
    const nodes = await explain(await checkStatement(), await versionsNow());
    expect(onSeats(nodes).length).toBeGreaterThan(0);
    for (const node of onSeats(nodes)) expect(node["Node Type"]).toMatch(/^Index( Only)? Scan$/);
    // Per show: its highest version, its highest changed_xid (twice), one step per transaction running at the count.
    expect(seatsRead(nodes)).toBeLessThanOrEqual(4 * SHOWS);
  });

  it("finds a changed show with as few steps", async () => {
    const check = await checkStatement();
    const before = await versionsNow();
    await t.prisma.$executeRaw`
      UPDATE seats SET updated_at = now(), version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()
      WHERE show_id = ${databaseId(showIds[0]!)}::uuid AND seat_number = 'R0-1'`;
    const nodes = await explain(check, before);
    expect(nodes[0]!["Actual Rows"]).toBe(1); // the changed show
    for (const node of onSeats(nodes)) expect(node["Node Type"]).toMatch(/^Index( Only)? Scan$/);
    expect(seatsRead(nodes)).toBeLessThanOrEqual(4 * SHOWS);
    const recount = await statementsDuring(t, () => t.app.container.seats.countSeats(showIds));
    expect(recount.filter((sql) => sql.includes("/* seat_counts */"))).toHaveLength(1);
  });
});
