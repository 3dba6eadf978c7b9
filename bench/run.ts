// The flash-sale benchmark: `npm run bench` (full, a few minutes) or `npm run bench -- --smoke` (under a minute).
// Starts the compiled API as a child process (production mode), runs every scenario, checks correctness, prints a
// table and writes bench/results/<timestamp>.json and bench/results/latest.md.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { apiBooker, rawBooker } from "./lib/bookers";
import { createShow, prepareDatabase, startApi } from "./lib/environment";
import { rowLabels } from "../src/domain/seat-layout";
import { FAILURE_CODES, flashSale, hotSeats, type LoadResult } from "./scenarios/booking-load";
import { fanOut } from "./scenarios/fan-out";
import { seatMapReads } from "./scenarios/seat-map-reads";
import { seedDesign } from "./scenarios/seed-design";
import { round } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    seconds: { type: "string" },
    users: { type: "string" },
    "pool-size": { type: "string", default: "20" },
    "seat-map-staleness": { type: "string", default: "0" },
    subscribers: { type: "string" },
    only: { type: "string" },
    "pg-stats": { type: "boolean", default: false },
    "node-args": { type: "string" },
  },
});
const only = new Set((args.only ?? "flash,hot,seed,reads,fanout").split(","));
const smoke = args.smoke!;
const seconds = Number(args.seconds ?? (smoke ? 3 : 20));
const flashUsers = (args.users ?? (smoke ? "8" : "8,64,256")).split(",").map(Number);
const headlineUsers = flashUsers.includes(64) ? 64 : flashUsers[0]!;
const flashLayout = smoke ? { rows: 20, seatsPerRow: 100 } : { rows: 200, seatsPerRow: 100 };
const mapLayout = smoke ? { rows: 10, seatsPerRow: 100 } : { rows: 100, seatsPerRow: 100 };
const subscribers = Number(args.subscribers ?? (smoke ? 50 : 1000));
const HOLD_TTL_SECONDS = 120;

const seatsOf = (layout: { rows: number; seatsPerRow: number }) =>
  rowLabels(layout.rows).flatMap((row) => Array.from({ length: layout.seatsPerRow }, (_, i) => `${row}${i + 1}`));

async function main() {
  const startedAt = new Date();
  log(`preparing database (${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"})`);
  const database = await prepareDatabase();
  const api = await startApi(
    database.url,
    {
      DATABASE_POOL_SIZE: args["pool-size"]!,
      HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
      SEAT_MAP_CACHE_STALENESS_MS: args["seat-map-staleness"]!,
      // Every simulated buyer and reader connects from this machine: per-address caps would measure the caps, not
      // the API.
      MAX_HELD_SEATS_PER_ADDRESS: "0",
      RATE_LIMIT_IP_ROWS: "0",
    },
    args["node-args"]?.split(" ").filter(Boolean) ?? [],
  );
  const client = api.client(Math.max(...flashUsers, 64));
  const results: Record<string, unknown> = {};
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  try {
    const flash: { users: number; api: LoadResult; raw: LoadResult }[] = [];
    for (const users of only.has("flash") ? flashUsers : []) {
      const apiShow = await createShow(client, `flash api ${users}`, flashLayout.rows, flashLayout.seatsPerRow);
      await database.settle();
      log(`flash sale through the API, ${users} users`);
      await database.topStatements(0);
      const viaApi = await flashSale(apiBooker(client, apiShow), { users, seconds, seed: 1 });
      if (args["pg-stats"]) console.error(await database.topStatements(12));
      await database.topStatements(0);
      checks.push(...(await verify(database.url, apiShow, `flash sale API ${users}`)));
      const rawShow = await createShow(client, `flash raw ${users}`, flashLayout.rows, flashLayout.seatsPerRow);
      const pool = new pg.Pool({ connectionString: database.url, max: users });
      await database.settle();
      log(`flash sale as raw SQL, ${users} connections`);
      const viaRaw = await flashSale(
        rawBooker(
          pool,
          { id: rawShow, rowCount: flashLayout.rows, seatsPerRow: flashLayout.seatsPerRow },
          HOLD_TTL_SECONDS,
        ),
        { users, seconds, seed: 1 },
      );
      await pool.end();
      if (args["pg-stats"]) console.error(await database.topStatements(12));
      checks.push(...(await verify(database.url, rawShow, `flash sale raw ${users}`)));
      flash.push({ users, api: viaApi, raw: viaRaw });
    }
    results.flashSale = flash;

    if (only.has("hot")) {
      const hotLayout = { rows: 5, seatsPerRow: 10 };
      const hotSeatList = seatsOf(hotLayout);
      const hotApiShow = await createShow(client, "hot seats api", hotLayout.rows, hotLayout.seatsPerRow);
      await database.settle();
      log(`hot seats through the API, ${headlineUsers} users`);
      const hotApi = await hotSeats(apiBooker(client, hotApiShow), hotSeatList, {
        users: headlineUsers,
        seconds: Math.min(seconds, 10),
        seed: 2,
      });
      checks.push(...(await verify(database.url, hotApiShow, "hot seats API")));
      const hotRawShow = await createShow(client, "hot seats raw", hotLayout.rows, hotLayout.seatsPerRow);
      const hotPool = new pg.Pool({ connectionString: database.url, max: headlineUsers });
      await database.settle();
      log(`hot seats as raw SQL, ${headlineUsers} connections`);
      const hotRaw = await hotSeats(
        rawBooker(
          hotPool,
          { id: hotRawShow, rowCount: hotLayout.rows, seatsPerRow: hotLayout.seatsPerRow },
          HOLD_TTL_SECONDS,
        ),
        hotSeatList,
        {
          users: headlineUsers,
          seconds: Math.min(seconds, 10),
          seed: 2,
        },
      );
      await hotPool.end();
      results.hotSeats = { api: hotApi, raw: hotRaw };
    }

    if (only.has("seed")) {
      await database.settle();
      log(`seed design (show-row lock), ${headlineUsers} connections`);
      const seedPool = new pg.Pool({ connectionString: database.url, max: headlineUsers });
      results.seedDesign = await seedDesign(seedPool, {
        users: headlineUsers,
        seconds: Math.min(seconds, 10),
        capacity: flashLayout.rows * flashLayout.seatsPerRow,
        seed: 3,
      });
      await seedPool.end();
    }

    if (only.has("reads")) {
      const mapShow = await createShow(client, "seat map", mapLayout.rows, mapLayout.seatsPerRow);
      await database.settle();
      log(`seat map reads (${mapLayout.rows * mapLayout.seatsPerRow} seats), ${headlineUsers} readers`);
      const idle = await seatMapReads(client, mapShow, { users: headlineUsers, seconds: Math.min(seconds, 10) });
      log(`seat map reads while 8 users book the same show`);
      const writer = api.client(8);
      const [busy] = await Promise.all([
        seatMapReads(client, mapShow, { users: headlineUsers, seconds: Math.min(seconds, 10) }),
        flashSale(apiBooker(writer, mapShow), { users: 8, seconds: Math.min(seconds, 10), seed: 4 }),
      ]);
      await writer.close();
      results.seatMapReads = { idle, whileWriting: busy };
    }

    if (only.has("fanout")) {
      const fanShow = await createShow(client, "fan-out", 20, 50);
      log(`live fan-out to ${subscribers} subscribers`);
      results.fanOut = await fanOut(api.url, client, fanShow, seatsOf({ rows: 20, seatsPerRow: 50 }), {
        subscribers,
        holdsPerSecond: 20,
        holds: smoke ? 20 : 200,
      });
    }
  } finally {
    await client.close();
    await api.stop();
    await database.stop();
  }

  const report = {
    startedAt: startedAt.toISOString(),
    mode: smoke ? "smoke" : args.only ? `only ${args.only}` : "full",
    settings: {
      secondsPerScenario: seconds,
      flashUsers,
      headlineUsers,
      flashSeats: flashLayout.rows * flashLayout.seatsPerRow,
      seatMapSeats: mapLayout.rows * mapLayout.seatsPerRow,
      apiDatabasePoolSize: Number(args["pool-size"]),
      seatMapCacheStalenessMs: Number(args["seat-map-staleness"]),
      holdTtlSeconds: HOLD_TTL_SECONDS,
    },
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: database.version,
    },
    results,
    checks,
  };
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  const dir = path.resolve(__dirname, "results");
  await mkdir(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  await writeFile(path.join(dir, `${stamp}${smoke ? "-smoke" : ""}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (!smoke && !args.only) await writeFile(path.join(dir, "latest.md"), markdown);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    console.error(`correctness checks failed:\n${failed.map((c) => `  ${c.name}: ${c.detail}`).join("\n")}`);
    process.exit(1);
  }
}

/** After a run: no seat in two bookings, BOOKED seats = seats of CONFIRMED bookings, no PENDING past expiry. */
async function verify(url: string, showId: string, name: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => Number((await client.query<{ n: string }>(sql, [showId])).rows[0]!.n);
    const doubleSold = await q(`SELECT count(*) AS n FROM (SELECT s FROM bookings b, unnest(b.seat_numbers) s
      WHERE b.show_id = $1 AND b.status IN ('PENDING', 'CONFIRMED') GROUP BY s HAVING count(*) > 1) x`);
    const booked = await q(`SELECT count(*) AS n FROM seats WHERE show_id = $1 AND status = 'booked'`);
    const confirmedSeats = await q(
      `SELECT coalesce(sum(cardinality(seat_numbers)), 0) AS n FROM bookings WHERE show_id = $1 AND status = 'CONFIRMED'`,
    );
    const bookedByConfirmed = await q(`SELECT count(*) AS n FROM seats s JOIN bookings b ON b.id = s.booking_id
      WHERE s.show_id = $1 AND s.status = 'booked' AND b.status = 'CONFIRMED' AND s.seat_number = ANY(b.seat_numbers)`);
    const stalePending = await q(
      `SELECT count(*) AS n FROM bookings WHERE show_id = $1 AND status = 'PENDING' AND expires_at < now() - interval '2 seconds'`,
    );
    return [
      {
        name: `${name}: no seat in two bookings`,
        ok: doubleSold === 0,
        detail: `${doubleSold} seats in more than one booking`,
      },
      {
        name: `${name}: BOOKED seats = seats of CONFIRMED bookings`,
        ok: booked === confirmedSeats && booked === bookedByConfirmed,
        detail: `${booked} booked, ${confirmedSeats} confirmed, ${bookedByConfirmed} matching`,
      },
      { name: `${name}: no PENDING past expiry`, ok: stalePending === 0, detail: `${stalePending} stale` },
    ];
  } finally {
    await client.end();
  }
}

function toMarkdown(report: {
  startedAt: string;
  mode: string;
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
  // The report renders whatever each scenario measured, as it is stored in the JSON results.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  results: Record<string, any>;
  checks: { name: string; ok: boolean }[];
}): string {
  const r = report.results;
  const lines: string[] = [];
  lines.push(`# Benchmark results (${report.mode}, ${report.startedAt})`, "");
  lines.push(
    `Machine: ${report.machine.cores} cores (${report.machine.cpu}), ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, PostgreSQL ${report.machine.postgres}. API and PostgreSQL on the same machine; the load generator too.`,
    "",
  );
  lines.push(`Settings: ${JSON.stringify(report.settings)}`, "");
  lines.push(
    "## Flash sale",
    "",
    "| users | API holds/s | raw SQL holds/s | API ÷ raw | API attempts/s | API confirms/s | API hold p50 / p95 / p99 ms | raw hold p99 ms | sold out (API / raw) | API errors |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const f of r.flashSale ?? []) {
    lines.push(
      `| ${f.users} | ${f.api.holdsPerSecond} | ${f.raw.holdsPerSecond} | **${round(f.api.holdsPerSecond / f.raw.holdsPerSecond, 2)}** | ${f.api.attemptsPerSecond} | ${f.api.confirmsPerSecond} | ${f.api.hold.p50} / ${f.api.hold.p95} / ${f.api.hold.p99} | ${f.raw.hold.p99} | ${f.api.soldOut ? "yes" : "no"} / ${f.raw.soldOut ? "yes" : "no"} | ${errorsOf(f.api)} |`,
    );
  }
  if (r.seedDesign) {
    const ours = (r.flashSale ?? []).find((f: { users: number }) => f.users === report.settings.headlineUsers);
    lines.push(
      "",
      `Seed design (show-row \`SELECT … FOR UPDATE\`, raw SQL, ${r.seedDesign.users} connections): **${r.seedDesign.bookingsPerSecond} bookings/s** (p99 ${r.seedDesign.latency.p99} ms) vs per-seat claims ${ours ? `through the API ${ours.api.holdsPerSecond} holds/s, as raw SQL ${ours.raw.holdsPerSecond} holds/s` : "n/a"}.`,
    );
  }
  if (r.hotSeats) {
    const h = r.hotSeats;
    lines.push(
      "",
      "## Hot seats (50 seats, everyone wants them)",
      "",
      "| | attempts/s | won/s | success p50 / p99 ms | failure p50 / p99 ms | failure p99 ÷ success p99 | errors |",
      "|---|---|---|---|---|---|---|",
    );
    for (const [name, x] of [
      ["API", h.api],
      ["raw SQL", h.raw],
    ] as const) {
      lines.push(
        `| ${name} | ${x.attemptsPerSecond} | ${x.holdsPerSecond} | ${x.holdOk.p50} / ${x.holdOk.p99} | ${x.holdFailed.p50} / ${x.holdFailed.p99} | ${round(x.holdFailed.p99 / Math.max(0.1, x.holdOk.p99), 2)} | ${errorsOf(x)} |`,
      );
    }
    lines.push("", `API ÷ raw attempts/s: **${round(h.api.attemptsPerSecond / h.raw.attemptsPerSecond, 2)}**`);
  }
  if (r.seatMapReads) {
    const m = r.seatMapReads;
    lines.push(
      "",
      `## Seat map reads (${report.settings.seatMapSeats} seats, \`seats { seatNumber status version }\`)`,
      "",
      "| | readers | requests/s | p50 / p95 / p99 ms | KiB per response |",
      "|---|---|---|---|---|",
    );
    lines.push(
      `| idle | ${m.idle.users} | ${m.idle.requestsPerSecond} | ${m.idle.latency.p50} / ${m.idle.latency.p95} / ${m.idle.latency.p99} | ${m.idle.averageResponseKiB} |`,
    );
    lines.push(
      `| while 8 users book the same show | ${m.whileWriting.users} | ${m.whileWriting.requestsPerSecond} | ${m.whileWriting.latency.p50} / ${m.whileWriting.latency.p95} / ${m.whileWriting.latency.p99} | ${m.whileWriting.averageResponseKiB} |`,
    );
  }
  if (r.fanOut) {
    const f = r.fanOut;
    lines.push(
      "",
      "## Live fan-out",
      "",
      `${f.connected}/${f.subscribers} subscribers, ${f.events} events, ${f.deliveries} deliveries: latency from the hold's response to receipt p50 ${f.latency.p50} ms, p95 ${f.latency.p95} ms, p99 ${f.latency.p99} ms; missed ${f.missed}.`,
    );
  }
  lines.push("", "## Correctness checks", "", ...report.checks.map((c) => `- ${c.ok ? "✔" : "✘"} ${c.name}`), "");
  return lines.join("\n");
}

function errorsOf(result: LoadResult): string {
  const all = { ...result.hold.codes, ...result.confirm.codes, ...result.cancel.codes };
  const bad = Object.entries(all).filter(([code]) => FAILURE_CODES.has(code));
  return bad.length === 0 ? "0" : bad.map(([code, n]) => `${code}: ${n}`).join(", ");
}

function log(message: string) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
