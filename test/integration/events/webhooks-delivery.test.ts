import { randomBytes } from "node:crypto";
import {
  ReplayWebhookDeliveriesDocument,
  RotateWebhookSecretDocument,
  type WebhookDeliveryStatus,
} from "../../__generated__/graphql";
import { type BookingEventRow, EVENT_COLUMNS, toEnvelope } from "../../../src/events/event-envelope";
import { admin } from "../../support/box-office";
import { createShow, uniqueUser } from "../../support/factories";
import { type TestApp } from "../../support/test-app";
import { book, deliveryTestApp, registerWebhook, verify } from "../../support/webhook-receiver";

/*
 * Deliveries end to end: the API's relay runs on a short interval, events are made with real API calls, and a real
 * HTTP receiver in this process answers as each test wants. Signatures are checked with the `standardwebhooks`
 * package. Retries are 100 ms, 200 ms, 400 ms apart (less up to 20% jitter); the fourth failure dead-letters.
 */

const setup = deliveryTestApp();
const receiver = () => setup.receiver();
const deliveriesOf = (id: string, status?: WebhookDeliveryStatus[]) => setup.deliveriesOf(id, status);
let t: TestApp;
beforeAll(() => (t = setup.t));

const eventRow = async (id: string) =>
  (
    await t.prisma.$queryRawUnsafe<BookingEventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM booking_events AS e WHERE e.id = $1::uuid`,
      id,
    )
  )[0]!;

const idOf = (r: { headers: Record<string, unknown> }) => String(r.headers["webhook-id"]);

describe("a delivery", () => {
  it("is the event's envelope, signed the Standard Webhooks way (verified by the reference package)", async () => {
    const endpoint = await receiver();
    const { secret } = await registerWebhook(t, { url: endpoint.url, description: "signatures" });
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const bookingId = await book(t, show.id, uniqueUser(), ["A1"]);
    await endpoint.waitFor(() => endpoint.deliveredBodies().length >= 3, "show.created, booking.held, confirmed");

    const confirmed = endpoint.received.find((r) => JSON.parse(r.body).type === "booking.confirmed")!;
    // Exactly the envelope every channel carries, built from the log's row.
    const envelope = JSON.parse(confirmed.body) as { id: string };
    expect(confirmed.body).toBe(JSON.stringify(toEnvelope(await eventRow(envelope.id))));
    expect(envelope).toMatchObject({ type: "booking.confirmed", showId: show.id, bookingId, position: 3 });
    expect(confirmed.headers["content-type"]).toBe("application/json");
    expect(confirmed.headers["user-agent"]).toMatch(/booking-api-webhooks/);
    expect(confirmed.headers["webhook-id"]).toBe(envelope.id);
    const timestamp = Number(confirmed.headers["webhook-timestamp"]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(10);
    expect(String(confirmed.headers["webhook-signature"])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    expect(verify(secret, confirmed)).toEqual(envelope);
    // A body changed on the way, or another secret, fails verification.
    expect(() => verify(secret, { ...confirmed, body: confirmed.body.replace('"A1"', '"A2"') })).toThrow(/signature/i);
    const otherSecret = `whsec_${randomBytes(32).toString("base64")}`;
    expect(() => verify(otherSecret, confirmed)).toThrow(/signature/i);
  });

  it("is signed with both secrets during a rotation's grace period, then with the new one only", async () => {
    const endpoint = await receiver();
    const old = await registerWebhook(t, { url: endpoint.url });
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "show.created");
    expect(String(endpoint.received[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(1);

    const { rotateWebhookSecret } = await t.ok(RotateWebhookSecretDocument, { input: { id: old.id } }, admin());
    expect(rotateWebhookSecret.userErrors).toEqual([]);
    const rotated = rotateWebhookSecret.secret!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(old.secret);
    expect(new Date(rotateWebhookSecret.webhook!.previousSecretExpiresAt!).getTime()).toBeGreaterThan(Date.now());

    await book(t, show.id, uniqueUser(), ["A1"], false);
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 2, "booking.held");
    const during = endpoint.received[1]!;
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    // A receiver that still has the old secret, and one that already has the new one, both accept it.
    expect(verify(old.secret, during)).toMatchObject({ type: "booking.held" });
    expect(verify(rotated, during)).toMatchObject({ type: "booking.held" });

    // The grace period over, the old secret signs no more.
    await t.prisma.$executeRaw`UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second'`;
    await book(t, show.id, uniqueUser(), ["A2"], false);
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 3, "the second booking.held");
    const after = endpoint.received[2]!;
    expect(verify(rotated, after)).toMatchObject({ type: "booking.held" });
    expect(() => verify(old.secret, after)).toThrow(/signature/i);
  });
});

describe("retries", () => {
  it("follow a failed answer (500) with growing waits until one is delivered, every attempt logged", async () => {
    const endpoint = await receiver();
    endpoint.answer = ({ nth }) => (nth <= 3 ? { status: 500, body: `broken #${nth}` } : { status: 204 });
    const webhook = await registerWebhook(t, { url: endpoint.url, eventTypes: ["SHOW_CREATED"] });
    await createShow(t, { rows: 1, seatsPerRow: 2 });
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "the fourth attempt");

    const times = endpoint.received.map((r) => r.receivedAt);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(75);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]).toBeGreaterThan(gaps[1]!);
    expect(new Set(endpoint.received.map(idOf)).size).toBe(1);

    const [delivery] = (await deliveriesOf(webhook.id)).deliveries.edges.map((e) => e.node);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 4, lastStatusCode: 204, lastError: null });
    expect(delivery!.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 204],
    ]);
    expect(delivery!.attemptLog[2]!.error).toBe("HTTP 500: broken #3");
  });

  it("follow a timeout (no answer within WEBHOOK_TIMEOUT_MS) the same way", async () => {
    const endpoint = await receiver();
    endpoint.answer = ({ nth }) => (nth <= 2 ? "hang" : { status: 200 });
    const webhook = await registerWebhook(t, { url: endpoint.url, eventTypes: ["SHOW_CREATED"] });
    await createShow(t, { rows: 1, seatsPerRow: 2 });
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "the third attempt");

    const [delivery] = (await deliveriesOf(webhook.id)).deliveries.edges.map((e) => e.node);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, lastStatusCode: 200 });
    const [first, second, third] = delivery!.attemptLog;
    for (const timedOut of [first!, second!]) {
      expect(timedOut).toMatchObject({ statusCode: null, error: "no complete answer within 300 ms" });
      expect(timedOut.durationMs).toBeGreaterThanOrEqual(295);
    }
    expect(third).toMatchObject({ statusCode: 200, error: null });
    const times = endpoint.received.map((r) => r.receivedAt);
    // Each wait is the timeout plus the backoff, and the backoff doubles.
    expect(times[2]! - times[1]!).toBeGreaterThan(times[1]! - times[0]!);
  });

  it("count a redirect as a failed attempt, never followed", async () => {
    const [endpoint, elsewhere] = [await receiver(), await receiver()];
    endpoint.answer = ({ nth }) =>
      nth === 1 ? { status: 307, headers: { location: elsewhere.url } } : { status: 200 };
    const webhook = await registerWebhook(t, { url: endpoint.url, eventTypes: ["SHOW_CREATED"] });
    await createShow(t, { rows: 1, seatsPerRow: 2 });
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "the second attempt");
    expect(elsewhere.received).toEqual([]);
    const [delivery] = (await deliveriesOf(webhook.id)).deliveries.edges.map((e) => e.node);
    expect(delivery!.attemptLog.map((a) => [a.statusCode, a.error])).toEqual([
      [307, `HTTP 307 redirect to ${elsewhere.url} (not followed)`],
      [200, null],
    ]);
  });
});

describe("dead letters", () => {
  it("are made after WEBHOOK_MAX_ATTEMPTS failures, listed with their attempt log, and delivered when replayed", async () => {
    const endpoint = await receiver();
    endpoint.answer = () => ({ status: 503, body: "x".repeat(5000) });
    const webhook = await registerWebhook(t, { url: endpoint.url, eventTypes: ["SHOW_CREATED"] });
    await createShow(t, { rows: 1, seatsPerRow: 2 });
    await endpoint.waitFor(() => endpoint.received.length === 4, "four attempts");

    let dead = await deliveriesOf(webhook.id, ["DEAD"]);
    for (let deadline = Date.now() + 5000; dead.deadDeliveries === 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      dead = await deliveriesOf(webhook.id, ["DEAD"]);
    }
    expect(dead).toMatchObject({ pendingDeliveries: 0, deadDeliveries: 1 });
    const [letter] = dead.deliveries.edges.map((e) => e.node);
    expect(letter).toMatchObject({ status: "DEAD", attempts: 4, lastStatusCode: 503, nextAttemptAt: null });
    expect(letter!.event.type).toBe("SHOW_CREATED");
    expect(letter!.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 503, 503]);
    // At most 1 KB of the answer is kept.
    expect(letter!.lastError).toBe(`HTTP 503: ${"x".repeat(1024)}`);
    // No fifth attempt comes on its own.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(endpoint.received).toHaveLength(4);
    expect((await deliveriesOf(webhook.id, ["PENDING"])).deliveries.edges).toEqual([]);

    endpoint.answer = () => ({ status: 200 });
    const { replayWebhookDeliveries } = await t.ok(
      ReplayWebhookDeliveriesDocument,
      { input: { webhookId: webhook.id } },
      admin(),
    );
    expect(replayWebhookDeliveries).toEqual({ replayed: 1, userErrors: [] });
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "the replayed delivery");
    const replayed = await deliveriesOf(webhook.id);
    const [node] = replayed.deliveries.edges.map((e) => e.node);
    expect(node!.id).toBe(letter!.id);
    expect(endpoint.received.map(idOf)).toEqual(Array(5).fill(letter!.event.id));

    // A delivered one named by id is sent again too (a consumer that lost it); unknown webhooks are told so.
    const again = await t.ok(
      ReplayWebhookDeliveriesDocument,
      { input: { webhookId: webhook.id, deliveryIds: [letter!.id] } },
      admin(),
    );
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 2, "the second replay");
    expect(again.replayWebhookDeliveries.replayed).toBe(1);
    const final = (await deliveriesOf(webhook.id)).deliveries.edges[0]!.node;
    expect(final).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(final.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 503],
      [5, 200],
      [6, 200],
    ]);
  });
});
