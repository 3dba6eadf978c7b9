import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import amqp from "amqplib";
import { Redis } from "ioredis";

/*
 * Optional external services (today: Redis). A test of an adapter for one runs against the real service whenever
 * one is reachable; otherwise it is skipped, with the reason in its name, so the closing summary lists it. With
 * REQUIRE_EXTERNAL_SERVICES=1 (CI) a missing service fails the test instead. The services are probed once per run,
 * in globalSetup, and the result reaches the test workers through the environment.
 *
 * - "redis": any Redis. REDIS_URL when set, otherwise one answering on 127.0.0.1:6379, otherwise a private
 *   redis-server that globalSetup starts for the run.
 * - "redis-server": the redis-server binary, for tests that stop and restart their own Redis. REDIS_SERVER_BIN
 *   names it (default: redis-server on PATH); pointing it at a missing file shows what a machine without it does.
 * - "rabbitmq": a RabbitMQ answering an AMQP handshake at TEST_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672).
 * - "rabbitmqctl": rabbitmqctl (RABBITMQCTL_BIN, default /usr/sbin/rabbitmqctl, else on PATH) controlling that
 *   broker's node, for the test that stops the broker and starts it again (test/support/rabbitmq.ts).
 */

export type ExternalService = "redis" | "redis-server" | "rabbitmq" | "rabbitmqctl";

type Availability = { readonly available: string } | { readonly missing: string };
type ServiceStates = Record<ExternalService, Availability>;

const STATES_VARIABLE = "TEST_EXTERNAL_SERVICES";

export const redisServerBinary = () => process.env.REDIS_SERVER_BIN || "redis-server";

/** Whether the redis-server binary runs here: its path, or why not. */
export function probeRedisServerBinary(): Availability {
  const bin = redisServerBinary();
  const result = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    const why = (result.error as NodeJS.ErrnoException | undefined)?.code ?? `exit ${result.status}`;
    return { missing: `no redis-server binary (${bin}: ${why})` };
  }
  return { available: bin };
}

/** Whether a shared Redis answers PING: REDIS_URL if set, else the default local port. */
export async function probeSharedRedis(): Promise<Availability> {
  const url = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  let lastError: Error | undefined;
  client.on("error", (error: Error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
    return { available: url };
  } catch (error) {
    // ioredis rejects with "Connection is closed"; the error event before it says why.
    const why = (lastError ?? (error as Error)).message;
    return { missing: `no Redis at ${url}${process.env.REDIS_URL ? " (REDIS_URL)" : ""}: ${why}` };
  } finally {
    client.disconnect();
  }
}

export const testAmqpUrl = () => process.env.TEST_AMQP_URL || "amqp://guest:guest@127.0.0.1:5672";

/** Whether a RabbitMQ completes an AMQP handshake at TEST_AMQP_URL (or the default local one). */
export async function probeRabbitMq(): Promise<Availability> {
  const url = testAmqpUrl();
  const shown = url.replace(/\/\/[^@/]*@/, "//");
  try {
    const connection = await amqp.connect(url, { timeout: 2000 });
    await connection.close();
    return { available: url };
  } catch (error) {
    return { missing: `no RabbitMQ at ${shown}: ${(error as Error).message}` };
  }
}

export const rabbitmqctlBinary = () =>
  process.env.RABBITMQCTL_BIN || (existsSync("/usr/sbin/rabbitmqctl") ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl");

/** Whether rabbitmqctl runs here and reaches a running node (await_startup answers at once when it is up). */
export function probeRabbitmqctl(): Availability {
  const bin = rabbitmqctlBinary();
  const result = spawnSync(bin, ["await_startup", "--timeout", "5"], { encoding: "utf8", timeout: 15_000 });
  if (result.error || result.status !== 0) {
    const why = (result.error as NodeJS.ErrnoException | undefined)?.code ?? `exit ${result.status}`;
    return { missing: `no rabbitmqctl controlling a running RabbitMQ node (${bin}: ${why})` };
  }
  return { available: bin };
}

/** Called by globalSetup once the probes are done; the workers read it back. */
export function publishServiceStates(states: ServiceStates): void {
  process.env[STATES_VARIABLE] = JSON.stringify(states);
}

function serviceState(service: ExternalService): Availability {
  const published = process.env[STATES_VARIABLE];
  if (!published) {
    throw new Error(`${STATES_VARIABLE} is not set: run the tests through jest (test/support/global-setup.ts)`);
  }
  return (JSON.parse(published) as ServiceStates)[service];
}

/** The URL of the RabbitMQ the tests may use (inside describeNeeding("rabbitmq", …)). */
export function rabbitMqUrl(): string {
  const state = serviceState("rabbitmq");
  if ("missing" in state) throw new Error(state.missing);
  return state.available;
}

/** The rabbitmqctl binary the tests may run (inside describeNeeding("rabbitmqctl", …)). */
export function rabbitmqctlPath(): string {
  const state = serviceState("rabbitmqctl");
  if ("missing" in state) throw new Error(state.missing);
  return state.available;
}

/** The URL of the Redis the tests may use (inside describeNeeding("redis", …)). */
export function redisUrl(): string {
  const state = serviceState("redis");
  if ("missing" in state) throw new Error(state.missing);
  return state.available;
}

const required = () => process.env.REQUIRE_EXTERNAL_SERVICES === "1";

/**
 * `describe`, when `service` is available. Otherwise the block is skipped with the reason in its title (listed by
 * the summary reporter), or, under REQUIRE_EXTERNAL_SERVICES=1, replaced by one failing test giving the reason.
 */
export function describeNeeding(service: ExternalService, title: string, body: () => void): void {
  const state = serviceState(service);
  if ("available" in state) {
    describe(title, body);
  } else if (required()) {
    describe(title, () => {
      it(`needs ${service}`, () => {
        throw new Error(`${state.missing} (REQUIRE_EXTERNAL_SERVICES=1 makes a missing service a failure)`);
      });
    });
  } else {
    describe.skip(`${title} [skipped, needs ${service}: ${state.missing}]`, body);
  }
}
