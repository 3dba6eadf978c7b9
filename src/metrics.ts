import { type ApolloServerPlugin } from "@apollo/server";
import { type RequestHandler } from "express";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type Container } from "./container.js";
import { type PrismaClient } from "./db/prisma.js";
import { type Outcome } from "./shared/problem.js";

export interface MetricSources {
  readonly prisma: PrismaClient;
  readonly poolStats: () => { total: number; idle: number; waiting: number };
  readonly webSocketConnections: () => number;
}

/**
 * Prometheus metrics of one process (prom-client): request durations by operation and outcome, booking outcomes,
 * expirations and re-claims, live connections, the database pool, how far the expiry task lags, seat totals, and
 * Node's own process metrics. Nothing is labelled per show or per user (unbounded cardinality).
 */
export class Metrics {
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
    help: "Booking commands by command (hold, confirm, cancel, extend) and outcome (ok or the userError code).",
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
  /** Operation names come from clients; only this many distinct ones get their own label. */
  private readonly operationNames = new Set<string>();

  constructor(sources: MetricSources, container: Pick<Container, "bookings" | "seatEvents">) {
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, collect: (g: Gauge) => Promise<void> | void, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers: [this.registry], collect() { return collect(this); } });
    gauge("booking_api_websocket_connections", "Open WebSocket connections.", (g) => g.set(sources.webSocketConnections()));
    gauge("booking_api_subscriptions", "Active seat-map subscriptions.", (g) => g.set(container.seatEvents.activeSubscriptions()));
    gauge("booking_api_db_pool_connections", "Database pool connections by state (in_use, idle) and waiting requests.", (g) => {
      const { total, idle, waiting } = sources.poolStats();
      g.set({ state: "in_use" }, total - idle);
      g.set({ state: "idle" }, idle);
      g.set({ state: "waiting" }, waiting);
    }, ["state"]);
    gauge("booking_api_expiry_lag_seconds", "Age of the oldest lapsed hold not yet released (0 when none).", async (g) => {
      const [row] = await sources.prisma.$queryRaw<{ lag: number | null }[]>`
        SELECT extract(epoch FROM now() - min(expires_at))::float8 AS lag FROM bookings WHERE status = 'PENDING' AND expires_at <= now()`;
      g.set(row?.lag ?? 0);
    });
    gauge("booking_api_seats", "Seats of all shows by status (totals, not per show).", async (g) => {
      const rows = await sources.prisma.seat.groupBy({ by: ["status"], _count: { _all: true } });
      for (const status of ["available", "held", "booked"]) {
        g.set({ status }, rows.find((r) => r.status === status)?._count._all ?? 0);
      }
    }, ["status"]);

    const bookings = container.bookings;
    bookings.onReclaimed = (seats) => this.reclaims.inc(seats);
    for (const command of ["hold", "confirm", "cancel", "extend"] as const) {
      const run = bookings[command].bind(bookings) as (...args: never[]) => Promise<Outcome<unknown>>;
      (bookings as unknown as Record<string, unknown>)[command] = async (...args: never[]) => {
        const outcome = await run(...args);
        this.commands.inc({ command, outcome: outcome.ok ? "ok" : (outcome.problems[0]?.code ?? "error") });
        return outcome;
      };
    }
    const expireDue = bookings.expireDue.bind(bookings);
    bookings.expireDue = async (batch?: number) => {
      const expired = await expireDue(batch);
      this.expirations.inc(expired);
      return expired;
    };
  }

  /** Times every GraphQL request and labels it with its operation name and outcome. */
  plugin<TContext extends object>(): ApolloServerPlugin<TContext> {
    const requests = this.requests;
    const operationLabel = (name: string | null | undefined) => {
      const label = (name ?? "anonymous").slice(0, 64);
      if (this.operationNames.has(label)) return label;
      if (this.operationNames.size >= 200) return "other";
      this.operationNames.add(label);
      return label;
    };
    return {
      async requestDidStart() {
        const end = requests.startTimer();
        return {
          async willSendResponse({ operationName, response }) {
            const body = response.body.kind === "single" ? response.body.singleResult : undefined;
            const payloads = Object.values((body?.data ?? {}) as Record<string, { userErrors?: unknown[] } | null>);
            const outcome = body?.errors?.length ? "error" : payloads.some((p) => p?.userErrors?.length) ? "user_error" : "ok";
            end({ operation: operationLabel(operationName), outcome });
          },
        };
      },
    };
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
}
