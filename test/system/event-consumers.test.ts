import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "graphql";
import { ConfirmBookingDocument } from "../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "../support/box-office";
import { EXAMPLES_DIR, type ExampleProcess, publishedBlockOf, startExample } from "../support/example-process";
import { createShow, hold, uniqueUser } from "../support/factories";
import { freePort } from "../support/ports";
import { startTestApp, type TestApp } from "../support/test-app";
import { sequenceCommitted } from "../support/events";
import { databaseId } from "../support/ids";

/*
 * The consumers of docs/booking-events.md, one per channel, run as they are published (examples/booking-events/) against a real API:
 * each must see every event of the log, once, in the channel's order (the log's; per booking for webhooks).
 */

let t: TestApp;
let consumer: ExampleProcess | undefined;
beforeAll(async () => {
  t = await startTestApp(
    { ...BOX_OFFICE_SETTINGS, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1", EVENT_RELAY_INTERVAL_MS: "50" },
    { runEventRelay: true },
  );
});
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
});
afterAll(() => t.stop());

/** A show with a confirmed booking and a held one: five events. Returns the show's log, in order. */
async function someSales() {
  const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
  const user = uniqueUser();
  const held = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
  await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
  await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] });
  await sequenceCommitted(t);
  const log = await t.prisma.$queryRaw<{ id: string; type: string; bookingId: string | null }[]>`
    SELECT id::text, type, booking_id::text AS "bookingId" FROM booking_events WHERE show_id = ${databaseId(show.id)}::uuid ORDER BY sequence`;
  expect(log.map((event) => event.type)).toEqual(["show.created", "booking.held", "booking.confirmed", "booking.held"]);
  return log;
}

const ofLog = (log: { id: string }[], events: ExampleProcess["events"]) =>
  events.filter((event) => log.some((entry) => entry.id === event.id)).map((event) => event.id);

describe("the booking-event consumers of docs/booking-events.md", () => {
  it("are in docs/booking-events.md exactly as in examples/booking-events", () => {
    for (const file of ["poller.mjs", "webhook-receiver.mjs", "rabbitmq-consumer.mjs"]) {
      expect(publishedBlockOf(file)).toBe(readFileSync(path.join(EXAMPLES_DIR, file), "utf8"));
    }
  });

  it("the poller handles every event once, in order", async () => {
    const log = await someSales();
    consumer = startExample("poller.mjs", { API_URL: t.app.address, ADMIN_TOKEN: t.token("poller", "admin") });
    const [first] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_events`;
    await consumer.waitForEvents(first!.n);
    expect(ofLog(log, consumer.events)).toEqual(log.map((event) => event.id));
    expect(new Set(consumer.events.map((event) => event.id)).size).toBe(consumer.events.length);
  });

  it("the webhook receiver verifies each delivery and handles every event once, in order", async () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const port = await freePort();
    consumer = startExample("webhook-receiver.mjs", { WEBHOOK_SECRET: secret, PORT: String(port) });
    await consumer.ready("listening");
    // A request that is not signed with the secret is turned away.
    const forged = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: {
        "webhook-id": "x",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,AAAA",
      },
      body: "{}",
    });
    expect(forged.status).toBe(401);

    const created = await t.ok(
      parse(`mutation ($input: CreateWebhookInput!) {
        createWebhook(input: $input) { webhook { id } userErrors { code message } }
      }`),
      { input: { url: `http://127.0.0.1:${port}/booking-events`, secret } },
      admin(),
    );
    expect((created as { createWebhook: { userErrors: unknown[] } }).createWebhook.userErrors).toEqual([]);
    const log = await someSales();
    await consumer.waitForEvents(log.length);
    // Webhooks keep each booking's order (and the show's); events of different bookings may overtake each other.
    const received = ofLog(log, consumer.events);
    expect([...received].sort()).toEqual(log.map((event) => event.id).sort());
    for (const key of new Set(log.map((event) => event.bookingId))) {
      const ofKey = log.filter((event) => event.bookingId === key).map((event) => event.id);
      expect(received.filter((id) => ofKey.includes(id))).toEqual(ofKey);
    }
  });
});
