import {
  ConfirmBookingDocument,
  DisableWebhookDocument,
  EnableWebhookDocument,
  type WebhookDeliveryStatus,
} from "../../__generated__/graphql";
import { admin } from "../../support/box-office";
import { createShow, uniqueUser } from "../../support/factories";
import { type TestApp } from "../../support/test-app";
import { book, deliveryTestApp, registerWebhook, typeOf } from "../../support/webhook-receiver";

/*
 * Which events go where, and in what order: a booking's events reach a webhook in the order they happened even while
 * one is being retried (other bookings go on meanwhile); eventTypes filters; disabled webhooks get nothing until
 * enabled again. The API's relay runs on a short interval; the receiver is a real HTTP server in this process.
 */

const setup = deliveryTestApp();
const receiver = () => setup.receiver();
const deliveriesOf = (id: string, status?: WebhookDeliveryStatus[]) => setup.deliveriesOf(id, status);
let t: TestApp;
beforeAll(() => (t = setup.t));

describe("order", () => {
  it("holds a booking's next event back while its previous one is retried, without holding up other bookings", async () => {
    const endpoint = await receiver();
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    let slowBooking = "";
    let failHeld = 0;
    endpoint.answer = ({ body }) => {
      const event = JSON.parse(body) as { type: string; bookingId: string };
      return event.type === "booking.held" && event.bookingId === slowBooking && ++failHeld <= 3
        ? { status: 500 }
        : { status: 200 };
    };
    const webhook = await registerWebhook(t, {
      url: endpoint.url,
      eventTypes: ["BOOKING_HELD", "BOOKING_CONFIRMED"],
    });
    const slowUser = uniqueUser();
    slowBooking = await book(t, show.id, slowUser, ["A1"], false);
    await endpoint.waitFor(() => endpoint.received.length >= 1, "the first attempt at booking.held");
    // Confirmed while its hold's event is being retried; another booking is made and confirmed meanwhile.
    await t.ok(ConfirmBookingDocument, { id: slowBooking }, { as: slowUser });
    await book(t, show.id, uniqueUser(), ["A2"]);

    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 4, "both bookings' two events");
    const ofSlow = endpoint.received.filter(
      (r) => (JSON.parse(r.body) as { bookingId: string }).bookingId === slowBooking,
    );
    expect(ofSlow.map((r) => [typeOf(JSON.parse(r.body)), r.answered])).toEqual([
      ["booking.held", 500],
      ["booking.held", 500],
      ["booking.held", 500],
      ["booking.held", 200],
      ["booking.confirmed", 200],
    ]);
    // The other booking went through while the first was being retried.
    const fastConfirmed = endpoint.received.findIndex(
      (r) => typeOf(JSON.parse(r.body)) === "booking.confirmed" && !r.body.includes(slowBooking),
    );
    const slowDelivered = endpoint.received.findIndex((r) => r.body.includes(slowBooking) && r.answered === 200);
    expect(fastConfirmed).toBeLessThan(slowDelivered);
    expect((await deliveriesOf(webhook.id)).pendingDeliveries).toBe(0);
  });

  it("lets the next event go once the previous one is dead", async () => {
    const endpoint = await receiver();
    endpoint.answer = ({ body }) => (typeOf(JSON.parse(body)) === "booking.held" ? { status: 500 } : { status: 200 });
    const webhook = await registerWebhook(t, {
      url: endpoint.url,
      eventTypes: ["BOOKING_HELD", "BOOKING_CONFIRMED"],
    });
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await book(t, show.id, uniqueUser(), ["A1"]);
    await endpoint.waitFor(() => endpoint.deliveredBodies().length === 1, "booking.confirmed");
    expect(endpoint.received.map((r) => [typeOf(JSON.parse(r.body)), r.answered])).toEqual([
      ["booking.held", 500],
      ["booking.held", 500],
      ["booking.held", 500],
      ["booking.held", 500],
      ["booking.confirmed", 200],
    ]);
    expect((await deliveriesOf(webhook.id)).deadDeliveries).toBe(1);
  });
});

describe("which webhooks get an event", () => {
  it("only those whose eventTypes list its type (or list none); disabled ones nothing until enabled again", async () => {
    const [everything, confirmations, paused] = [await receiver(), await receiver(), await receiver()];
    await registerWebhook(t, { url: everything.url });
    await registerWebhook(t, { url: confirmations.url, eventTypes: ["BOOKING_CONFIRMED"] });
    const pausedHook = await registerWebhook(t, { url: paused.url, eventTypes: ["BOOKING_HELD"] });
    // The first hold's event fails slowly: the webhook is disabled while it waits, so it is pending then.
    paused.answer = ({ nth }) => (nth === 1 ? { status: 500, delayMs: 300 } : { status: 200 });

    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    await book(t, show.id, uniqueUser(), ["A1"]);
    await everything.waitFor(() => everything.deliveredBodies().length === 3, "every event of the show");
    await confirmations.waitFor(() => confirmations.deliveredBodies().length === 1, "the confirmation");
    await paused.waitFor(() => paused.received.length === 1, "the first attempt");
    expect(
      (await t.ok(DisableWebhookDocument, { input: { id: pausedHook.id } }, admin())).disableWebhook,
    ).toMatchObject({ webhook: { enabled: false, pendingDeliveries: 1 }, secret: null, userErrors: [] });

    await book(t, show.id, uniqueUser(), ["A2"], false);
    await everything.waitFor(() => everything.deliveredBodies().length === 4, "the second hold");
    // Past the retry's due time: the disabled webhook got nothing more, and the new event was not queued for it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(paused.received).toHaveLength(1);
    expect(confirmations.deliveredBodies().map(typeOf)).toEqual(["booking.confirmed"]);
    // Events of different bookings (and of the show) may arrive in any order: in log order they are these.
    const inLogOrder = everything.deliveredBodies().sort((a, b) => Number(a.sequence) - Number(b.sequence));
    expect(inLogOrder.map(typeOf)).toEqual(["show.created", "booking.held", "booking.confirmed", "booking.held"]);

    await t.ok(EnableWebhookDocument, { input: { id: pausedHook.id } }, admin());
    await paused.waitFor(() => paused.deliveredBodies().length === 1, "the waiting delivery");
    await book(t, show.id, uniqueUser(), ["A3"], false);
    await paused.waitFor(() => paused.deliveredBodies().length === 2, "a new event");
    expect(paused.deliveredBodies().map((b) => (b.data as { seatNumbers: string[] }).seatNumbers)).toEqual([
      ["A1"],
      ["A3"],
    ]);
  });
});
