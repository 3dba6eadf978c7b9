import { type RedisServer, startRedisServer } from "./redis-server";
import { startTestApp, type TestApp } from "./test-app";

export interface TestAppWithRedis {
  readonly t: TestApp;
  /** The app's own redis-server, which the test may stop and start again. */
  readonly redis: RedisServer;
  stop(): Promise<void>;
}

/** A test app whose Redis is a private redis-server (inside describeNeeding("redis-server", …)). */
export async function startTestAppWithPrivateRedis(env: Record<string, string> = {}): Promise<TestAppWithRedis> {
  const redis = await startRedisServer();
  try {
    const t = await startTestApp({ REDIS_URL: redis.url, ...env });
    return {
      t,
      redis,
      async stop() {
        await t.stop();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}
