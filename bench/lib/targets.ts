import { type BenchReport, type ReadsUnderLoad, isSkipped, type Skipped, type TargetRow } from "./results";
import { round } from "./stats";
import { VENUE_SEATS } from "./venue-layout";

/** The issue's fan-out target: this many subscribers on one show. */
export const FAN_OUT_TARGET_SUBSCRIBERS = 10_000;
/** The compact availability answer of a 10,000-seat show, gzip-compressed, at most this many bytes. */
const AVAILABILITY_GZIP_TARGET_BYTES = 4096;

const NOT_MEASURED = (measure: string, target: string, why = "not measured in this run"): TargetRow => ({
  measure,
  value: why,
  target,
  met: null,
  seed: "—",
});

const fmt = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 2 });
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : 0);

/**
 * The issue's target table for one run: each measure, this run's value with the figures it comes from, the target,
 * whether it is met, and the seed design's figure from the same run where it compares.
 */
export function targetRows(report: BenchReport): TargetRow[] {
  const r = report.results;
  const users = report.settings.headlineUsers;
  const seed = r.seedDesign;
  const seedRate = seed ? `${fmt(seed.bookingsPerSecond)} bookings/s` : "—";
  const flash = r.flashSale?.find((f) => f.users === users);
  const rows: TargetRow[] = [];

  const versusSeed = (measure: string, holdsPerSecond: number | undefined, minimum: number) => {
    if (holdsPerSecond === undefined || !seed) return NOT_MEASURED(measure, `≥ ${minimum}`);
    const value = ratio(holdsPerSecond, seed.bookingsPerSecond);
    return {
      measure,
      value: `**${value}** (${fmt(holdsPerSecond)} holds/s ÷ ${fmt(seed.bookingsPerSecond)})`,
      target: `≥ ${minimum}`,
      met: value >= minimum,
      seed: seedRate,
    };
  };
  rows.push(
    versusSeed(
      `flash sale holds/s (API, ${users} users, mixed explicit/best-available + confirm) ÷ seed design's raw-SQL bookings/s`,
      flash?.api.holdsPerSecond,
      1,
    ),
    versusSeed(`explicit-seat holds/s (API, ${users} users) ÷ seed design`, r.explicitSale?.api.holdsPerSecond, 1.5),
  );

  const contentionMeasure =
    "best available under contention: false `SEATS_UNAVAILABLE`, non-adjacent when a block existed";
  if (!r.contention || isSkipped(r.contention))
    rows.push(NOT_MEASURED(contentionMeasure, "0, 0", r.contention?.skipped));
  else {
    const t = r.contention.total;
    const others = Object.values(t.otherOutcomes).reduce((a, b) => a + b, 0);
    rows.push({
      measure: contentionMeasure,
      value:
        `**${r.contention.falseRefusalPercent} %, ${r.contention.nonAdjacentFailurePercent} %** ` +
        `(${t.falseRefusals} of ${t.shouldWin} holds that fit refused; ${t.nonAdjacentFailures} of ${t.multiSeatWins} ` +
        `multi-seat holds scattered with a block free; ${t.rounds} rounds, ${t.requests} holds` +
        `${others ? `, ${others} other outcomes` : ""})`,
      target: "0, 0",
      met: t.falseRefusals === 0 && t.nonAdjacentFailures === 0 && others === 0,
      seed: "—",
    });
  }

  const seats = report.settings.seatMapSeats.toLocaleString("en");
  const readsRow = (what: string, reads: ReadsUnderLoad | Skipped | undefined): TargetRow => {
    const measure = `${seats}-seat map reads/s while ${users} users book the same show ÷ idle reads/s: ${what}`;
    if (!reads || isSkipped(reads)) return NOT_MEASURED(measure, "≥ 0.8", reads?.skipped);
    const value = ratio(reads.whileBooking.requestsPerSecond, reads.idle.requestsPerSecond);
    return {
      measure,
      value: `**${value}** (${fmt(reads.whileBooking.requestsPerSecond)} ÷ ${fmt(reads.idle.requestsPerSecond)} req/s${reads.writers.soldOut ? `; show sold out after ${reads.whileBooking.seconds} s` : ""})`,
      target: "≥ 0.8",
      met: value >= 0.8,
      seed: "—",
    };
  };
  rows.push(
    readsRow("compact `availability`", r.seatMapReads?.availability),
    readsRow("full list `seats { seatNumber status version }`", r.seatMapReads?.full),
  );

  const sizeMeasure = `${seats}-seat availability response on the wire, \`Accept-Encoding: gzip\` (uncompressed)`;
  const size = r.responseSizes?.availability;
  if (!size || isSkipped(size)) rows.push(NOT_MEASURED(sizeMeasure, "≤ 4 KB", size?.skipped));
  else {
    const full = r.responseSizes!.full;
    rows.push({
      measure: sizeMeasure,
      value:
        `**${fmt(size.gzipBytes)} bytes** (${size.gzipContentEncoding}; ${fmt(size.uncompressedBytes)} uncompressed; ` +
        `full seat list ${fmt(full.gzipBytes)} with gzip, ${fmt(full.uncompressedBytes)} without)`,
      target: `≤ 4 KB (${fmt(AVAILABILITY_GZIP_TARGET_BYTES)} bytes)`,
      met: size.ok && size.gzipBytes <= AVAILABILITY_GZIP_TARGET_BYTES,
      seed: "—",
    });
  }

  const p95Measure = `hold p95 at ${users} users (flash sale, API)`;
  rows.push(
    flash
      ? {
          measure: p95Measure,
          value: `**${fmt(flash.api.hold.p95)} ms** (p50 ${fmt(flash.api.hold.p50)}, p99 ${fmt(flash.api.hold.p99)})`,
          target: "≤ 100 ms",
          met: flash.api.hold.p95 <= 100,
          seed: seed ? `p95 ${fmt(seed.latency.p95)} ms` : "—",
        }
      : NOT_MEASURED(p95Measure, "≤ 100 ms"),
  );

  const fanMeasure = "fan-out: subscribers on one show, one process, p99 from commit to receipt, missed";
  const f = r.fanOut;
  rows.push(
    f
      ? {
          measure: fanMeasure,
          value:
            `**${fmt(f.subscribers)}: ${fmt(f.latency.p99)} ms, ${fmt(f.missed)}** (${f.ready} live, ${f.connections} ` +
            `connections, ${f.events} events at ${f.holdsPerSecond}/s, ${fmt(f.deliveries)} deliveries)`,
          target: `${fmt(FAN_OUT_TARGET_SUBSCRIBERS)}: ≤ 250 ms, 0`,
          met:
            f.subscribers >= FAN_OUT_TARGET_SUBSCRIBERS &&
            f.ready === f.subscribers &&
            f.latency.p99 <= 250 &&
            f.missed === 0,
          seed: "—",
        }
      : NOT_MEASURED(fanMeasure, `${fmt(FAN_OUT_TARGET_SUBSCRIBERS)}: ≤ 250 ms, 0`),
  );

  const rawMeasure = `API ÷ raw-SQL holds/s with the same statements (flash sale, ${users} users)`;
  if (!flash) rows.push(NOT_MEASURED(rawMeasure, "≥ 0.8"));
  else {
    const value = ratio(flash.api.holdsPerSecond, flash.raw.holdsPerSecond);
    rows.push({
      measure: rawMeasure,
      value: `**${value}** (${fmt(flash.api.holdsPerSecond)} ÷ ${fmt(flash.raw.holdsPerSecond)} holds/s)`,
      target: "≥ 0.8",
      met: value >= 0.8,
      seed: "—",
    });
  }

  rows.push(...storedRows(report));

  const scaleMeasure = `(item 6) flash sale holds/s with 2 API processes ÷ 1 (one database, one Redis, ${users} users)`;
  const scale = r.scaleOut;
  if (!scale || isSkipped(scale)) rows.push(NOT_MEASURED(scaleMeasure, "reported", scale?.skipped));
  else
    rows.push({
      measure: scaleMeasure,
      value: `**${scale.ratio}** (${fmt(scale.twoProcesses.holdsPerSecond)} ÷ ${fmt(scale.oneProcess.holdsPerSecond)} holds/s)`,
      target: "reported",
      met: null,
      seed: seedRate,
    });
  rows.push(...venueTargetRows(report), ...outboxTargetRows(report));
  return rows;
}

/** Shows page and /metrics: the first step past one show (1M seats in the full run) ÷ one show; later steps recorded. */
function storedRows(report: BenchReport): TargetRow[] {
  const steps = report.results.storedSeats;
  const row = (what: string, p50: (s: NonNullable<typeof steps>[number]) => number): TargetRow => {
    const measure = `${what} p50 with many stored seats ÷ with one show`;
    if (!steps || steps.length < 2) return NOT_MEASURED(measure, "≤ 1.5×");
    const [one, compared, ...later] = steps;
    const value = ratio(p50(compared!), p50(one!));
    const at = (s: typeof one) => `${fmt(s!.storedSeats)} seats: ${fmt(p50(s!))} ms`;
    return {
      measure: `${what} p50 with ${fmt(compared!.storedSeats)} stored seats ÷ with one show`,
      value:
        `**${value}×** (${at(compared)} vs ${at(one)}` +
        later.map((s) => `; ${at(s)}, ${ratio(p50(s), p50(one!))}×`).join("") +
        ")",
      target: later.length ? "≤ 1.5× (and recorded at 10M)" : "≤ 1.5× (10M: run with --big)",
      met: value <= 1.5,
      seed: "—",
    };
  };
  return [
    row("shows page (`shows(first: 20)` with counts)", (s) => s.showsPage.p50),
    row("`/metrics` scrape", (s) => s.metrics.p50),
  ];
}

/** The venue scenario's rows of the targets table. */
function venueTargetRows(report: BenchReport): TargetRow[] {
  const v = report.results.venue;
  const seats = fmt(v?.venue.seats ?? VENUE_SEATS);
  const creation = `show creation through the API, ${seats} seats in 6 sections (slowest of the repetitions); seats inserted by one statement`;
  const map = `seat map of a new ${seats}-seat show (\`layout\`, \`availability\`, \`categories\`; gzip): first read (median of the repetitions), warm p50 / p95`;
  if (!v) return [NOT_MEASURED(creation, "< 1 s, one statement"), NOT_MEASURED(map, "recorded")];
  const inserts = v.seatInserts;
  const oneStatement = isSkipped(inserts) ? null : inserts.oneStatementEach;
  const statements =
    oneStatement === null ? "statements not counted" : oneStatement ? "one statement" : "NOT one statement";
  const materialize = isSkipped(inserts)
    ? inserts.skipped
    : `\`materialize_seats\` median ${fmt(inserts.materializeMs.median)} ms, max ${fmt(inserts.materializeMs.max)} ms`;
  const [first, warm, bytes] = [v.firstReadMs, v.warmRead, v.responseBytes];
  return [
    {
      measure: creation,
      value: `**${fmt(v.createShowMs.max)} ms, ${statements}** (median ${fmt(v.createShowMs.median)} ms of ${v.repetitions}; ${materialize})`,
      target: "< 1 s, one statement",
      met: oneStatement === null ? null : oneStatement && v.createShowMs.max < 1000,
      seed: "—",
    },
    {
      measure: map,
      value:
        `**first ${fmt(first.map.median)} ms, warm ${fmt(warm.map.p50)} / ${fmt(warm.map.p95)} ms** (first read max ` +
        `${fmt(first.map.max)} ms; ${fmt(bytes.map.gzip)} bytes with gzip, ${fmt(bytes.map.uncompressed)} without; ` +
        `full seat list: first ${fmt(first.seats.median)} ms, warm ${fmt(warm.seats.p50)} / ${fmt(warm.seats.p95)} ms, ` +
        `${fmt(bytes.seats.gzip)} bytes with gzip)`,
      target: "recorded",
      met: null,
      seed: "—",
    },
  ];
}

/** The booking-event outbox: its cost on the flash sale, and delivery latency to a webhook under that load. */
function outboxTargetRows(report: BenchReport): TargetRow[] {
  const o = report.results.outbox;
  const cost = "(#14) flash sale holds/s with the booking-event outbox (events written and sequenced), against without";
  const withWebhook = "(#14) the same with every event also delivered to a webhook receiver on the same machine";
  const latency = "(#14) booking event delivery, change to webhook receipt, under that load: p50 / p99";
  if (!o)
    return [
      NOT_MEASURED(cost, "≤ 10 % lower"),
      NOT_MEASURED(withWebhook, "reported"),
      NOT_MEASURED(latency, "reported"),
    ];
  const sum = (runs: typeof o.withoutOutbox) => fmt(runs.reduce((total, run) => total + run.holdsPerSecond, 0));
  const versus = `over ${o.rounds} alternating rounds`;
  return [
    {
      measure: cost,
      value: `**${o.overheadPercent} % lower** (${sum(o.outboxOnly)} vs ${sum(o.withoutOutbox)} holds/s ${versus})`,
      target: "≤ 10 % lower",
      met: o.overheadPercent <= 10,
      seed: "—",
    },
    {
      measure: withWebhook,
      value: `**${o.webhookOverheadPercent} % lower** (${sum(o.withWebhook)} vs ${sum(o.withoutOutbox)} holds/s ${versus})`,
      target: "reported",
      met: null,
      seed: "—",
    },
    {
      measure: latency,
      value: `**${fmt(o.delivery.p50Ms)} / ${fmt(o.delivery.p99Ms)} ms** (max ${fmt(o.delivery.maxMs)} ms; ${fmt(o.delivery.events)} events, ${o.delivery.duplicates} duplicates${o.delivery.complete ? "" : ", NOT all delivered"})`,
      target: "reported",
      met: null,
      seed: "—",
    },
  ];
}
