import { ReplayWebhookDeliveriesDocument, WebhookDeliveriesDocument } from "../../__generated__/graphql";
import { type EventDeliveryObserver } from "../../../src/events/event-metrics";
import { createWebhooks, TargetGuard } from "../../../src/events/webhooks";
import { parseNetwork } from "../../../src/platform/events-config";
import { silentLogger } from "../../../src/platform/logger";
import { admin } from "../../support/box-office";
import { createShow, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { book, registerWebhook, WebhookReceiver } from "../../support/webhook-receiver";
import { sequenceCommitted } from "../../support/events";
import { databaseId } from "../../support/ids";

/*
 * The dispatcher driven by hand (no relay running): dispatchers over the app's database, configured as another
 * process could be. The SSRF guard at delivery time: webhooks to the local receiver are registered through an API
 * that allows 127.0.0.1 and ::1 (WEBHOOK_ALLOW_PRIVATE_NETWORKS); a dispatcher without the allowlist must refuse to
 * connect — for the IP literal before connecting, and for the host name `localhost` in the lookup of the connection
 * itself — while an allowed one delivers the same rows. Also: https enforced at delivery, a graceful stop, and a
 * booking's later events held back (not due) while its earlier one waits for a retry.
 */

let t: TestApp;
let endpoint: WebhookReceiver;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1,::1", WEBHOOK_RETRY_BASE_MS: "50" });
  endpoint = await WebhookReceiver.start();
});
afterAll(async () => {
  await endpoint.stop();
  await t.stop();
});

/** An observer that remembers what it was told. */
function recorder() {
  const calls: string[] = [];
  const observer: EventDeliveryObserver = {
    delivered: (channel, latency) => calls.push(`delivered ${channel} ${latency >= 0 && latency < 60}`),
    failed: (channel, reason) => calls.push(`failed ${channel} ${reason}`),
    deadLettered: () => calls.push("dead"),
  };
  return { calls, observer };
}

/** The app's events configuration with other webhook settings, as another process could be configured. */
const dispatcherWith = (webhooks: Partial<TestApp["config"]["events"]["webhooks"]>, observer: EventDeliveryObserver) =>
  createWebhooks({
    prisma: t.prisma,
    config: { ...t.config.events, webhooks: { ...t.config.events.webhooks, ...webhooks } },
    logger: silentLogger,
    observer,
  }).dispatcher;

/** Runs `dispatcher` until it attempted `count` deliveries in all (retries become due after their delay). */
async function attempt(dispatcher: { runOnce(): Promise<number> }, count: number): Promise<void> {
  let attempted = 0;
  for (const deadline = Date.now() + 5000; attempted < count;) {
    if (Date.now() > deadline) throw new Error(`only ${attempted} of ${count} attempts were due`);
    attempted += await dispatcher.runOnce();
    if (attempted < count) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const url = (host: string, path: string) => endpoint.url.replace("127.0.0.1", host).replace("/hooks", path);

it("refuses a disallowed target on the connection itself, in a process without the allowlist", async () => {
  const literal = await registerWebhook(t, { url: url("127.0.0.1", "/literal") });
  const named = await registerWebhook(t, { url: url("localhost", "/named") });
  await createShow(t, { rows: 1, seatsPerRow: 2 });
  expect(await sequenceCommitted(t)).toBe(1);

  const strict = recorder();
  const refusing = dispatcherWith({ allowedPrivateNetworks: [], maxAttempts: 2 }, strict.observer);
  await attempt(refusing, 4);
  expect(endpoint.received).toEqual([]);
  expect(strict.calls.filter((c) => c.startsWith("failed"))).toEqual(Array(4).fill("failed webhook refused"));
  expect(strict.calls.filter((c) => c === "dead")).toHaveLength(2);

  const letters = async (id: string) =>
    (await t.ok(WebhookDeliveriesDocument, { id }, admin())).webhook!.deliveries.edges.map((e) => e.node);
  const [viaLiteral] = await letters(literal.id);
  expect(viaLiteral).toMatchObject({ status: "DEAD", attempts: 2, lastStatusCode: null });
  expect(viaLiteral!.lastError).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
  const [viaName] = await letters(named.id);
  expect(viaName).toMatchObject({ status: "DEAD", attempts: 2, lastStatusCode: null });
  expect(viaName!.lastError).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);

  // Replayed, the same deliveries go out from a process that allows the receiver's network.
  for (const webhookId of [literal.id, named.id]) {
    const replay = await t.ok(ReplayWebhookDeliveriesDocument, { input: { webhookId } }, admin());
    expect(replay.replayWebhookDeliveries).toEqual({ replayed: 1, userErrors: [] });
  }
  const allowing = recorder();
  await attempt(dispatcherWith({}, allowing.observer), 2);
  expect(endpoint.received.map((r) => r.answered)).toEqual([200, 200]);
  expect(allowing.calls).toEqual(["delivered webhook true", "delivered webhook true"]);
  expect((await letters(named.id))[0]!.attemptLog.map((a) => a.error?.slice(0, 8) ?? a.statusCode)).toEqual([
    "refused:",
    "refused:",
    200,
  ]);
});

it("stop() waits for the deliveries in flight and records their outcome", async () => {
  const hook = await registerWebhook(t, { url: url("127.0.0.1", "/slow") });
  const before = endpoint.received.length;
  endpoint.answer = () => ({ status: 200, delayMs: 400 });
  await createShow(t, { rows: 1, seatsPerRow: 2 });
  await sequenceCommitted(t);
  const dispatcher = dispatcherWith({}, recorder().observer);
  dispatcher.start();
  await endpoint.waitFor(() => endpoint.received.length > before, "the slow request");
  await dispatcher.stop();
  const [delivery] = await t.prisma.$queryRaw<{ status: string; attempts: number }[]>`
    SELECT status::text, attempts FROM webhook_deliveries WHERE webhook_id = ${databaseId(hook.id)}::uuid`;
  expect(delivery).toEqual({ status: "delivered", attempts: 1 });
});

it("does not send to an http url once WEBHOOK_REQUIRE_HTTPS is on", async () => {
  const hook = await registerWebhook(t, { url: url("127.0.0.1", "/plain") });
  const before = endpoint.received.length;
  await createShow(t, { rows: 1, seatsPerRow: 2 });
  await sequenceCommitted(t);
  const strict = recorder();
  expect(await dispatcherWith({ requireHttps: true, maxAttempts: 1 }, strict.observer).runOnce()).toBeGreaterThan(0);
  expect(endpoint.received.length).toBe(before);
  const [delivery] = await t.prisma.$queryRaw<{ status: string; last_error: string }[]>`
    SELECT status::text, last_error FROM webhook_deliveries WHERE webhook_id = ${databaseId(hook.id)}::uuid`;
  expect(delivery).toEqual({ status: "dead", last_error: "refused: the url is not https (WEBHOOK_REQUIRE_HTTPS)" });
});

it("makes a booking's later events due no sooner than its failed one's retry", async () => {
  await t.prisma.$executeRaw`DELETE FROM webhooks`; // the earlier tests' webhooks would take these events too
  const failing = await WebhookReceiver.start();
  try {
    failing.answer = ({ body }) => (body.includes('"booking.held"') ? { status: 500 } : { status: 200 });
    const hook = await registerWebhook(t, { url: failing.url, eventTypes: ["BOOKING_HELD", "BOOKING_CONFIRMED"] });
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    await book(t, show.id, uniqueUser(), ["A1"]);
    await sequenceCommitted(t);
    const dispatcher = dispatcherWith({ retryBaseMs: 60_000, retryMaxMs: 60_000 }, recorder().observer);
    await dispatcher.runOnce();
    expect(failing.received.map((r) => r.answered)).toEqual([500]);
    const rows = await t.prisma.$queryRaw<{ status: string; attempts: number; due_in_s: number }[]>`
      SELECT status::text, attempts, extract(epoch FROM next_attempt_at - now())::float8 AS due_in_s
      FROM webhook_deliveries WHERE webhook_id = ${databaseId(hook.id)}::uuid ORDER BY event_sequence`;
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 1],
      ["pending", 0],
    ]);
    // The hold's retry is about a minute away (less jitter); the confirmation is due exactly then, not now.
    expect(rows[0]!.due_in_s).toBeGreaterThan(40);
    expect(rows[1]!.due_in_s).toBeCloseTo(rows[0]!.due_in_s, 1);
    expect(await dispatcher.runOnce()).toBe(0);
  } finally {
    await failing.stop();
  }
});

describe("TargetGuard", () => {
  const strict = new TargetGuard([]);
  it.each([
    ["127.0.0.1"],
    ["127.255.0.9"],
    ["10.20.30.40"],
    ["172.31.255.255"],
    ["192.168.10.1"],
    ["169.254.169.254"],
    ["100.127.0.1"],
    ["0.0.0.0"],
    ["0.1.2.3"],
    ["224.0.0.251"],
    ["255.255.255.255"],
    ["198.51.100.7"],
    ["203.0.113.1"],
    ["::"],
    ["::1"],
    ["::ffff:127.0.0.1"],
    ["::ffff:7f00:1"],
    ["::ffff:169.254.169.254"],
    ["::127.0.0.1"],
    ["64:ff9b::192.168.0.1"],
    ["fe80::1%eth0"],
    ["fc00::1"],
    ["fdff:ffff::1"],
    ["ff02::1"],
    ["2001:db8:85a3::8a2e:370:7334"],
  ])("refuses %s", (address) => {
    expect(strict.refusal(address)).toEqual(expect.any(String));
  });

  it.each([["8.8.8.8"], ["93.184.215.14"], ["100.128.0.1"], ["2606:4700:4700::1111"], ["::ffff:8.8.8.8"]])(
    "lets %s through",
    (address) => {
      expect(strict.refusal(address)).toBeUndefined();
    },
  );

  it("lets the networks of WEBHOOK_ALLOW_PRIVATE_NETWORKS through, and only those", () => {
    const guard = new TargetGuard(["10.1.0.0/16", "fd00::/8"].map((text) => parseNetwork(text)!));
    expect(guard.refusal("10.1.2.3")).toBeUndefined();
    expect(guard.refusal("::ffff:10.1.2.3")).toBeUndefined();
    expect(guard.refusal("fd12::1")).toBeUndefined();
    expect(guard.refusal("10.2.0.1")).toMatch(/private/);
    expect(guard.refusal("127.0.0.1")).toMatch(/loopback/);
    expect(guard.refusal("fc00::1")).toMatch(/unique local/);
  });
});
