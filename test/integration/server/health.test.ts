import { describeNeeding, redisUrl } from "../../support/external-services";
import { startTestApp, type TestApp } from "../../support/test-app";
import { readiness } from "../../support/health";

// What /readyz says while Redis is down is tested in test/system/redis-outages.test.ts (it stops a redis-server).

describeNeeding("redis", "health endpoints", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: redisUrl() });
  });
  afterAll(() => t.stop());

  it("/healthz says the process is alive; /readyz checks the database, migrations and Redis", async () => {
    expect(await readiness(t, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    const ready = await readiness(t, "/readyz", { settled: true });
    expect(ready.status).toBe(200);
    expect(ready.body.checks!.map((c) => [c.name, c.ok])).toEqual([
      ["database", true],
      ["migrations", true],
      ["redis", true],
    ]);
  });
});

describe("health endpoints without Redis", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it("/readyz answers 503 when a migration is missing", async () => {
    await t.prisma
      .$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`;
    try {
      const notReady = await readiness(t, "/readyz");
      expect(notReady.status).toBe(503);
      expect(notReady.body.checks!.find((c) => c.name === "migrations")?.detail).toMatch(/not applied/);
    } finally {
      // Restored even when an assertion fails, so a later test on this app sees every migration applied.
      await t.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL`;
    }
  });
});
