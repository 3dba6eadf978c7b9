import { FAILURE_CODES, type LoadResult } from "../scenarios/booking-load";
import {
  type BenchReport,
  isSkipped,
  type ReadsUnderLoad,
  type Skipped,
  type Timing,
  type VenueResult,
} from "./results";
import { round } from "./stats";

/** The run as markdown: the targets first, then each scenario's own table, then the correctness checks. */
export function toMarkdown(report: BenchReport): string {
  const r = report.results;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  push(`# Benchmark results (${report.mode}, ${report.startedAt})`, "");
  push(
    `Machine: ${report.machine.cores} cores (${report.machine.cpu}), ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, PostgreSQL ${report.machine.postgres}. API, PostgreSQL and the load generator share the machine.`,
    "",
    `Settings: ${JSON.stringify(report.settings)}`,
    "",
  );

  push("## Targets", "");
  if (report.mode === "smoke")
    push(
      "Smoke sizes (fewer users, smaller halls, fewer subscribers): the values are not comparable with the targets.",
      "",
    );
  push("| measure | this run | target | met | seed design (same run) |", "|---|---|---|---|---|");
  for (const t of report.targets ?? [])
    push(`| ${t.measure} | ${t.value} | ${t.target} | ${t.met === null ? "—" : t.met ? "✔" : "✘"} | ${t.seed} |`);

  if (r.flashSale?.length) {
    push(
      "",
      "## Flash sale",
      "",
      "| users | API holds/s | raw SQL holds/s | API ÷ raw | API attempts/s | API confirms/s | API hold p50 / p95 / p99 ms | raw hold p99 ms | sold out (API / raw) | API errors |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const f of r.flashSale)
      push(
        `| ${f.users} | ${f.api.holdsPerSecond} | ${f.raw.holdsPerSecond} | **${round(f.api.holdsPerSecond / f.raw.holdsPerSecond, 2)}** | ${f.api.attemptsPerSecond} | ${f.api.confirmsPerSecond} | ${latency(f.api.hold)} | ${f.raw.hold.p99} | ${yesNo(f.api.soldOut)} / ${yesNo(f.raw.soldOut)} | ${errorsOf(f.api)} |`,
      );
  }
  if (r.explicitSale) {
    const e = r.explicitSale.api;
    push(
      "",
      `Explicit seats only (API, ${e.users} users): **${e.holdsPerSecond} holds/s** of ${e.attemptsPerSecond} attempts/s, hold p50 / p95 / p99 ${latency(e.hold)} ms, sold out ${yesNo(e.soldOut)}, errors ${errorsOf(e)}.`,
    );
  }
  if (r.seedDesign)
    push(
      "",
      `Seed design (show-row \`SELECT … FOR UPDATE\`, raw SQL, ${r.seedDesign.users} connections): **${r.seedDesign.bookingsPerSecond} bookings/s**, p50 / p95 / p99 ${latency(r.seedDesign.latency)} ms, sold out ${yesNo(r.seedDesign.soldOut)}.`,
    );
  if (r.hotSeats) {
    push(
      "",
      "## Hot seats (50 seats, everyone wants them)",
      "",
      "| | attempts/s | won/s | success p50 / p99 ms | failure p50 / p99 ms | failure p99 ÷ success p99 | errors |",
      "|---|---|---|---|---|---|---|",
    );
    for (const [name, x] of [
      ["API", r.hotSeats.api],
      ["raw SQL", r.hotSeats.raw],
    ] as const)
      push(
        `| ${name} | ${x.attemptsPerSecond} | ${x.holdsPerSecond} | ${x.holdOk.p50} / ${x.holdOk.p99} | ${x.holdFailed.p50} / ${x.holdFailed.p99} | ${round(x.holdFailed.p99 / Math.max(0.1, x.holdOk.p99), 2)} | ${errorsOf(x)} |`,
      );
  }
  if (r.contention) {
    push("", "## Best available under contention (10×20 hall, all holds of a round sent at once)", "");
    if (isSkipped(r.contention)) push(`Skipped: ${r.contention.skipped}.`);
    else {
      push(
        "| rounds | holds | should win | won | false refusals | multi-seat wins | scattered | scattered with a block free | `adjacent` wrong | other outcomes |",
        "|---|---|---|---|---|---|---|---|---|---|",
      );
      for (const [kind, t] of Object.entries(r.contention.byKind))
        push(
          `| ${t.rounds} × ${kind} | ${t.requests} | ${t.shouldWin} | ${t.won} | ${t.falseRefusals} | ${t.multiSeatWins} | ${t.nonAdjacent} | ${t.nonAdjacentFailures} | ${t.adjacentFlagMismatches} | ${JSON.stringify(t.otherOutcomes)} |`,
        );
      push("", `Hold latency over all rounds p50 / p95 / p99: ${latency(r.contention.hold)} ms.`);
      const examples = Object.entries(r.contention.byKind).flatMap(([kind, t]) =>
        t.examples.map((e) => `${kind} ${e}`),
      );
      if (examples.length)
        push("", "Scattered holds counted as failures (first few):", "", ...examples.map((e) => `- ${e}`));
    }
  }
  if (r.seatMapReads) {
    push(
      "",
      `## Seat-map reads (${report.settings.seatMapSeats} seats, ${report.settings.headlineUsers} readers)`,
      "",
      "| read | phase | requests/s | p50 / p95 / p99 ms | KiB per response | encodings | errors |",
      "|---|---|---|---|---|---|---|",
    );
    const phases = (name: string, reads: ReadsUnderLoad | Skipped) => {
      if (isSkipped(reads)) return push(`| ${name} | skipped: ${reads.skipped} | | | | | |`);
      for (const [phase, x] of [
        ["idle", reads.idle],
        [`while ${reads.writers.users} users book (${reads.writers.holdsPerSecond} holds/s)`, reads.whileBooking],
      ] as const)
        push(
          `| ${name} | ${phase} | ${x.requestsPerSecond} | ${latency(x.latency)} | ${x.averageResponseKiB} | ${JSON.stringify(x.encodings)} | ${x.latency.count - (x.latency.codes.OK ?? 0)} |`,
        );
    };
    phases("`availability` (Accept-Encoding: gzip)", r.seatMapReads.availability);
    phases("`seats { seatNumber status version }`", r.seatMapReads.full);
  }
  if (r.responseSizes) {
    push("", "Response sizes of one read after the bookings (body bytes on the wire):", "");
    for (const size of [r.responseSizes.availability, r.responseSizes.full])
      push(
        isSkipped(size)
          ? `- availability: skipped (${size.skipped})`
          : `- ${size.read}: ${size.uncompressedBytes} bytes uncompressed, ${size.gzipBytes} bytes with \`Accept-Encoding: gzip\` (answered ${size.gzipContentEncoding})`,
      );
  }
  if (r.fanOut) {
    const f = r.fanOut;
    push(
      "",
      "## Live fan-out",
      "",
      `${f.ready}/${f.subscribers} subscriptions live on ${f.connections} WebSocket connections (${f.perConnection} each), ${f.events} events at ${f.holdsPerSecond}/s, ${f.deliveries} deliveries: latency from the hold's response to receipt p50 ${f.latency.p50} ms, p95 ${f.latency.p95} ms, p99 ${f.latency.p99} ms, max ${f.latency.max} ms; missed ${f.missed}; protocol problems ${JSON.stringify(f.problems)}. The subscribers run in the load generator, on the same two cores as the API: over the ${f.cpu.wallSeconds} s from the first timed hold to the last delivery the API used ${f.cpu.apiCpuSeconds ?? "?"} s of CPU and the load generator ${f.cpu.loadGeneratorCpuSeconds} s.`,
    );
  }
  if (r.scaleOut) {
    push("", "## Scale out on one host (two API processes, one database, one Redis)", "");
    const s = r.scaleOut;
    if (isSkipped(s)) push(`Skipped: ${s.skipped}.`);
    else
      push(
        "| processes | holds/s | attempts/s | hold p50 / p95 / p99 ms | errors |",
        "|---|---|---|---|---|",
        `| 1 (the other idle) | ${s.oneProcess.holdsPerSecond} | ${s.oneProcess.attemptsPerSecond} | ${latency(s.oneProcess.hold)} | ${errorsOf(s.oneProcess)} |`,
        `| 2 | ${s.twoProcesses.holdsPerSecond} | ${s.twoProcesses.attemptsPerSecond} | ${latency(s.twoProcesses.hold)} | ${errorsOf(s.twoProcesses)} |`,
        "",
        `${s.users} users, Redis from ${s.redis}; 2 ÷ 1 = **${s.ratio}**.`,
      );
  }
  if (r.outbox) {
    const o = r.outbox;
    push(
      "",
      "## Booking events: the outbox's cost, and delivery to a webhook",
      "",
      "| round | holds/s without the outbox | with the outbox | with the outbox and a webhook | hold p50 / p95 / p99 ms (without → with → with a webhook) |",
      "|---|---|---|---|---|",
      ...o.withoutOutbox.map(
        (run, i) =>
          `| ${i + 1} | ${run.holdsPerSecond} | ${o.outboxOnly[i]!.holdsPerSecond} | ${o.withWebhook[i]!.holdsPerSecond} | ${latency(run.hold)} → ${latency(o.outboxOnly[i]!.hold)} → ${latency(o.withWebhook[i]!.hold)} |`,
      ),
      "",
      `${o.users} users; ${o.overheadPercent} % fewer holds/s with the outbox, ${o.webhookOverheadPercent} % with a webhook delivering every event on the same machine. Delivery from the change to the webhook's receipt: p50 ${o.delivery.p50Ms} ms, p99 ${o.delivery.p99Ms} ms, max ${o.delivery.maxMs} ms over ${o.delivery.events} events (${o.delivery.duplicates} duplicates${o.delivery.complete ? "" : "; not all delivered"}).`,
    );
  }
  if (r.storedSeats) {
    push(
      "",
      "## Cost with many stored seats (a database of its own)",
      "",
      "| stored seats | shows | set-up s | shows page p50 / p95 ms | `/metrics` p50 / p95 ms |",
      "|---|---|---|---|---|",
    );
    for (const s of r.storedSeats)
      push(
        `| ${s.storedSeats.toLocaleString("en")} | ${s.shows} | ${s.setupSeconds} | ${s.showsPage.p50} / ${s.showsPage.p95} | ${s.metrics.p50} / ${s.metrics.p95} |`,
      );
  }
  if (r.venue) push(...venueSection(r.venue));
  push("", "## Correctness checks", "", ...report.checks.map((c) => `- ${c.ok ? "✔" : "✘"} ${c.name}`), "");
  return lines.join("\n");
}

function venueSection(v: VenueResult): string[] {
  const { venue, seatInserts: inserts } = v;
  const each = (t: Timing) => t.samples.join(", ");
  const step = (name: string, t: Timing, more = each(t)) => `| ${name} | ${t.median} | ${t.max} | ${more} |`;
  const read = (name: string, kind: "map" | "seats") => {
    const [bytes, warm] = [v.responseBytes[kind], v.warmRead[kind]];
    const errors = warm.count - (warm.codes.OK ?? 0);
    return `| ${name} | ${latency(warm)} | ${fmt(bytes.gzip)} | ${fmt(bytes.uncompressed)} | ${errors} |`;
  };
  const layoutRead = "`layout`, `availability`, `categories`";
  const seatList = "`seats { seatNumber status version }`";
  return [
    "",
    `## Venue: ${fmt(venue.seats)} seats in ${venue.sections} sections (${v.repetitions} repetition${v.repetitions === 1 ? "" : "s"})`,
    "",
    `A generated venue made through \`createVenue\`: ${fmt(venue.seats)} seats in ${venue.sections} sections of ` +
      `${venue.rows} ragged rows (30–60 seats), ${fmt(venue.aisles)} aisles, ${venue.gaps} gaps, ` +
      `${venue.wheelchairPairs} wheelchair spaces with a companion seat, 4 categories; then a show on it through ` +
      "`createShow` with a price per category, and its first reads (`Accept-Encoding: gzip`; the seat list right " +
      "after the map). Each repetition makes a new venue and show.",
    "",
    "| step | median ms | max ms | each repetition (ms) |",
    "|---|---|---|---|",
    step("`createVenue`", v.createVenueMs),
    step("`createShow` through the API", v.createShowMs),
    isSkipped(inserts)
      ? `| \`materialize_seats\` alone | — | — | ${inserts.skipped} |`
      : step(
          "`materialize_seats` alone (pg_stat_statements)",
          inserts.materializeMs,
          `${each(inserts.materializeMs)}; statements inserting seats per show: ` +
            inserts.perShow.map((x) => `${x.statements} (${fmt(x.rows)} rows)`).join(", "),
        ),
    step(`first read of the new show: ${layoutRead}`, v.firstReadMs.map),
    step(`first read of the new show: ${seatList}`, v.firstReadMs.seats),
    "",
    `| warm read of the last show, ${v.warmRead.map.count} one at a time (gzip) | p50 / p95 / p99 ms | bytes with gzip | bytes uncompressed | errors |`,
    "|---|---|---|---|---|",
    read(layoutRead, "map"),
    read(seatList, "seats"),
    "",
    `Best available (\`seats: { quantity: ${v.hold.quantity} }, categories: ${JSON.stringify(v.hold.categories)}\`) on the last ` +
      `show, ${v.hold.count} holds one at a time by distinct users, each cancelled after: p50 / p95 / p99 ` +
      `${latency(v.hold)} ms; outcomes ${JSON.stringify(v.hold.codes)}; \`adjacent\` wrong in ` +
      `${v.hold.adjacentFlagWrong} (compared with where the seats are in the database).`,
  ];
}

const fmt = (n: number) => n.toLocaleString("en");
const latency = (s: { p50: number; p95: number; p99: number }) => `${s.p50} / ${s.p95} / ${s.p99}`;
const yesNo = (b: boolean) => (b ? "yes" : "no");

function errorsOf(result: LoadResult): string {
  const all = new Map<string, number>();
  for (const codes of [result.hold.codes, result.confirm.codes, result.cancel.codes])
    for (const [code, n] of Object.entries(codes)) all.set(code, (all.get(code) ?? 0) + n);
  const bad = [...all].filter(([code]) => FAILURE_CODES.has(code));
  return bad.length === 0 ? "0" : bad.map(([code, n]) => `${code}: ${n}`).join(", ");
}
