import {
  CancelBookingDocument,
  ChangeSeatsDocument,
  ConfirmBookingDocument,
  RefundBookingDocument,
  SeatMapChangedDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { subscribe } from "../../support/subscriptions";
import { Metrics } from "../../../src/server/metrics";
import { startTestApp, type TestApp } from "../../support/test-app";
import { waitUntil } from "../../support/time";

let t: TestApp;
beforeAll(async () => {
  // Long holds: the test makes one lapse when it wants to (lapseHolds).
  t = await startTestApp({ HOLD_TTL_SECONDS: "300", METRICS_SEAT_TOTALS_INTERVAL_MS: "0" });
});
afterAll(() => t.stop());

const scrape = async () => {
  const response = await fetch(t.app.metricsUrl);
  expect(response.headers.get("content-type")).toMatch(/text\/plain/);
  return response.text();
};
const value = (text: string, series: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

describe("/metrics", () => {
  it("exposes request, booking, expiry, connection, pool and seat metrics in Prometheus format", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    const user = uniqueUser();
    const a = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] }); // taken
    await t.ok(ConfirmBookingDocument, { id: a.booking!.id }, { as: user });
    const b = await hold(t, user, { showId: show.id, seatNumbers: ["A2"] });
    await t.ok(CancelBookingDocument, { id: b.booking!.id }, { as: user });
    const lapsing = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3", "A4"] });
    await lapseHolds(t.prisma, [lapsing.booking!.id]);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A4"] }); // takes over a lapsed seat
    const sub = subscribe(t.app.address, SeatMapChangedDocument, { showId: show.id });
    // The gauges read 1 once the server registered the subscription; graphql-ws does not acknowledge that.
    const subscribed = async () => {
      const text = await scrape();
      return value(text, "booking_api_websocket_connections") === 1 && value(text, "booking_api_subscriptions") === 1;
    };
    await waitUntil(subscribed, { message: "the subscription to show on /metrics" });
    const lagging = await scrape();
    expect(value(lagging, "booking_api_expiry_lag_seconds")).toBeGreaterThan(0);
    await t.app.container.expiryTask.runOnce();

    const text = await scrape();
    expect(value(text, 'booking_api_booking_commands_total{command="hold",outcome="ok"}')).toBe(4);
    expect(value(text, 'booking_api_booking_commands_total{command="hold",outcome="SEATS_UNAVAILABLE"}')).toBe(1);
    expect(value(text, 'booking_api_booking_commands_total{command="confirm",outcome="ok"}')).toBe(1);
    expect(value(text, 'booking_api_booking_commands_total{command="cancel",outcome="ok"}')).toBe(1);
    expect(value(text, "booking_api_seats_reclaimed_total")).toBe(1);
    expect(value(text, "booking_api_holds_expired_total")).toBe(1);
    expect(value(text, "booking_api_expiry_lag_seconds")).toBe(0);
    expect(value(text, 'booking_api_seats{status="booked"}')).toBe(1);
    expect(value(text, 'booking_api_seats{status="held"}')).toBe(1);
    expect(value(text, "booking_api_websocket_connections")).toBe(1);
    expect(value(text, "booking_api_subscriptions")).toBe(1);
    expect(value(text, 'booking_api_db_pool_connections{state="idle"}')).toBeGreaterThan(0);
    expect(value(text, 'booking_api_graphql_request_duration_seconds_count{operation="HoldSeats",outcome="ok"}')).toBe(
      4,
    );
    expect(
      value(text, 'booking_api_graphql_request_duration_seconds_count{operation="HoldSeats",outcome="user_error"}'),
    ).toBe(1);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).not.toMatch(new RegExp(show.id)); // nothing is labelled per show
    await sub.close();
  });
});

describe("/metrics exposure and cost", () => {
  it("is not served on the public port", async () => {
    const response = await fetch(t.app.address.replace("/graphql", "/metrics"));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/booking_api_/);
  });

  it("keeps at most 100 operation names (truncated), the rest as other", async () => {
    for (let i = 0; i < 150; i++) {
      await t.post(JSON.stringify({ query: `query Op${i}${"x".repeat(1000)} { __typename }` }));
    }
    const operations = new Set(
      [...(await scrape()).matchAll(/booking_api_graphql_request_duration_seconds_count\{operation="([^"]*)"/g)].map(
        (match) => match[1]!,
      ),
    );
    expect(operations.size).toBeLessThanOrEqual(101);
    expect(operations.has("other")).toBe(true);
    expect(Math.max(...[...operations].map((name) => name.length))).toBeLessThanOrEqual(64);
  });

  it("counts the box office's refunds and seat changes by outcome", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6, createdBy: uniqueUser("admin") });
    const user = uniqueUser();
    const bought = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    await t.ok(ConfirmBookingDocument, { id: bought.booking!.id }, { as: user });
    const admin = { as: uniqueUser("admin"), role: "admin" as const };
    const bookingId = bought.booking!.id;
    const move = { bookingId, release: ["A2"], take: ["A3"], idempotencyKey: "metrics-move" };
    await t.ok(ChangeSeatsDocument, { input: move }, admin);
    await t.ok(RefundBookingDocument, { input: { bookingId, seatNumbers: ["A6"] } }, admin); // not the booking's
    await t.ok(RefundBookingDocument, { input: { bookingId, seatNumbers: ["A3"] } }, admin);
    const text = await scrape();
    expect(value(text, 'booking_api_booking_commands_total{command="changeSeats",outcome="ok"}')).toBe(1);
    expect(value(text, 'booking_api_booking_commands_total{command="refund",outcome="INVALID_INPUT"}')).toBe(1);
    expect(value(text, 'booking_api_booking_commands_total{command="refund",outcome="ok"}')).toBe(1);
  });

  it("computes the seat totals at most once per interval, never twice at once", async () => {
    let scans = 0;
    const metrics = new Metrics(60_000);
    metrics.watch({
      poolStats: () => ({ total: 0, idle: 0, waiting: 0 }),
      webSocketConnections: () => 0,
      activeSubscriptions: () => 0,
      expiryLagSeconds: async () => 0,
      seatTotals: async () => {
        scans++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { available: 3, held: 2, booked: 1, blocked: 0 };
      },
    });
    const texts = await Promise.all(Array.from({ length: 10 }, () => metrics.registry.metrics()));
    await metrics.registry.metrics();
    expect(scans).toBe(1);
    expect(value(texts[0]!, 'booking_api_seats{status="held"}')).toBe(2);
  });
});
