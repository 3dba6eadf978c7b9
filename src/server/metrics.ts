import { type RequestHandler } from "express";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type BookingCommand, type BookingObserver } from "../bookings/index.js";
import { type SeatCounts } from "../seats/index.js";

/** What the gauges read when scraped. */
export interface MetricSources {
  readonly poolStats: () => { total: number; idle: number; waiting: number };
  readonly webSocketConnections: () => number;
  readonly activeSubscriptions: () => number;
  readonly expiryLagSeconds: () => Promise<number>;
  readonly seatTotals: () => Promise<SeatCounts>;
}

/** Operation names come from clients; only this many distinct ones get their own label (the rest: "other"). */
export const MAX_OPERATION_LABELS = 100;
/** Longest operation label: a client-chosen name must not make every scrape large. */
const MAX_OPERATION_LABEL_CHARS = 64;

/**
 * Prometheus metrics of one process (prom-client): request durations by operation and outcome, booking outcomes,
 * expirations and re-claims (as the booking service's observer), live connections, the database pool, how far the
 * expiry task lags, seat totals, and Node's own process metrics. Nothing is labelled per show or per user
 * (unbounded cardinality).
 */
export class Metrics implements BookingObserver {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: "booking_api_graphql_request_duration_seconds",
    help: "GraphQL requests by operation name and outcome (ok, user_error, error).",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: "booking_api_booking_commands_total",
    help: "Booking commands by command (hold, confirm, cancel, extend, refund, changeSeats) and outcome (ok or the userError code).",
    labelNames: ["command", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly expirations = new Counter({
    name: "booking_api_holds_expired_total",
    help: "Bookings released by the expiry task of this process.",
    registers: [this.registry],
  });
  private readonly reclaims = new Counter({
    name: "booking_api_seats_reclaimed_total",
    help: "Seats taken over by new holds from lapsed holds before the expiry task released them.",
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();

  /**
   * `seatTotalsIntervalMs`: the seat totals (counts checked with index probes per show, see SeatCountCache) are
   * refreshed at most this often, in the background: a scrape answers with the latest totals at once.
   */
  constructor(private readonly seatTotalsIntervalMs = 15_000) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Registers the gauges, read from `sources` at every scrape (the seat totals: the latest, see latestAtMostEvery). */
  watch(sources: MetricSources): void {
    const seatTotals = latestAtMostEvery(this.seatTotalsIntervalMs, sources.seatTotals);
    const gauge = (
      name: string,
      help: string,
      collect: (g: Gauge) => Promise<void> | void,
      labelNames: string[] = [],
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          return collect(this);
        },
      });
    gauge("booking_api_websocket_connections", "Open WebSocket connections.", (g) =>
      g.set(sources.webSocketConnections()),
    );
    gauge("booking_api_subscriptions", "Active seat-map subscriptions.", (g) => g.set(sources.activeSubscriptions()));
    gauge(
      "booking_api_db_pool_connections",
      "Database pool connections by state (in_use, idle) and waiting requests.",
      (g) => {
        const { total, idle, waiting } = sources.poolStats();
        g.set({ state: "in_use" }, total - idle);
        g.set({ state: "idle" }, idle);
        g.set({ state: "waiting" }, waiting);
      },
      ["state"],
    );
    gauge(
      "booking_api_expiry_lag_seconds",
      "Age of the oldest lapsed hold not yet released (0 when none).",
      async (g) => {
        g.set(await sources.expiryLagSeconds());
      },
    );
    gauge(
      "booking_api_seats",
      "Seats of all shows by status (totals, not per show).",
      async (g) => {
        const totals = await seatTotals();
        for (const status of ["available", "held", "booked", "blocked"] as const) g.set({ status }, totals[status]);
      },
      ["status"],
    );
  }

  commandFinished(command: BookingCommand, outcome: string): void {
    this.commands.inc({ command, outcome });
  }

  seatsReclaimed(seats: number): void {
    this.reclaims.inc(seats);
  }

  holdsExpired(bookings: number): void {
    this.expirations.inc(bookings);
  }

  /** One GraphQL request finished (see the request-metrics plugin). */
  requestFinished(
    operationName: string | null | undefined,
    outcome: "ok" | "user_error" | "error",
    seconds: number,
  ): void {
    this.requests.observe({ operation: this.operationLabel(operationName), outcome }, seconds);
  }

  handler(): RequestHandler {
    return async (_req, res, next) => {
      try {
        res.setHeader("content-type", this.registry.contentType);
        res.end(await this.registry.metrics());
      } catch (error) {
        next(error);
      }
    };
  }

  private operationLabel(name: string | null | undefined): string {
    const label = (name ?? "anonymous").slice(0, MAX_OPERATION_LABEL_CHARS);
    if (this.operationNames.has(label)) return label;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return "other";
    this.operationNames.add(label);
    return label;
  }
}

/**
 * The latest value of `load`, refreshed at most once per `intervalMs` and never twice at once. Only the first call
 * waits for a load (and every call when the interval is 0: exact at every scrape); later ones answer at once with the
 * latest value and, when it is older than the interval, start a refresh in the background. So a scrape does not wait
 * for the database, and the value is at most one interval plus one load old. A failed refresh keeps the previous
 * value and is tried again at the next call.
 */
function latestAtMostEvery<T>(intervalMs: number, load: () => Promise<T>): () => Promise<T> {
  let latest: { at: number; value: T } | undefined;
  let inFlight: Promise<T> | undefined;
  const refresh = () =>
    (inFlight ??= load()
      .then((value) => {
        latest = { at: Date.now(), value };
        return value;
      })
      .finally(() => (inFlight = undefined)));
  return async () => {
    if (!latest || intervalMs === 0) return refresh();
    if (Date.now() - latest.at >= intervalMs) refresh().catch(() => undefined);
    return latest.value;
  };
}
