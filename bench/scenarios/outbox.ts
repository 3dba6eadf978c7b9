import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import pg from "pg";
import { apiBooker } from "../lib/bookers";
import { type BenchApi, type BenchDatabase, createShow, startApi, token } from "../lib/environment";
import { round } from "../lib/stats";
import { type Check, verify } from "../lib/verify";
import { flashSale, type LoadResult } from "./booking-load";

export interface OutboxResult {
  readonly users: number;
  readonly rounds: number;
  /** Each round's flash sale on a database whose booking-event triggers are disabled (no outbox rows written). */
  readonly withoutOutbox: LoadResult[];
  /** With the outbox as shipped: every change writes its event, and the relay sequences them; no channel. */
  readonly outboxOnly: LoadResult[];
  /** The same with a webhook registered: every event also delivered to a receiver in this process. */
  readonly withWebhook: LoadResult[];
  /** 1 − (holds/s with the outbox) ÷ (holds/s without), summed over the rounds, in %. */
  readonly overheadPercent: number;
  /** The same for the outbox with every event delivered to a webhook on this machine. */
  readonly webhookOverheadPercent: number;
  readonly delivery: {
    readonly events: number;
    /** Receipts of an event id already received (at-least-once), not counted in the latencies. */
    readonly duplicates: number;
    /** From the change (its transaction's time) to the webhook's receipt, ms. */
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
    /** Whether every event in the log reached the receiver before the drain deadline. */
    readonly complete: boolean;
  };
}

interface Options {
  readonly users: number;
  readonly seconds: number;
  readonly rounds: number;
  readonly layout: { rows: number; seatsPerRow: number };
  readonly env: Record<string, string>;
  readonly settle: (database: BenchDatabase) => Promise<void>;
  readonly log: (message: string) => void;
}

/** How long the receiver may take to get every event after the last round (the relay keeps going after the sale). */
const DRAIN_DEADLINE_MS = 120_000;

type Client = ReturnType<BenchApi["client"]>;

/**
 * What the booking-event outbox costs the hot path, and how fast its events arrive. Three databases, each with its
 * own API process: one with the booking triggers disabled (no outbox rows: the product without events), one as
 * shipped with no channel (events written and sequenced), and one as shipped with a webhook to a receiver in this
 * process, so that run also pays for delivering every event on the same machine. The flash sale goes round the
 * three, round by round (the machine's speed drifts; alternating spreads the drift over all), and the latency of each
 * event from its change to its receipt is recorded.
 */
export async function outboxScenario(
  database: BenchDatabase,
  options: Options,
): Promise<{ result: OutboxResult; checks: Check[] }> {
  const without = await database.sibling("no_outbox");
  await sql(
    without.url,
    "ALTER TABLE bookings DISABLE TRIGGER bookings_insert_events, DISABLE TRIGGER bookings_update_events",
  );
  const outboxOnly = await database.sibling("outbox");
  const withWebhook = await database.sibling("webhook");
  const receiver = await startReceiver();
  const apis: BenchApi[] = [];
  const clients: Client[] = [];
  const checks: Check[] = [];
  try {
    // The receiver is plain HTTP on this machine: allowed here, as it would not be by default in production.
    const local = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1", WEBHOOK_REQUIRE_HTTPS: "false" };
    for (const db of [without, outboxOnly, withWebhook]) {
      const api = await startApi(db.url, { ...options.env, ...local });
      apis.push(api);
      clients.push(api.client(options.users));
    }
    await registerWebhook(clients[2]!, receiver.url);
    const runs = { withoutOutbox: [] as LoadResult[], outboxOnly: [] as LoadResult[], withWebhook: [] as LoadResult[] };
    const variants = [
      ["without the outbox", without, clients[0]!, runs.withoutOutbox],
      ["with the outbox", outboxOnly, clients[1]!, runs.outboxOnly],
      ["with the outbox and a webhook", withWebhook, clients[2]!, runs.withWebhook],
    ] as const;
    for (let round = 1; round <= options.rounds; round++) {
      for (const [label, db, client, list] of variants) {
        const { rows, seatsPerRow } = options.layout;
        const showId = await createShow(client, `outbox ${label} ${round}`, rows, seatsPerRow);
        await options.settle(db);
        options.log(`flash sale ${label}, round ${round}, ${options.users} users`);
        const sale = { users: options.users, seconds: options.seconds, seed: 8 + round };
        list.push(await flashSale(apiBooker(client, showId), sale));
        checks.push(...(await verify(db.url, showId, `outbox ${label} ${round}`)));
      }
    }
    await Promise.all(clients.map((client) => client.close()));
    const complete = await receiver.drained(withWebhook.url, DRAIN_DEADLINE_MS);
    const sum = (list: LoadResult[]) => list.reduce((total, run) => total + run.holdsPerSecond, 0);
    const lower = (list: LoadResult[]) => round(100 * (1 - sum(list) / Math.max(0.1, sum(runs.withoutOutbox))), 1);
    const latencies = [...receiver.latencies].sort((a, b) => a - b);
    return {
      result: {
        users: options.users,
        rounds: options.rounds,
        ...runs,
        overheadPercent: lower(runs.outboxOnly),
        webhookOverheadPercent: lower(runs.withWebhook),
        delivery: {
          events: latencies.length,
          duplicates: receiver.duplicates,
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
          maxMs: round(latencies.at(-1) ?? 0),
          complete,
        },
      },
      checks: [
        ...checks,
        {
          name: "outbox: every event of the log delivered to the webhook",
          ok: complete,
          detail: complete ? "" : `${latencies.length} received before the deadline`,
        },
      ],
    };
  } finally {
    await Promise.all(apis.map((api) => api.stop()));
    await receiver.stop();
  }
}

async function registerWebhook(client: Client, url: string): Promise<void> {
  const result = await client.request<{ createWebhook: { webhook: { id: string } | null; userErrors: unknown[] } }>(
    `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } userErrors { code message } } }`,
    { input: { url, description: "bench receiver" } },
    token("bench-admin-webhook", "admin"),
  );
  if (!result.data?.createWebhook.webhook) throw new Error(`createWebhook failed: ${JSON.stringify(result)}`);
}

/** A webhook receiver: records each event's latency (receipt − the event's timestamp) once per event id. */
async function startReceiver() {
  const seen = new Set<string>();
  const latencies: number[] = [];
  let duplicates = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const receivedAt = Date.now();
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string; timestamp: string };
      if (seen.has(event.id)) duplicates++;
      else {
        seen.add(event.id);
        latencies.push(receivedAt - Date.parse(event.timestamp));
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    latencies,
    get duplicates() {
      return duplicates;
    },
    /** Waits until every event of the log has been received; false at the deadline. */
    async drained(databaseUrl: string, deadlineMs: number): Promise<boolean> {
      const until = Date.now() + deadlineMs;
      for (;;) {
        const [row] = await sql<{ n: string }>(
          databaseUrl,
          "SELECT (SELECT count(*) FROM booking_events) + (SELECT count(*) FROM booking_outbox) AS n",
        );
        if (seen.size >= Number(row!.n)) return true;
        if (Date.now() > until) return false;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The p-th percentile of sorted samples (0 for none). */
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}
