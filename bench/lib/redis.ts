import { probeRedisServerBinary } from "../../test/support/external-services";
import { startRedisServer } from "../../test/support/redis-server";

export type BenchRedis = { readonly url: string; stop(): Promise<void> } | { readonly skipped: string };

/**
 * A Redis for the multi-process run: REDIS_URL when set (left running), otherwise a private redis-server on a free
 * port when the binary is on PATH (stopped afterwards), otherwise the reason there is none.
 */
export async function benchRedis(): Promise<BenchRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const binary = probeRedisServerBinary();
  if ("missing" in binary) return { skipped: `REDIS_URL is not set and there is ${binary.missing}` };
  try {
    return await startRedisServer();
  } catch (error) {
    return { skipped: `redis-server did not start: ${(error as Error).message}` };
  }
}
