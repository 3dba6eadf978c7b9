import { type RedisServer, startRedisServer } from "../../support/redis-server";
import { startTestApp, type TestApp } from "../../support/test-app";

let redis: RedisServer;
let t: TestApp;
beforeAll(async () => {
  redis = await startRedisServer();
  t = await startTestApp({ REDIS_URL: redis.url });
});
afterAll(async () => {
  await t.stop();
  await redis.stop();
});

/** /readyz once the process has settled (a fresh process may report not ready while it connects to Redis). */
async function settledReadiness() {
  const deadline = Date.now() + 10_000;
  let ready = await get("/readyz");
  while (ready.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    ready = await get("/readyz");
  }
  return ready;
}

const get = async (path: string) => {
  const response = await fetch(t.app.address.replace("/graphql", path));
  return { status: response.status, body: (await response.json()) as { status: string; checks?: { name: string; ok: boolean; detail?: string }[] } };
};

describe("health endpoints", () => {
  it("/healthz says the process is alive; /readyz checks the database, migrations and Redis", async () => {
    expect(await get("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    const ready = await settledReadiness();
    expect(ready.status).toBe(200);
    expect(ready.body.checks!.map((c) => [c.name, c.ok])).toEqual([
      ["database", true],
      ["migrations", true],
      ["redis", true],
    ]);
  });

  it("/readyz answers 503 naming the failed check while Redis is down, and recovers", async () => {
    await redis.stop();
    const down = await get("/readyz");
    expect(down.status).toBe(503);
    expect(down.body.checks!.find((c) => c.name === "redis")).toMatchObject({ ok: false });
    expect((await get("/healthz")).status).toBe(200);
    await redis.start();
    expect((await settledReadiness()).status).toBe(200);
  });

  it("/readyz answers 503 when a migration is missing", async () => {
    await t.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`;
    try {
      const notReady = await get("/readyz");
      expect(notReady.status).toBe(503);
      expect(notReady.body.checks!.find((c) => c.name === "migrations")?.detail).toMatch(/not applied/);
    } finally {
      // Restored even when an assertion fails, so a later test on this app sees every migration applied.
      await t.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL`;
    }
  });
});
