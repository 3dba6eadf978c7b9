import { apiBooker } from "../lib/bookers";
import { type BenchDatabase, createShow, startApi } from "../lib/environment";
import { benchRedis } from "../lib/redis";
import { spreadBooker } from "../lib/spread-booker";
import { type Check, verify } from "../lib/verify";
import { flashSale, type LoadResult } from "./booking-load";

export type ScaleOutResult =
  | { readonly skipped: string }
  | {
      readonly redis: "REDIS_URL" | "private redis-server";
      readonly users: number;
      readonly oneProcess: LoadResult;
      readonly twoProcesses: LoadResult;
      /** Two processes' holds/s ÷ one process's. */
      readonly ratio: number;
    };

interface Options {
  readonly users: number;
  readonly seconds: number;
  readonly layout: { rows: number; seatsPerRow: number };
  /** The API settings of the main run (pool size, caps turned off…); REDIS_URL is added. */
  readonly env: Record<string, string>;
  /** Before each measured run (VACUUM ANALYZE, unless smoke). */
  readonly settle: () => Promise<void>;
  readonly log: (message: string) => void;
}

/**
 * Scale out on one host: two API processes on one database and one Redis. The flash sale runs twice back to back on
 * fresh shows, once with every user on the first process (the second idles) and once with the users spread over
 * both, as a load balancer would; so the only difference is the second process.
 */
export async function scaleOut(
  database: BenchDatabase,
  options: Options,
): Promise<{ result: ScaleOutResult; checks: Check[] }> {
  const redis = await benchRedis();
  if ("skipped" in redis) return { result: { skipped: redis.skipped }, checks: [] };
  const env = { ...options.env, REDIS_URL: redis.url };
  const apis = await Promise.all([startApi(database.url, env), startApi(database.url, env)]);
  const clients = apis.map((api) => api.client(options.users));
  const checks: Check[] = [];
  try {
    const run = async (label: string, spread: boolean) => {
      const showId = await createShow(
        clients[0]!,
        `scale-out ${label}`,
        options.layout.rows,
        options.layout.seatsPerRow,
      );
      await options.settle();
      options.log(`flash sale on ${label}, ${options.users} users (Redis)`);
      const booker = spread ? spreadBooker(clients.map((c) => apiBooker(c, showId))) : apiBooker(clients[0]!, showId);
      const result = await flashSale(booker, { users: options.users, seconds: options.seconds, seed: 5 });
      checks.push(...(await verify(database.url, showId, `scale-out ${label}`)));
      return result;
    };
    const oneProcess = await run("1 process", false);
    const twoProcesses = await run("2 processes", true);
    return {
      result: {
        redis: process.env.REDIS_URL ? "REDIS_URL" : "private redis-server",
        users: options.users,
        oneProcess,
        twoProcesses,
        ratio: Math.round((100 * twoProcesses.holdsPerSecond) / Math.max(0.1, oneProcess.holdsPerSecond)) / 100,
      },
      checks,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(apis.map((api) => api.stop()));
    await redis.stop();
  }
}
