import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { createDatabase, migrate, MIGRATIONS_DIR, readMigrations } from "../../support/from-src";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.drop());

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Where a seat of a one-row rectangle sits (what show creation copies from the layout). */
const placed = (ordinal: number) => ({
  ordinal,
  sectionKey: "MAIN",
  runIndex: 0,
  categoryKey: "STANDARD",
  x: ordinal,
  y: 0,
});

describe("migrations", () => {
  it("apply once even when several processes start at the same time, recorded the way Prisma Migrate records them", async () => {
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(files.map((f) => f.name).sort());

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
      logs: string | null;
    }>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const row of rows) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row).toMatchObject({ applied_steps_count: 1, rolled_back_at: null, logs: null });
    }
    expect(await migrate(database.url)).toEqual({ applied: [], modified: [] });
  });

  it("leave a schema the Prisma client can use for every model", async () => {
    const { prisma, disconnect } = createDatabase(database.url, 2);
    try {
      const show = await prisma.show.create({
        data: {
          name: "Prisma check",
          startsAt: new Date("2030-01-01T00:00:00Z"),
          rowCount: 1,
          seatsPerRow: 2,
          totalSeats: 2,
        },
      });
      const booking = await prisma.booking.create({
        data: {
          showId: show.id,
          userId: "u",
          status: "PENDING",
          seatNumbers: ["A1"],
          expiresAt: new Date(Date.now() + 60_000),
          idempotencyKey: "k",
        },
      });
      await prisma.seat.createMany({
        data: [
          {
            showId: show.id,
            seatNumber: "A1",
            rowLabel: "A",
            rowIndex: 0,
            seatInRow: 1,
            ...placed(0),
            status: "held",
            bookingId: booking.id,
            holdExpiresAt: booking.expiresAt,
          },
          { showId: show.id, seatNumber: "A2", rowLabel: "A", rowIndex: 0, seatInRow: 2, ...placed(1) },
        ],
      });
      const loaded = await prisma.show.findUniqueOrThrow({
        where: { id: show.id },
        include: { seats: { orderBy: { seatInRow: "asc" } }, bookings: { include: { seats: true } } },
      });
      expect(loaded.seats.map((s) => [s.seatNumber, s.status])).toEqual([
        ["A1", "held"],
        ["A2", "available"],
      ]);
      expect(loaded.bookings[0]!.seats.map((s) => s.seatNumber)).toEqual(["A1"]);
      expect(typeof loaded.seats[0]!.id).toBe("bigint");
      // The database itself refuses states the model forbids.
      await expect(
        prisma.seat.update({ where: { id: loaded.seats[1]!.id }, data: { status: "booked" } }),
      ).rejects.toThrow();
      await expect(
        prisma.booking.create({
          data: { showId: show.id, userId: "u", status: "PENDING", seatNumbers: [], idempotencyKey: "k" },
        }),
      ).rejects.toThrow();
      await expect(
        prisma.booking.create({ data: { showId: show.id, userId: "u", status: "FAILED", seatNumbers: [] } }),
      ).rejects.toThrow();
    } finally {
      await disconnect();
    }
  });

  it("refuses to start on a migration that failed halfway", async () => {
    const broken = await createTestDatabase({ migrate: false });
    try {
      const client = new pg.Client({ connectionString: broken.url });
      await client.connect();
      await migrate(broken.url);
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = NULL`);
      await client.end();
      await expect(migrate(broken.url)).rejects.toThrow(/failed earlier/);
    } finally {
      await broken.drop();
    }
  });
});
