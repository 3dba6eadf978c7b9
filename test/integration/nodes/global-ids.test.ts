import {
  BookingEventsDocument,
  CancelBookingDocument,
  CreateWebhookDocument,
  LegacyIdsDocument,
  NodeDocument,
  NodesDocument,
  SeatMapChangedDocument,
  SeatMapDocument,
  ShowDocument,
} from "../../__generated__/graphql";
import { sequenceCommitted } from "../../support/events";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { parseGlobalId, toGlobalId } from "../../support/from-src";
import { gql } from "../../support/graphql";
import { subscribe } from "../../support/subscriptions";
import { sleep } from "../../support/time";
import { startTestApp, statementsDuring, type TestApp } from "../../support/test-app";
import { createTheatre } from "../../support/venues";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_USER_POINTS: "0" });
});
afterAll(() => t.stop());

const admin = { as: "node-admin", role: "admin" as const };

/** One of each Node type, made through the API, with the ids it returned. */
async function fixtures() {
  const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
  const owner = uniqueUser("owner");
  const { booking } = await hold(t, owner, { showId: show.id, seatNumbers: ["A1"] });
  const seats = (await t.ok(SeatMapDocument, { id: show.id })).show!.seats;
  const venueId = await createTheatre(t);
  const { createWebhook } = await t.ok(CreateWebhookDocument, { input: { url: "https://93.184.215.14/hook" } }, admin);
  expect(createWebhook.userErrors).toEqual([]);
  return { show, owner, booking: booking!, seat: seats[0]!, venueId, webhookId: createWebhook.webhook!.id };
}

const nodeAs = async (id: string, auth?: { as: string; role?: "admin" | "user" }) =>
  (await t.ok(NodeDocument, { id }, auth)).node;

describe("global ids", () => {
  it("are opaque Type:id and name each object of the five Node types", async () => {
    const f = await fixtures();
    expect(parseGlobalId(f.show.id)?.type).toBe("Show");
    expect(parseGlobalId(f.booking.id)?.type).toBe("Booking");
    expect(parseGlobalId(f.seat.id)?.type).toBe("Seat");
    expect(parseGlobalId(f.venueId)?.type).toBe("Venue");
    expect(parseGlobalId(f.webhookId)?.type).toBe("Webhook");

    expect(await nodeAs(f.show.id)).toEqual({ __typename: "Show", id: f.show.id, name: f.show.name });
    expect(await nodeAs(f.seat.id)).toEqual({ __typename: "Seat", id: f.seat.id, seatNumber: "A1", status: "HELD" });
    expect(await nodeAs(f.venueId)).toMatchObject({ __typename: "Venue", id: f.venueId });
    expect(await nodeAs(f.booking.id, { as: f.owner })).toEqual({
      __typename: "Booking",
      id: f.booking.id,
      bookingStatus: "PENDING",
      seatNumbers: ["A1"],
    });
    expect(await nodeAs(f.webhookId, admin)).toEqual({
      __typename: "Webhook",
      id: f.webhookId,
      url: "https://93.184.215.14/hook",
    });
  });

  it("answer node exactly as the typed queries do for each viewer: null, never an error, for what one may not see", async () => {
    const f = await fixtures();
    const anonymous = undefined;
    const other = { as: uniqueUser("other") };
    const owner = { as: f.owner };
    const viewers = { anonymous, other, owner, admin };
    const visible = async (id: string) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(viewers).map(async ([name, auth]) => [name, (await nodeAs(id, auth))?.id === id]),
        ),
      );
    expect(await visible(f.booking.id)).toEqual({ anonymous: false, other: false, owner: true, admin: true });
    expect(await visible(f.webhookId)).toEqual({ anonymous: false, other: false, owner: false, admin: true });
    for (const id of [f.show.id, f.seat.id, f.venueId]) {
      expect(await visible(id)).toEqual({ anonymous: true, other: true, owner: true, admin: true });
    }
    // A well-formed id of nothing is null too.
    const missing = toGlobalId("Booking", "00000000-0000-4000-8000-000000000000");
    expect(await nodeAs(missing, admin)).toBeNull();
    expect(await nodeAs(toGlobalId("Seat", "9223372036854775807"))).toBeNull();
  });

  it("answer nodes in the order asked, one statement per type, null where node is", async () => {
    const f = await fixtures();
    const second = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const ids = [f.seat.id, f.show.id, f.booking.id, second.id, f.webhookId, f.venueId];
    const statements = await statementsDuring(t, async () => {
      const { nodes } = await t.ok(NodesDocument, { ids }, { as: f.owner });
      expect(nodes.map((node) => node?.id ?? null)).toEqual([
        f.seat.id,
        f.show.id,
        f.booking.id,
        second.id,
        null, // a webhook: admins only
        f.venueId,
      ]);
    });
    expect(statements.filter((sql) => /FROM "public"."shows"/.test(sql)).length).toBeLessThanOrEqual(1);
    expect(statements.filter((sql) => /FROM "public"."seats"/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /webhooks_by_id/.test(sql))).toHaveLength(0);
  });

  it("refuse malformed ids, other types' ids and more than 100 ids with BAD_USER_INPUT", async () => {
    const f = await fixtures();
    for (const id of ["nope", f.show.id.slice(0, -2), Buffer.from("Concert:1").toString("base64url")]) {
      const { errors } = await t.request(NodeDocument, { id });
      expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    const tooMany = await t.request(NodesDocument, { ids: Array.from({ length: 101 }, () => f.show.id) });
    expect(tooMany.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(tooMany.errors?.[0]?.message).toContain("at most 100");
    expect((await t.ok(NodesDocument, { ids: Array.from({ length: 100 }, () => f.show.id) })).nodes).toHaveLength(100);

    const wrongType = await t.request(ShowDocument, { id: f.booking.id });
    expect(wrongType.errors?.[0]).toMatchObject({
      message: "`id` is a Booking id, not a Show id.",
      extensions: { code: "BAD_USER_INPUT", field: ["id"] },
    });
    const wrongInput = await t.request(
      gql<unknown, { showId: string }>(
        `mutation ($showId: ID!) { holdSeats(input: { showId: $showId, quantity: 1 }) { userErrors { code } } }`,
      ),
      { showId: f.seat.id },
      { as: f.owner },
    );
    expect(wrongInput.errors?.[0]).toMatchObject({
      message: "`input.showId` is a Seat id, not a Show id.",
      extensions: { code: "BAD_USER_INPUT", field: ["input", "showId"] },
    });
  });

  it("keep the database ids readable until 0.3.0: legacyId, and legacy ids as arguments", async () => {
    const f = await fixtures();
    const { show } = await t.ok(LegacyIdsDocument, { showId: f.show.id });
    expect(show!.legacyId).toBe(parseGlobalId(f.show.id)!.databaseId);
    expect(show!.seats[0]!.legacyId).toBe(parseGlobalId(f.seat.id)!.databaseId);
    const byLegacy = await t.ok(LegacyIdsDocument, { showId: show!.legacyId });
    expect(byLegacy.show!.id).toBe(f.show.id);
    const cancelled = await t.ok(
      CancelBookingDocument,
      { id: parseGlobalId(f.booking.id)!.databaseId },
      { as: f.owner },
    );
    expect(cancelled.cancelBooking.booking).toMatchObject({ id: f.booking.id, status: "FAILED" });
  });
});

describe("confirmBooking, cancelBooking and extendHold", () => {
  const deprecatedCancel = gql<{ cancelBooking: { booking: { id: string; status: string } | null } }, { id: string }>(
    `mutation ($id: ID!) { cancelBooking(id: $id) { booking { id status } } }`,
  );
  const both = gql<unknown, { id: string }>(
    `mutation ($id: ID!) { extendHold(id: $id, input: { bookingId: $id }) { booking { id } } }`,
  );
  const neither = gql<unknown, Record<string, never>>(`mutation { confirmBooking { booking { id } } }`);

  it("still take the deprecated bare id", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    const { cancelBooking } = await t.ok(deprecatedCancel, { id: booking!.id }, { as: user });
    expect(cancelBooking.booking).toEqual({ id: booking!.id, status: "FAILED" });
  });

  it("need exactly one of input and id", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    for (const [document, variables] of [
      [both, { id: booking!.id }],
      [neither, {}],
    ] as const) {
      const { errors } = await t.request(document as typeof both, variables as { id: string }, { as: user });
      expect(errors?.[0]).toMatchObject({
        message: "Give exactly one of `input` (with `bookingId`) and the deprecated `id`.",
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
  });
});

describe("ids in events", () => {
  it("are the API's ids in booking events, data included, so a consumer can pass them to node", async () => {
    const f = await fixtures();
    await sequenceCommitted(t);
    const { bookingEvents } = await t.ok(BookingEventsDocument, { bookingId: f.booking.id }, admin);
    const [held] = bookingEvents.edges.map((edge) => edge.node);
    expect(held).toMatchObject({ type: "BOOKING_HELD", showId: f.show.id, bookingId: f.booking.id });
    expect(held!.data).toMatchObject({ id: f.booking.id, showId: f.show.id });
    expect((await nodeAs(held!.bookingId!, admin))?.id).toBe(f.booking.id);
    const ofShow = await t.ok(BookingEventsDocument, { showId: f.show.id, types: ["SHOW_CREATED"] }, admin);
    expect(ofShow.bookingEvents.edges[0]!.node.data).toMatchObject({ id: f.show.id });
  });

  it("are global in seatMapChanged, whether the subscription named the show by its global or its legacy id", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 20 });
    const seats = (await t.ok(SeatMapDocument, { id: show.id })).show!.seats;
    const byGlobal = subscribe(t.app.address, SeatMapChangedDocument, { showId: show.id });
    const byLegacy = subscribe(t.app.address, SeatMapChangedDocument, { showId: parseGlobalId(show.id)!.databaseId });
    try {
      let n = 0;
      const probe = () => hold(t, uniqueUser(), { showId: show.id, seatNumbers: [`A${++n}`] });
      await byGlobal.untilLive(probe);
      await byLegacy.untilLive(probe);
      await sleep(300); // the last probes' events, then start clean
      byGlobal.events.length = 0;
      byLegacy.events.length = 0;
      await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B1"] });
      const b1 = seats.find((seat) => seat.seatNumber === "B1")!;
      for (const sub of [byGlobal, byLegacy]) {
        const [change] = (await sub.waitFor(1)).map((event) => event.seatMapChanged);
        expect(change).toMatchObject({ showId: show.id, seats: [{ seatNumber: "B1", id: b1.id }] });
      }
    } finally {
      await byGlobal.close();
      await byLegacy.close();
    }
  });
});
