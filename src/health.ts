import { type Request, type Response, Router } from "express";
import { type PrismaClient } from "./db/prisma.js";
import { readMigrations } from "./db/migrate.js";
import { type EventBus } from "./pubsub.js";

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
export function healthRoutes(prisma: PrismaClient, eventBus: EventBus): Router {
  const router = Router();
  router.get("/healthz", (_req: Request, res: Response) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req: Request, res: Response) => {
    const checks = await Promise.all([database(prisma), migrations(prisma), redis(eventBus)]);
    const ready = checks.every((check) => check.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

async function database(prisma: PrismaClient): Promise<ReadinessCheck> {
  try {
    await withTimeout(prisma.$queryRaw`SELECT 1`, 2000);
    return { name: "database", ok: true };
  } catch (error) {
    return { name: "database", ok: false, detail: (error as Error).message.split("\n")[0] };
  }
}

async function migrations(prisma: PrismaClient): Promise<ReadinessCheck> {
  try {
    const expected = (await readMigrations()).map((m) => m.name);
    const rows = await withTimeout(
      prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      2000,
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = expected.filter((name) => !applied.has(name));
    return missing.length === 0 ? { name: "migrations", ok: true } : { name: "migrations", ok: false, detail: `not applied: ${missing.join(", ")}` };
  } catch (error) {
    return { name: "migrations", ok: false, detail: (error as Error).message.split("\n")[0] };
  }
}

async function redis(eventBus: EventBus): Promise<ReadinessCheck> {
  if (eventBus.transport === "memory") return { name: "redis", ok: true, detail: "not configured" };
  const ok = await withTimeout(eventBus.healthy(), 2000).catch(() => false);
  return ok ? { name: "redis", ok } : { name: "redis", ok, detail: "no answer to PING" };
}
