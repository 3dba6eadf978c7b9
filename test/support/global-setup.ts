import { rm } from "node:fs/promises";
import {
  probeRabbitMq,
  probeRabbitmqctl,
  probeRedisServerBinary,
  probeSharedRedis,
  publishServiceStates,
} from "./external-services";
import { startEmbeddedPostgres } from "./from-src-standalone";
import { freePort } from "./ports";
import { startRedisServer } from "./redis-server";

type Stoppable = { stop(): Promise<void> };
const running = globalThis as { testRunServices?: Stoppable[] };

/**
 * Runs once per jest run for the integration and system tiers (see jest.config.js), in the parent process; the
 * workers inherit the environment it sets.
 *
 * PostgreSQL: DATABASE_URL when set, otherwise an embedded server (the same one `npm start` uses on a fresh
 * machine) on a free port, in a data directory of this run's own, so that two test runs never share (or block) one
 * server. Redis and RabbitMQ: see external-services.ts.
 */
export default async function globalSetup(): Promise<void> {
  running.testRunServices = [];
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
  } else {
    const dataDir = `.data/test-runs/postgres-${process.pid}`;
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
    process.env.TEST_ADMIN_DATABASE_URL = server.adminUrl;
    running.testRunServices.push({
      async stop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    });
  }

  const binary = probeRedisServerBinary();
  let redis = await probeSharedRedis();
  if ("missing" in redis && "available" in binary) {
    // No shared Redis, but one can be run: a private one serves the whole run, like the embedded PostgreSQL.
    const server = await startRedisServer();
    running.testRunServices.push(server);
    redis = { available: server.url };
  } else if ("missing" in redis && "missing" in binary) {
    redis = { missing: `${redis.missing}, and ${binary.missing} to start one` };
  }
  const rabbitmq = await probeRabbitMq();
  // Stopping and starting the broker is only possible where it runs (and pointless where none does).
  const rabbitmqctl = "available" in rabbitmq ? probeRabbitmqctl() : { missing: "no RabbitMQ to control" };
  publishServiceStates({ redis, "redis-server": binary, rabbitmq, rabbitmqctl });
}
