// The flash-sale benchmark: `npm run bench` (full, several minutes) or `npm run bench -- --smoke` (CI, about a
// minute and a half). Starts the compiled API as a child process (production mode), runs every scenario, checks
// correctness, prints the targets table and each scenario's numbers, and writes bench/results/<timestamp>.json and
// (full runs) bench/results/latest.md. See bench/README.md.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { rowLabels } from "../src/domain/seat-layout";
import { apiBooker, rawBooker } from "./lib/bookers";
import { probeCapabilities } from "./lib/capabilities";
import { type BenchDatabase, createShow, prepareDatabase, startApi } from "./lib/environment";
import { toMarkdown } from "./lib/report";
import { type BenchReport, type BenchResults } from "./lib/results";
import { round } from "./lib/stats";
import { targetRows } from "./lib/targets";
import { type Check, verify } from "./lib/verify";
import { flashSale, hotSeats } from "./scenarios/booking-load";
import { bestAvailableContention, CONTENTION_HALL } from "./scenarios/contention";
import { fanOut } from "./scenarios/fan-out";
import { outboxScenario } from "./scenarios/outbox";
import { scaleOut } from "./scenarios/scale-out";
import { responseSize, type SeatMapRead, seatMapReads } from "./scenarios/seat-map-reads";
import { seedDesign } from "./scenarios/seed-design";
import { storedSeats } from "./scenarios/stored-seats";
import { VENUE_SEATS } from "./lib/venue-layout";
import { venueScenario } from "./scenarios/venue";

import {
  apiEnv,
  args,
  fanOutRate,
  flashLayout,
  flashUsers,
  HOLD_TTL_SECONDS,
  headlineUsers,
  mapLayout,
  only,
  perConnection,
  seconds,
  shortSeconds,
  smoke,
  subscribers,
} from "./lib/settings";

/** VACUUM ANALYZE before a measured scenario; the smoke run measures nothing worth the seconds. */
const settle = (database: BenchDatabase) => (smoke ? Promise.resolve() : database.settle());

/** The venue scenario's sizes: the issue's 20,000 seats, small in the smoke run. */
const venueSizes = smoke
  ? { seats: 2_000, repetitions: 1, warmReads: 10, holds: 10 }
  : { seats: VENUE_SEATS, repetitions: 5, warmReads: 50, holds: 50 };

const seatsOf = (layout: { rows: number; seatsPerRow: number }) =>
  rowLabels(layout.rows).flatMap((row) => Array.from({ length: layout.seatsPerRow }, (_, i) => `${row}${i + 1}`));

async function main() {
  const startedAt = new Date();
  log(`preparing database (${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"})`);
  const database = await prepareDatabase();
  const connections = Math.ceil(subscribers / perConnection);
  const api = await startApi(
    database.url,
    {
      ...apiEnv,
      // The fan-out's subscriptions share a few connections from one address (see bench/README.md).
      WS_MAX_CONNECTIONS_PER_ADDRESS: String(Math.max(50, connections + 10)),
      WS_MAX_OPERATIONS_PER_CONNECTION: String(Math.max(100, perConnection)),
    },
    args["node-args"]?.split(" ").filter(Boolean) ?? [],
  );
  const client = api.client(Math.max(...flashUsers, 64));
  const results: BenchResults = {};
  const checks: Check[] = [];
  const show = (name: string, layout: { rows: number; seatsPerRow: number }) =>
    createShow(client, name, layout.rows, layout.seatsPerRow);
  try {
    const capabilities = await probeCapabilities(client);
    if (only.has("flash")) {
      results.flashSale = [];
      for (const users of flashUsers) {
        const apiShow = await show(`flash api ${users}`, flashLayout);
        await settle(database);
        log(`flash sale through the API, ${users} users`);
        await database.topStatements(0);
        const viaApi = await flashSale(apiBooker(client, apiShow), { users, seconds, seed: 1 });
        if (args["pg-stats"]) console.error(await database.topStatements(12));
        checks.push(...(await verify(database.url, apiShow, `flash sale API ${users}`)));
        const rawShow = await show(`flash raw ${users}`, flashLayout);
        const viaRaw = await raw(database, rawShow, flashLayout, users, (booker) =>
          flashSale(booker, { users, seconds, seed: 1 }),
        );
        checks.push(...(await verify(database.url, rawShow, `flash sale raw ${users}`)));
        results.flashSale.push({ users, api: viaApi, raw: viaRaw });
      }
    }

    if (only.has("explicit")) {
      const explicitShow = await show("explicit seats", flashLayout);
      await settle(database);
      log(`explicit seats only through the API, ${headlineUsers} users`);
      const booker = apiBooker(client, explicitShow);
      const api = await flashSale(booker, { users: headlineUsers, seconds, seed: 6, explicitShare: 1 });
      checks.push(...(await verify(database.url, explicitShow, "explicit seats API")));
      results.explicitSale = { users: headlineUsers, api };
    }

    if (only.has("hot")) {
      const hotLayout = { rows: 5, seatsPerRow: 10 };
      const options = { users: headlineUsers, seconds: shortSeconds, seed: 2 };
      const hotApiShow = await show("hot seats api", hotLayout);
      await settle(database);
      log(`hot seats through the API, ${headlineUsers} users`);
      const hotApi = await hotSeats(apiBooker(client, hotApiShow), seatsOf(hotLayout), options);
      checks.push(...(await verify(database.url, hotApiShow, "hot seats API")));
      const hotRawShow = await show("hot seats raw", hotLayout);
      const hotRaw = await raw(database, hotRawShow, hotLayout, headlineUsers, (booker) =>
        hotSeats(booker, seatsOf(hotLayout), options),
      );
      checks.push(...(await verify(database.url, hotRawShow, "hot seats raw")));
      results.hotSeats = { api: hotApi, raw: hotRaw };
    }

    if (only.has("seed")) {
      await settle(database);
      log(`seed design (show-row lock), ${headlineUsers} connections`);
      const seedPool = new pg.Pool({ connectionString: database.url, max: headlineUsers });
      results.seedDesign = await seedDesign(seedPool, {
        users: headlineUsers,
        seconds: shortSeconds,
        capacity: flashLayout.rows * flashLayout.seatsPerRow,
        seed: 3,
      });
      await seedPool.end();
    }

    if (only.has("contention")) {
      await settle(database);
      log("best available under contention");
      const contentionClient = api.client(300);
      const contention = await bestAvailableContention(contentionClient, {
        rounds: smoke
          ? { "pairs-fit": 1, "pairs-oversubscribed": 1, mixed: 2 }
          : { "pairs-fit": 5, "pairs-oversubscribed": 3, mixed: 40 },
        seed: 7,
        adjacentField: capabilities.adjacent,
        databaseUrl: database.url,
        createShow: (name) => show(name, CONTENTION_HALL),
      });
      await contentionClient.close();
      checks.push(...(await verify(database.url, contention.showIds, "best available under contention")));
      results.contention = contention;
    }

    if (only.has("reads")) {
      const readers = api.client(headlineUsers);
      const reads = async (read: SeatMapRead) => {
        const mapShow = await show(`seat map ${read}`, mapLayout);
        await settle(database);
        const options = {
          read,
          users: headlineUsers,
          seconds: shortSeconds,
          // The compact map is what browsers read, and they always offer gzip; the full list is read as before.
          acceptEncoding: read === "availability" ? "gzip" : undefined,
        };
        log(`seat-map reads (${read}), ${headlineUsers} readers, idle`);
        const idle = await seatMapReads(readers, mapShow, options);
        log(`seat-map reads (${read}) while ${headlineUsers} users book the same show`);
        const writer = api.client(headlineUsers);
        const booking = flashSale(apiBooker(writer, mapShow), { users: headlineUsers, seconds: shortSeconds, seed: 4 });
        const [whileBooking, writers] = await Promise.all([
          seatMapReads(readers, mapShow, { ...options, until: booking }),
          booking,
        ]);
        await writer.close();
        checks.push(...(await verify(database.url, mapShow, `seat-map reads (${read}) bookers`)));
        return { mapShow, reads: { idle, whileBooking, writers } };
      };
      const noAvailability = { skipped: "the API has no `Show.availability` field" };
      const compact = capabilities.availability ? await reads("availability") : undefined;
      const full = await reads("full");
      results.seatMapReads = { availability: compact?.reads ?? noAvailability, full: full.reads };
      results.responseSizes = {
        availability: compact ? await responseSize(readers, compact.mapShow, "availability") : noAvailability,
        full: await responseSize(readers, full.mapShow, "full"),
      };
      await readers.close();
    }

    if (only.has("fanout")) {
      const fanLayout = { rows: 20, seatsPerRow: 50 };
      const fanShow = await show("fan-out", fanLayout);
      await settle(database);
      log(`live fan-out to ${subscribers} subscriptions (${perConnection} per connection)`);
      results.fanOut = await fanOut(api.url, api.metricsUrl, client, fanShow, seatsOf(fanLayout), {
        subscribers,
        perConnection,
        holdsPerSecond: fanOutRate,
        holds: smoke ? 20 : fanOutRate * 10,
      });
      checks.push(...(await verify(database.url, fanShow, "fan-out holds")));
    }

    if (only.has("scaleout")) {
      log("scale out: two API processes on one database and one Redis");
      const scale = await scaleOut(database, {
        users: headlineUsers,
        seconds,
        layout: flashLayout,
        env: apiEnv,
        settle: () => settle(database),
        log,
      });
      if ("skipped" in scale.result) log(`scale out skipped: ${scale.result.skipped}`);
      checks.push(...scale.checks);
      results.scaleOut = scale.result;
    }

    if (only.has("outbox")) {
      log("booking events: the outbox's cost on the flash sale, and delivery to a webhook");
      const outbox = await outboxScenario(database, {
        users: headlineUsers,
        seconds: shortSeconds,
        rounds: smoke ? 1 : 3,
        layout: flashLayout,
        env: apiEnv,
        settle,
        log,
      });
      checks.push(...outbox.checks);
      results.outbox = outbox.result;
    }

    if (only.has("venue")) {
      await settle(database);
      log(`venue: ${venueSizes.seats.toLocaleString("en")} seats in 6 sections, made through the API`);
      const venue = await venueScenario(client, database.url, { ...venueSizes, log });
      checks.push(...venue.checks, ...(await verify(database.url, venue.result.showIds, "venue holds")));
      results.venue = venue.result;
    }
  } finally {
    await client.close();
    await api.stop();
  }

  try {
    if (only.has("stored")) {
      // Last, in a database of its own: its millions of seats must not slow the VACUUMs of the scenarios above.
      const stored = await database.sibling("stored");
      // Every scrape computes the seat totals (by default they are kept for 15 s): the cost under test.
      const storedApi = await startApi(stored.url, { ...apiEnv, METRICS_SEAT_TOTALS_INTERVAL_MS: "0" });
      const storedClient = storedApi.client(4);
      try {
        results.storedSeats = await storedSeats(stored, storedApi, storedClient, {
          hall: smoke ? { rows: 10, seatsPerRow: 100 } : { rows: 100, seatsPerRow: 100 },
          steps: smoke ? [50_000] : args.big ? [1_000_000, 10_000_000] : [1_000_000],
          pageRequests: smoke ? 20 : 100,
          scrapes: smoke ? 5 : 20,
          log,
        });
      } finally {
        await storedClient.close();
        await storedApi.stop();
      }
    }
  } finally {
    await database.stop();
  }

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    mode: smoke ? "smoke" : args.only ? `only ${args.only}` : args.big ? "full --big" : "full",
    settings: {
      secondsPerScenario: seconds,
      flashUsers,
      headlineUsers,
      flashSeats: flashLayout.rows * flashLayout.seatsPerRow,
      seatMapSeats: mapLayout.rows * mapLayout.seatsPerRow,
      fanOut: { subscribers, perConnection, holdsPerSecond: fanOutRate },
      apiDatabasePoolSize: Number(args["pool-size"]),
      seatMapCacheStalenessMs: Number(args["seat-map-staleness"]),
      holdTtlSeconds: HOLD_TTL_SECONDS,
      venue: venueSizes,
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
  report.targets = targetRows(report);
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  const dir = path.resolve(__dirname, "results");
  await mkdir(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  await writeFile(path.join(dir, `${stamp}${smoke ? "-smoke" : ""}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (!smoke && !args.only) await writeFile(path.join(dir, "latest.md"), markdown);
  log(`done in ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    console.error(`correctness checks failed:\n${failed.map((c) => `  ${c.name}: ${c.detail}`).join("\n")}`);
    process.exit(1);
  }
}

/** A scenario run as raw SQL through the API's own booking service, over a pool of `users` connections. */
async function raw<T>(
  database: BenchDatabase,
  showId: string,
  layout: { rows: number; seatsPerRow: number },
  users: number,
  run: (booker: ReturnType<typeof rawBooker>) => Promise<T>,
): Promise<T> {
  const pool = new pg.Pool({ connectionString: database.url, max: users });
  await settle(database);
  await database.topStatements(0);
  log(`... as raw SQL, ${users} connections`);
  try {
    const result = await run(
      rawBooker(pool, { id: showId, rowCount: layout.rows, seatsPerRow: layout.seatsPerRow }, HOLD_TTL_SECONDS),
    );
    if (args["pg-stats"]) console.error(await database.topStatements(12));
    return result;
  } finally {
    await pool.end();
  }
}

function log(message: string) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
