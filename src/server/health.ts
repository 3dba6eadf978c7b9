import { type Request, type Response, Router } from "express";
import { type PrismaClient } from "../db/prisma.js";
import { readMigrations } from "../db/migrate.js";
import { type EventBus, type EventMap } from "../realtime/event-bus.js";

export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/**
 * /healthz: the process is alive (for restarts). /readyz: it can serve (for load balancers): the database answers,
 * every migration in prisma/migrations is applied, and Redis answers when REDIS_URL is set. 503 otherwise, with
 * which check failed.
 */
export function healthRoutes(
  prisma: PrismaClient,
  eventBus: Pick<EventBus<EventMap>, "transport" | "healthy">,
): Router {
  const router = Router();
  // The migrations this build ships do not change while it runs: read them once, on the first probe.
  let expected: Promise<string[]> | undefined;
  const expectedMigrations = () => {
    expected ??= readMigrations().then((files) => files.map((m) => m.name));
    expected.catch(() => (expected = undefined)); // a failed read is retried on the next probe
    return expected;
  };
  router.get("/healthz", (_req: Request, res: Response) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req: Request, res: Response) => {
    const checks = await Promise.all([database(prisma), migrations(prisma, expectedMigrations), redis(eventBus)]);
    const ready = checks.every((check) => check.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

async function database(prisma: PrismaClient): Promise<ReadinessCheck> {
  try {
    await withTimeout(prisma.$queryRaw`/* ping */ SELECT 1`, 2000);
    return { name: "database", ok: true };
  } catch (error) {
    return { name: "database", ok: false, detail: (error as Error).message.split("\n")[0] };
  }
}

async function migrations(prisma: PrismaClient, expectedMigrations: () => Promise<string[]>): Promise<ReadinessCheck> {
  try {
    const expected = await expectedMigrations();
    const rows = await withTimeout(
      prisma.$queryRaw<{ migration_name: string }[]>`
        /* applied_migrations */ SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      2000,
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = expected.filter((name) => !applied.has(name));
    return missing.length === 0
      ? { name: "migrations", ok: true }
      : { name: "migrations", ok: false, detail: `not applied: ${missing.join(", ")}` };
  } catch (error) {
    return { name: "migrations", ok: false, detail: (error as Error).message.split("\n")[0] };
  }
}

async function redis(eventBus: Pick<EventBus<EventMap>, "transport" | "healthy">): Promise<ReadinessCheck> {
  if (eventBus.transport === "memory") return { name: "redis", ok: true, detail: "not configured" };
  const ok = await withTimeout(eventBus.healthy(), 2000).catch(() => false);
  return ok ? { name: "redis", ok } : { name: "redis", ok, detail: "no answer to PING" };
}
