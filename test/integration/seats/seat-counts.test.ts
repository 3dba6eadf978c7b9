import pg from "pg";
import { CancelBookingDocument, ConfirmBookingDocument, ShowsDocument } from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  // Long holds: the tests make them lapse when they want to (lapseHolds).
  t = await startTestApp({ HOLD_TTL_SECONDS: "300", MAX_QUERY_COMPLEXITY: "1000000" });
});
afterAll(() => t.stop());

const countsThroughService = async (showId: string) =>
  (await t.app.container.seats.countSeats([databaseId(showId)]))[0];
/**
 * Holds through the API, then drops the show's live map (as an idle map is dropped): apart from the last test,
 * these tests are about the counts of shows this process does not keep live.
 */
async function holdNotLive(input: { showId: string; seatNumbers: string[] }, user = uniqueUser()) {
  const payload = await hold(t, user, input);
  t.app.container.liveSeatMaps.drop(databaseId(input.showId));
  return payload;
}
const expectNotLive = (showId: string) => expect(t.app.container.liveSeatMaps.peek(databaseId(showId))).toBeNull();

/** The show's seats by status, counted in the database. */
async function countsInDatabase(showId: string) {
  const [row] = await t.prisma.$queryRaw<{ available: number; held: number; booked: number; blocked: number }[]>`
    SELECT (count(*) FILTER (WHERE status = 'available'))::int AS available,
           (count(*) FILTER (WHERE status = 'held'))::int AS held,
           (count(*) FILTER (WHERE status = 'booked'))::int AS booked,
           (count(*) FILTER (WHERE status = 'blocked'))::int AS blocked
    FROM seats WHERE show_id = ${databaseId(showId)}::uuid`;
  return row!;
}

const isCount = (sql: string) => sql.includes("/* seat_counts */");
const isCheck = (sql: string) => sql.includes("/* seat_counts_changed */");

/** Seat changes as the booking statements write them (NEW_VERSION), for SQL sent as "another process". */
const releaseSql = (showId: string, seatNumber: string) => `
  UPDATE seats SET status = 'available', booking_id = NULL, hold_expires_at = NULL, hold_address = NULL,
                   address_slot = NULL, version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()
  WHERE show_id = '${databaseId(showId)}' AND seat_number = '${seatNumber}' RETURNING version::text`;
const bookSql = (showId: string, seatNumber: string) => `
  UPDATE seats SET status = 'booked', hold_expires_at = NULL, hold_address = NULL, address_slot = NULL,
                   version = nextval('seat_version_seq'), changed_xid = pg_current_xact_id()
  WHERE show_id = '${databaseId(showId)}' AND seat_number = '${seatNumber}' AND status = 'held' RETURNING version::text`;

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.database.url });
  await client.connect();
  return client;
}

describe("seat counts", () => {
  it("are exact after holds, confirms, cancels and expiries, and read no seats while nothing changed", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const expectExact = async () =>
      expect(await countsThroughService(show.id)).toEqual(await countsInDatabase(show.id));
    await expectExact();

    const user = uniqueUser();
    const confirmed = await holdNotLive({ showId: show.id, seatNumbers: ["A1", "A2"] }, user);
    await expectExact();
    await t.ok(ConfirmBookingDocument, { id: confirmed.booking!.id }, { as: user });
    await expectExact();
    const cancelled = await holdNotLive({ showId: show.id, seatNumbers: ["A3"] }, user);
    await expectExact();
    await t.ok(CancelBookingDocument, { id: cancelled.booking!.id }, { as: user });
    await expectExact();
    const lapsing = await holdNotLive({ showId: show.id, seatNumbers: ["B1", "B2", "B3"] });
    await lapseHolds(t.prisma, [lapsing.booking!.id]);
    await expectExact(); // lapsed but not yet released: still held
    await t.app.container.expiryTask.runOnce();
    await expectExact();
    expect(await countsThroughService(show.id)).toEqual({ available: 8, held: 0, booked: 2, blocked: 0 });
    expectNotLive(show.id);

    // Unchanged since the last count: one check, no count.
    const unchanged = await statementsDuring(t, () => countsThroughService(show.id));
    expect(unchanged.filter(isCheck)).toHaveLength(1);
    expect(unchanged.filter(isCount)).toHaveLength(0);
  });

  it("see a change written to the database by another process", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await holdNotLive({ showId: show.id, seatNumbers: ["A1", "A2"] });
    expect(await countsThroughService(show.id)).toEqual({ available: 2, held: 2, booked: 0, blocked: 0 });
    const other = await connect();
    try {
      await other.query(bookSql(show.id, "A1"));
    } finally {
      await other.end();
    }
    const afterChange = await statementsDuring(t, async () =>
      expect(await countsThroughService(show.id)).toEqual({ available: 2, held: 1, booked: 1, blocked: 0 }),
    );
    expect(afterChange.filter(isCount)).toHaveLength(1);
    expectNotLive(show.id);
  });

  it("see a change whose transaction drew its version before a count and committed after it", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await holdNotLive({ showId: show.id, seatNumbers: ["A1"] });
    await holdNotLive({ showId: show.id, seatNumbers: ["A2"] });
    const early = await connect();
    const late = await connect();
    try {
      await early.query("BEGIN");
      const drawnEarly = await early.query<{ version: string }>(bookSql(show.id, "A1")); // commits last
      const drawnLate = await late.query<{ version: string }>(releaseSql(show.id, "A2")); // committed at once
      const lateVersion = BigInt(drawnLate.rows[0]!.version);
      expect(lateVersion).toBeGreaterThan(BigInt(drawnEarly.rows[0]!.version));

      // Counted while the early transaction is open: the highest version seen is A2's, above the early change's.
      expect(await countsThroughService(show.id)).toEqual({ available: 3, held: 1, booked: 0, blocked: 0 });
      await early.query("COMMIT");
      // The show's highest version is the same as at the count: only the snapshot tells the count is stale.
      const [{ max }] = await t.prisma.$queryRaw<{ max: bigint }[]>`
        SELECT max(version) AS max FROM seats WHERE show_id = ${databaseId(show.id)}::uuid`;
      expect(max).toBe(lateVersion);
      expect(await countsThroughService(show.id)).toEqual({ available: 3, held: 0, booked: 1, blocked: 0 });
      expect(await countsThroughService(show.id)).toEqual(await countsInDatabase(show.id));
      expectNotLive(show.id);
    } finally {
      await early.query("ROLLBACK").catch(() => undefined);
      await early.end();
      await late.end();
    }
  });

  it("see a change whose version was drawn before a count by a transaction that began after it", async () => {
    // A statement takes its version (nextval) before its transaction gets an id: modelled with a version drawn first.
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await holdNotLive({ showId: show.id, seatNumbers: ["A1"] });
    await holdNotLive({ showId: show.id, seatNumbers: ["A2"] });
    const other = await connect();
    try {
      const [{ drawn }] = (await other.query<{ drawn: string }>("SELECT nextval('seat_version_seq')::text AS drawn"))
        .rows as [{ drawn: string }];
      await other.query(releaseSql(show.id, "A2")); // a higher version, committed before the count
      expect(await countsThroughService(show.id)).toEqual({ available: 3, held: 1, booked: 0, blocked: 0 });
      await other.query(
        bookSql(show.id, "A1").replace("version = nextval('seat_version_seq')", `version = ${BigInt(drawn)}`),
      );
      expect(await countsThroughService(show.id)).toEqual({ available: 3, held: 0, booked: 1, blocked: 0 });
      expectNotLive(show.id);
    } finally {
      await other.end();
    }
  });

  it("answer a page of shows with one check when none changed, and count only the show that did", async () => {
    for (let i = 0; i < 5; i++) await createShow(t, { rows: 1, seatsPerRow: 3 });
    const page = async () => (await t.ok(ShowsDocument, { first: 100 })).shows.edges.map((edge) => edge.node);
    await page();
    const unchanged = await statementsDuring(t, page);
    expect(unchanged.filter(isCheck)).toHaveLength(1);
    expect(unchanged.filter(isCount)).toHaveLength(0);

    const shows = await page();
    const changedShow = shows[shows.length - 1]!;
    await holdNotLive({ showId: changedShow.id, seatNumbers: ["A1", "A2"] });
    let after: Awaited<ReturnType<typeof page>> = [];
    const changed = await statementsDuring(t, async () => (after = await page()));
    expect(changed.filter(isCount)).toHaveLength(1);
    expect(after.find((show) => show.id === changedShow.id)!.heldSeats).toBe(2);
    for (const show of after) {
      const exact = await countsInDatabase(show.id);
      expect([show.availableSeats, show.heldSeats, show.bookedSeats]).toEqual([
        exact.available,
        exact.held,
        exact.booked,
      ]);
    }
  });

  it("total every show's seats by status without a grouped read of every seat", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 5 });
    await t.app.container.seats.totalsByStatus(); // every show counted once
    await holdNotLive({ showId: show.id, seatNumbers: ["A1", "A2"] });
    let totals = { available: 0, held: 0, booked: 0, blocked: 0 };
    const statements = await statementsDuring(t, async () => (totals = await t.app.container.seats.totalsByStatus()));
    const [exact] = await t.prisma.$queryRaw<{ available: number; held: number; booked: number; blocked: number }[]>`
      SELECT (count(*) FILTER (WHERE status = 'available'))::int AS available,
             (count(*) FILTER (WHERE status = 'held'))::int AS held,
             (count(*) FILTER (WHERE status = 'booked'))::int AS booked,
             (count(*) FILTER (WHERE status = 'blocked'))::int AS blocked FROM seats`;
    expect(totals).toEqual(exact);
    // The list of shows, one check of them all, and a count of the one show that changed.
    expect(statements.filter(isCheck)).toHaveLength(1);
    expect(statements.filter(isCount)).toHaveLength(1);
    expect(statements).toHaveLength(3);
  });

  it("of a show live in this process come from its live map, without a statement", async () => {
    const show = await createShow(t, { rows: 4, seatsPerRow: 10 });
    await t.app.container.liveSeatMaps.get(databaseId(show.id));
    const holds = Array.from({ length: 20 }, () => hold(t, uniqueUser(), { showId: show.id, quantity: 2 }));
    const reads = Array.from({ length: 20 }, () => countsThroughService(show.id));
    await Promise.all([...holds, ...reads]);
    let counts = await countsThroughService(show.id);
    const statements = await statementsDuring(t, async () => (counts = await countsThroughService(show.id)));
    expect(statements).toEqual([]);
    expect(counts).toEqual(await countsInDatabase(show.id));
    expect(counts!.held).toBeGreaterThan(0);
  });
});
