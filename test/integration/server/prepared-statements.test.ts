import pg from "pg";
import { createDatabase, Prisma, preparedSqlClient } from "../../support/from-src";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface PreparedRow {
  name: string;
  statement: string;
  generic_plans: string;
  custom_plans: string;
}

/** The statements prepared on the client's (single) connection, as that session sees them. */
const preparedOn = (sql: { query<T>(statement: { text: string; values: unknown[] }): Promise<T[]> }) =>
  sql.query<PreparedRow>(Prisma.sql`SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements`);

describe("the booking statements' client", () => {
  it("prepares a named statement once per connection and always runs its generic plan", async () => {
    // Pool size 2: one connection for Prisma, one for the booking statements, so every call below shares a session.
    const { sql, disconnect } = createDatabase(database.url, 2);
    try {
      for (const user of ["a", "b", "c", "d", "e", "f", "g"]) {
        const [row] = await sql.query<{ n: string }>(
          Prisma.sql`/* pending_of_user */ SELECT count(*) AS n FROM bookings WHERE user_id = ${user}`,
        );
        expect(row).toEqual({ n: "0" }); // int8 as pg gives it: a string (bookings/sql/rows.ts reads both)
      }
      const prepared = (await preparedOn(sql)).filter((s) => s.statement.includes("pending_of_user"));
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^pending_of_user_[0-9a-f]{12}$/);
      expect(prepared[0]).toMatchObject({ generic_plans: "7", custom_plans: "0" });
    } finally {
      await disconnect();
    }
  });

  it("prepares at most its bound of texts; the rest are sent unnamed", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const sql = preparedSqlClient(pool, 2);
    try {
      for (const n of [1, 2, 3, 4]) await sql.query(Prisma.sql`/* numbered */ SELECT ${n}::int + ${n * 10}::int AS x`);
      for (const n of [1, 2, 3, 4]) await sql.query(Prisma.sql`/* numbered */ SELECT ${n}::int + 1 AS x, ${n} AS y`);
      await sql.query(Prisma.sql`/* numbered */ SELECT 1 AS x, 2 AS y, 3 AS z`);
      expect((await preparedOn(sql)).filter((s) => s.name.startsWith("numbered_"))).toHaveLength(2);
    } finally {
      await pool.end();
    }
  });

  it("answers after a migration changes the columns a prepared statement returns", async () => {
    const { sql, disconnect } = createDatabase(database.url, 2);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query("CREATE TABLE widgets (id int PRIMARY KEY)");
      await admin.query("INSERT INTO widgets VALUES (1)");
      const widgets = () => sql.query<Record<string, unknown>>(Prisma.sql`/* widgets */ SELECT * FROM widgets`);
      expect(await widgets()).toEqual([{ id: 1 }]);
      await admin.query("ALTER TABLE widgets ADD COLUMN label text DEFAULT 'new'");
      expect(await widgets()).toEqual([{ id: 1, label: "new" }]);
    } finally {
      await admin.end();
      await disconnect();
    }
  });
});
