import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type MessageProperties } from "amqplib";
import { EVENT_COLUMNS, type BookingEventRow, toEnvelope } from "../../src/events/event-envelope";
import { type TestApp } from "./test-app";
import { sleep } from "./time";
import { sequenceCommitted } from "./events";

/** A message as a test consumer received it from the exchange. */
export interface TappedMessage {
  readonly routingKey: string;
  readonly exchange: string;
  readonly properties: MessageProperties;
  readonly redelivered: boolean;
  /** The body as published (JSON text). */
  readonly raw: string;
  readonly body: { id: string; type: string; sequence: string; bookingId: string | null; showId: string };
}

const tapped = (message: ConsumeMessage): TappedMessage => {
  const raw = message.content.toString("utf8");
  return {
    routingKey: message.fields.routingKey,
    exchange: message.fields.exchange,
    properties: message.properties,
    redelivered: message.fields.redelivered,
    raw,
    body: JSON.parse(raw) as TappedMessage["body"],
  };
};

/** A fresh exchange name per test (AMQP_EXCHANGE), so tests never see each other's events. */
export const uniqueExchange = (prefix = "test-events") => `${prefix}.${randomUUID().slice(0, 12)}`;

/**
 * A consumer of everything published to `exchange` (routing key "#"), as a subscriber system would bind one. The
 * exchange is declared as the publisher declares it (topic, durable), so the queue can be bound before the API
 * publishes anything. Default: an exclusive, auto-delete queue, consumed at once into `messages`. `durable`: a
 * durable queue that survives a broker restart, read with readAll() (the consumer does not reconnect).
 */
export interface EventTap {
  readonly exchange: string;
  readonly queue: string;
  readonly messages: TappedMessage[];
  /** Resolves once `count` messages have arrived (fails after `timeoutMs`). */
  waitForCount(count: number, timeoutMs?: number): Promise<TappedMessage[]>;
  /** Durable taps: reads every message the queue holds now, over a new connection (the first may be gone). */
  readAll(timeoutMs?: number): Promise<TappedMessage[]>;
  /** Deletes the queue and the exchange, closes the connection. */
  close(): Promise<void>;
}

export async function tapExchange(
  url: string,
  exchange: string,
  { durable = false }: { durable?: boolean } = {},
): Promise<EventTap> {
  const connection = await amqp.connect(url);
  connection.on("error", () => undefined); // a broker restart closes it: durable taps read with a new one
  const channel = await connection.createChannel();
  channel.on("error", () => undefined);
  await channel.assertExchange(exchange, "topic", { durable: true });
  const queue = durable
    ? (await channel.assertQueue(`${exchange}.durable-tap`, { durable: true })).queue
    : (await channel.assertQueue("", { exclusive: true, autoDelete: true })).queue;
  await channel.bindQueue(queue, exchange, "#");
  const messages: TappedMessage[] = [];
  if (!durable) {
    await channel.consume(queue, (message) => message && messages.push(tapped(message)), { noAck: true });
  }
  const waitForCount = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms: ${messages.length} of ${count} messages on ${exchange}`);
      }
      await sleep(20);
    }
    return messages;
  };
  return {
    exchange,
    queue,
    messages,
    waitForCount,
    async readAll(timeoutMs = 20_000) {
      const reader = await amqp.connect(url);
      try {
        const readChannel = await reader.createChannel();
        const { messageCount } = await readChannel.checkQueue(queue);
        await readChannel.consume(queue, (message) => message && messages.push(tapped(message)), { noAck: true });
        return await waitForCount(messageCount, timeoutMs);
      } finally {
        await reader.close().catch(() => undefined);
      }
    },
    async close() {
      await withChannel(url, async (admin) => {
        if (durable) await admin.deleteQueue(queue);
        await admin.deleteExchange(exchange);
      });
      await connection.close().catch(() => undefined);
    },
  };
}

/*
 * Broker tests over a test app: the log, the exchange's cursor, a relay round by hand, the metrics.
 */

/** The log as the pull API has it: every event's envelope, in sequence order. */
export const logOf = async (t: TestApp) =>
  (
    await t.prisma.$queryRawUnsafe<BookingEventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM booking_events AS e ORDER BY e.sequence`,
    )
  ).map(toEnvelope);

export const cursorOf = async (t: TestApp, exchange: string) =>
  (
    await t.prisma.$queryRaw<
      { last_sequence: bigint; published_at: Date | null; last_error: string | null; leased_by: string | null }[]
    >`SELECT last_sequence, published_at, last_error, leased_by FROM broker_cursors WHERE exchange = ${exchange}`
  )[0];

/** One relay round by hand: sequence what committed, then publish it. */
export async function relay(t: TestApp): Promise<number> {
  await sequenceCommitted(t);
  return t.app.container.events.broker!.runOnce();
}

export const scrape = async (t: TestApp) => (await fetch(t.app.metricsUrl)).text();
export const metric = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** Runs `use` on a channel of a short-lived connection of its own. */
export async function withChannel<T>(url: string, use: (channel: Channel) => Promise<T>): Promise<T> {
  const connection: ChannelModel = await amqp.connect(url);
  try {
    return await use(await connection.createChannel());
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/*
 * Tests share one broker: a test that stops it would break every other test using it at that moment (their queues
 * and connections go). So every file that uses the broker holds a shared lock while it runs (useSharedBroker), and
 * the test that stops it takes the exclusive one, which waits for the shared holders to finish and keeps new ones
 * waiting. The locks are files in the temp directory naming their holder's pid (a dead holder's lock is ignored):
 * jest runs test files in separate worker processes.
 */
const LOCK_DIR = path.join(tmpdir(), "booking-api-rabbitmq-test-locks");
const EXCLUSIVE = path.join(LOCK_DIR, "exclusive");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};
const holderOf = (file: string): number | undefined => {
  try {
    return Number(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
};
/** Whether a live process holds the exclusive lock (a dead holder's is removed). */
const exclusiveHeld = () => {
  const pid = holderOf(path.join(EXCLUSIVE, "pid"));
  if (pid !== undefined && pid !== process.pid && !alive(pid)) rmSync(EXCLUSIVE, { recursive: true, force: true });
  return pid !== undefined && alive(pid);
};

async function acquireShared(): Promise<() => void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const file = path.join(LOCK_DIR, `shared-${process.pid}-${randomUUID().slice(0, 8)}`);
  for (;;) {
    if (!exclusiveHeld()) {
      writeFileSync(file, String(process.pid));
      if (!exclusiveHeld()) return () => rmSync(file, { force: true });
      rmSync(file, { force: true }); // the exclusive holder came first: let it finish
    }
    await sleep(200);
  }
}

async function acquireExclusive(): Promise<() => void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  for (;;) {
    try {
      mkdirSync(EXCLUSIVE);
      writeFileSync(path.join(EXCLUSIVE, "pid"), String(process.pid));
      break;
    } catch {
      exclusiveHeld(); // clears a dead holder's
      await sleep(200);
    }
  }
  // New shared holders now wait; the ones running finish first.
  for (;;) {
    const live = readdirSync(LOCK_DIR).filter((name) => {
      if (!name.startsWith("shared-")) return false;
      const pid = holderOf(path.join(LOCK_DIR, name));
      if (pid !== undefined && !alive(pid)) rmSync(path.join(LOCK_DIR, name), { force: true });
      return pid !== undefined && alive(pid);
    });
    if (live.length === 0) return () => rmSync(EXCLUSIVE, { recursive: true, force: true });
    await sleep(200);
  }
}

/** For a test file that uses the broker: holds the shared lock from its beforeAll to its afterAll. */
export function useSharedBroker(): void {
  let release: (() => void) | undefined;
  beforeAll(async () => {
    release = await acquireShared();
  }, 180_000);
  afterAll(() => release?.());
}

/** For a test that stops the broker: holds the exclusive lock (others' broker tests wait) while `use` runs. */
export async function withBrokerToItself<T>(use: () => Promise<T>): Promise<T> {
  const release = await acquireExclusive();
  try {
    return await use();
  } finally {
    release();
  }
}

const run = promisify(execFile);

/** Stops the RabbitMQ application (the node stays up: start_app brings it back). */
export async function stopBroker(rabbitmqctl: string): Promise<void> {
  await run(rabbitmqctl, ["stop_app"], { timeout: 60_000 });
}

/**
 * Starts the RabbitMQ application and resolves once it accepts AMQP connections at `url` again. Idempotent: every
 * test that stops the broker calls it in a finally, so that no run leaves the machine's broker stopped.
 */
export async function startBroker(rabbitmqctl: string, url: string): Promise<void> {
  await run(rabbitmqctl, ["start_app"], { timeout: 120_000 });
  await run(rabbitmqctl, ["await_startup", "--timeout", "60"], { timeout: 90_000 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await amqp.connect(url, { timeout: 2000 });
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`RabbitMQ did not accept connections again: ${String(error)}`);
      await sleep(200);
    }
  }
}
