import {
  ConfirmBookingDocument,
  CreateWebhookDocument,
  HoldSeatsDocument,
  WebhookDocument,
} from "../__generated__/graphql";
import { type ApiProcess, twoApiProcesses } from "../support/api-process";
import { createShowAt, uniqueUser } from "../support/factories";
import { createDatabase, type PrismaClient, signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { waitUntil } from "../support/time";
import { verify, WebhookReceiver } from "../support/webhook-receiver";

jest.setTimeout(60_000);
const SECRET = "webhooks-multi-process-secret";
const adminToken = signToken(SECRET, { sub: "webhook-admin", role: "admin" });

/*
 * Two real API processes over one database, each running its relay and webhook dispatcher, deliver a burst of events
 * to one receiver in this process. The receiver answers slowly and fails some first attempts, so leases, retries and
 * the per-booking order are exercised across processes; it counts requests in flight per webhook-id: two at once
 * would be the same event delivered concurrently. Then one process is killed (SIGKILL) while it holds leases: the
 * other delivers those events once the leases run out (WEBHOOK_TIMEOUT_MS + 10 s).
 */
describe("webhooks with two API processes", () => {
  const api = twoApiProcesses(() => ({
    JWT_SECRET: SECRET,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1",
    EVENT_RELAY_INTERVAL_MS: "20",
    WEBHOOK_RETRY_BASE_MS: "50",
    WEBHOOK_RETRY_MAX_MS: "200",
    WEBHOOK_TIMEOUT_MS: "500",
    WEBHOOK_MAX_ATTEMPTS: "50",
    WEBHOOK_CONCURRENCY: "8",
    RATE_LIMIT_USER_POINTS: "0",
    MAX_HELD_SEATS_PER_ADDRESS: "0",
    REHOLD_COOLDOWN_SECONDS: "0",
    HOLD_TTL_SECONDS: "300",
  }));
  const processes = api.processes;
  let receiver: WebhookReceiver;
  let db: { prisma: PrismaClient; disconnect(): Promise<void> };
  let webhook: { id: string; secret: string };
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    db = createDatabase(api.database!.url, 2);
    const created = await postGraphQL(
      processes[0]!.url,
      CreateWebhookDocument,
      { input: { url: receiver.url } },
      adminToken,
    );
    expect(created.data?.createWebhook.userErrors).toEqual([]);
    webhook = { id: created.data!.createWebhook.webhook!.id, secret: created.data!.createWebhook.secret! };
  });
  afterAll(async () => {
    await receiver?.stop();
    await db?.disconnect();
  });

  const eventIds = async () =>
    (await db.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM booking_events ORDER BY sequence`).map(
      (r) => r.id,
    );
  const deliveredIds = () =>
    new Set(receiver.received.filter((r) => r.answered === 200).map((r) => String(r.headers["webhook-id"])));

  const backlog = async (via: ApiProcess) => {
    const { webhook: read } = (await postGraphQL(via.url, WebhookDocument, { id: webhook.id }, adminToken)).data!;
    return { pendingDeliveries: read!.pendingDeliveries, deadDeliveries: read!.deadDeliveries };
  };

  /** A show with `seats` seats, each booked (held, then confirmed) by its own user through alternating processes. */
  async function burst(seats: number): Promise<string[]> {
    const [first, second] = processes as [ApiProcess, ApiProcess];
    const show = await createShowAt(first.url, SECRET, { rows: 1, seatsPerRow: seats, createdBy: uniqueUser("admin") });
    return Promise.all(
      Array.from({ length: seats }, async (_, i) => {
        const via = i % 2 === 0 ? first : second;
        const token = signToken(SECRET, { sub: uniqueUser(), role: "user" });
        const held = await postGraphQL(
          via.url,
          HoldSeatsDocument,
          { input: { showId: show.id, seatNumbers: [`A${i + 1}`] } },
          token,
        );
        const bookingId = held.data!.holdSeats.booking!.id;
        const other = via === first ? second : first;
        const confirmed = await postGraphQL(other.url, ConfirmBookingDocument, { id: bookingId }, token);
        expect(confirmed.data?.confirmBooking.userErrors).toEqual([]);
        return bookingId;
      }),
    );
  }

  it("deliver every event of a burst exactly once, never the same one twice at a time, each booking in order", async () => {
    // Slow answers, and a failed first attempt for about a quarter of the events.
    receiver.answer = ({ id, nth }) =>
      nth === 1 && /^[0-3]/.test(id) ? { status: 500, delayMs: 30 } : { status: 200, delayMs: Math.random() * 60 };
    const bookings = (await Promise.all([burst(20), burst(20)])).flat();
    const expected = await eventIds();
    expect(expected).toHaveLength(2 + 2 * bookings.length);
    await waitUntil(async () => deliveredIds().size === (await eventIds()).length, {
      timeoutMs: 30_000,
      message: "every event delivered",
    });

    expect(receiver.maxConcurrentPerId).toBe(1);
    const delivered = receiver.received.filter((r) => r.answered === 200);
    expect(delivered).toHaveLength(expected.length);
    expect(new Set(delivered.map((r) => String(r.headers["webhook-id"])))).toEqual(new Set(expected));
    expect(receiver.received.filter((r) => r.answered === 500).length).toBeGreaterThan(0);
    for (const request of delivered) expect(verify(webhook.secret, request)).toBeTruthy();
    // Per booking: the hold's event reached the receiver before the confirmation's.
    for (const bookingId of bookings) {
      const types = delivered
        .map((r) => JSON.parse(r.body) as { type: string; bookingId: string | null })
        .filter((event) => event.bookingId === bookingId)
        .map((event) => event.type);
      expect({ bookingId, types }).toEqual({ bookingId, types: ["booking.held", "booking.confirmed"] });
    }
    await waitUntil(async () => (await backlog(processes[1]!)).pendingDeliveries === 0, {
      message: "the last outcome recorded",
    });
    expect(await backlog(processes[1]!)).toEqual({ pendingDeliveries: 0, deadDeliveries: 0 });
  });

  it("deliver what a killed process had leased, once its leases run out", async () => {
    const [first, second] = processes as [ApiProcess, ApiProcess];
    // Nothing is answered: both processes hold leases on requests in flight.
    receiver.answer = () => "hang";
    await burst(10);
    // More requests held at once than one process sends (WEBHOOK_CONCURRENCY 8): both hold leases.
    await waitUntil(() => receiver.inFlightCount() > 8, { message: "requests from both processes" });
    await second.stop("SIGKILL");
    receiver.answer = () => ({ status: 200 });

    const expected = await eventIds();
    await waitUntil(() => expected.every((id) => deliveredIds().has(id)), {
      timeoutMs: 25_000,
      message: "every event delivered by the surviving process",
    });
    expect(receiver.maxConcurrentPerId).toBe(1);
    await waitUntil(async () => (await backlog(first)).pendingDeliveries === 0, {
      message: "the last outcome recorded",
    });
    expect(await backlog(first)).toEqual({ pendingDeliveries: 0, deadDeliveries: 0 });
  });
});
