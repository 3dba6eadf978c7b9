import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  BookingDocument,
  CancelBookingDocument,
  ConfirmBookingDocument,
  ExtendHoldDocument,
  HoldSeatsDocument,
  MyBookingsDocument,
  SeatMapDocument,
} from "../../__generated__/graphql";
import { insertStartedShow } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { toGlobalId } from "../../support/from-src";
import { databaseId } from "../../support/ids";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ HOLD_TTL_SECONDS: "60", HOLD_MAX_EXTENSIONS: "2", MAX_SEATS_PER_HOLD: "6" });
});
afterAll(() => t.stop());

const seatStatuses = async (showId: string) =>
  Object.fromEntries((await t.ok(SeatMapDocument, { id: showId })).show!.seats.map((s) => [s.seatNumber, s.status]));

describe("holdSeats with seat numbers", () => {
  it("holds the seats for HOLD_TTL_SECONDS as a PENDING booking", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const before = Date.now();
    const { booking, userErrors } = await hold(t, user, { showId: show.id, seatNumbers: ["B3", "b4"] });
    expect(userErrors).toEqual([]);
    expect(booking).toMatchObject({ status: "PENDING", failureReason: null, userId: user, seatNumbers: ["B3", "B4"] });
    const ttl = new Date(booking!.expiresAt!).getTime() - before;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThan(65_000);
    expect(booking!.seats.map((s) => [s.seatNumber, s.status, s.holdExpiresAt])).toEqual([
      ["B3", "HELD", booking!.expiresAt],
      ["B4", "HELD", booking!.expiresAt],
    ]);
    const { show: after } = await t.ok(SeatMapDocument, { id: show.id });
    expect(after).toMatchObject({ availableSeats: 48, heldSeats: 2, bookedSeats: 0 });
  });

  it("holds nothing when any seat is taken, and records a FAILED booking naming the taken seats", async () => {
    const show = await createShow(t);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2", "A4"] });
    const { booking, userErrors } = await hold(t, uniqueUser(), {
      showId: show.id,
      seatNumbers: ["A1", "A2", "A3", "A4"],
    });
    expect(booking).toMatchObject({
      status: "FAILED",
      failureReason: "SEATS_UNAVAILABLE",
      seatNumbers: ["A1", "A2", "A3", "A4"],
      expiresAt: null,
    });
    expect(userErrors).toEqual([
      {
        code: "SEATS_UNAVAILABLE",
        message: "Seats A2, A4 are not available.",
        field: ["input", "seatNumbers"],
        seatNumbers: ["A2", "A4"],
      },
    ]);
    const statuses = await seatStatuses(show.id);
    expect([statuses.A1, statuses.A2, statuses.A3, statuses.A4]).toEqual(["AVAILABLE", "HELD", "AVAILABLE", "HELD"]);
  });

  it("validates the request and names the offending field", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const user = uniqueUser();
    const cases: [object, string, string, string[]?][] = [
      [{ seatNumbers: ["A1"], quantity: 1 }, "INVALID_INPUT", "seatNumbers"],
      [{}, "INVALID_INPUT", "quantity"],
      [{ seatNumbers: [] }, "INVALID_INPUT", "seatNumbers"],
      [{ seatNumbers: ["A1", "a1"] }, "INVALID_INPUT", "seatNumbers", ["A1"]],
      [{ seatNumbers: ["A1", "A2", "A3", "A4", "A5", "B1", "B2"] }, "INVALID_INPUT", "seatNumbers"],
      [{ seatNumbers: Array.from({ length: 500 }, (_, i) => `A${i + 1}`) }, "INVALID_INPUT", "seatNumbers"],
      [{ seatNumbers: ["A 1", "A1"] }, "INVALID_INPUT", "seatNumbers", ["A 1"]],
      [{ seatNumbers: ["x".repeat(1_000_000)] }, "INVALID_INPUT", "seatNumbers"],
      [{ seatNumbers: ["C1", "A6", "A5"] }, "NOT_FOUND", "seatNumbers", ["C1", "A6"]],
      [{ quantity: 0 }, "INVALID_INPUT", "quantity"],
      [{ quantity: -3 }, "INVALID_INPUT", "quantity"],
      [{ quantity: 7 }, "INVALID_INPUT", "quantity"],
      [{ quantity: 2_000_000_000 }, "INVALID_INPUT", "quantity"],
      [{ quantity: 1, idempotencyKey: "" }, "INVALID_INPUT", "idempotencyKey"],
      [{ quantity: 1, idempotencyKey: "k".repeat(1_000_000) }, "INVALID_INPUT", "idempotencyKey"],
    ];
    for (const [input, code, field, seatNumbers] of cases) {
      const payload = await hold(t, user, { showId: show.id, ...input });
      expect(payload.booking).toBeNull();
      expect(payload.userErrors[0]).toMatchObject({ code, field: ["input", field] });
      if (seatNumbers) expect(payload.userErrors[0]!.seatNumbers).toEqual(seatNumbers);
    }
    expect((await t.ok(SeatMapDocument, { id: show.id })).show!.heldSeats).toBe(0);
    expect(await t.prisma.booking.count({ where: { userId: user } })).toBe(0);
  });

  it("answers unknown show ids with NOT_FOUND, and malformed ones with BAD_USER_INPUT", async () => {
    for (const showId of [
      "00000000-0000-4000-8000-000000000000",
      toGlobalId("Show", "00000000-0000-4000-8000-000000000000"),
    ]) {
      const payload = await hold(t, uniqueUser(), { showId, seatNumbers: ["A1"] });
      expect(payload).toEqual({
        booking: null,
        userErrors: [expect.objectContaining({ code: "NOT_FOUND", field: ["input", "showId"] })],
      });
    }
    for (const showId of ["nope", "'; DROP TABLE seats; --", "x".repeat(1_000_000)]) {
      const { errors } = await t.request(
        HoldSeatsDocument,
        { input: { showId, seatNumbers: ["A1"] } },
        { as: "someone" },
      );
      expect(errors).toEqual([
        expect.objectContaining({
          message: "`input.showId` is not a Show id.",
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT", field: ["input", "showId"] }),
        }),
      ]);
    }
  });

  it("refuses holds on a show that has already started", async () => {
    const show = await insertStartedShow(t.prisma);
    const payload = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    expect(payload.userErrors[0]).toMatchObject({ code: "SHOW_STARTED", field: ["input", "showId"] });
  });
});

describe("holdSeats with a quantity (best available)", () => {
  it("picks adjacent seats in the front row, centred", async () => {
    const show = await createShow(t, { rows: 3, seatsPerRow: 10 });
    const first = await hold(t, uniqueUser(), { showId: show.id, quantity: 2 });
    expect(first.booking!.seatNumbers).toEqual(["A5", "A6"]);
    const second = await hold(t, uniqueUser(), { showId: show.id, quantity: 3 });
    expect(second.booking!.seatNumbers).toEqual(["A2", "A3", "A4"]);
    const third = await hold(t, uniqueUser(), { showId: show.id, quantity: 4 });
    expect(third.booking!.seatNumbers).toEqual(["A7", "A8", "A9", "A10"]);
    // Row A now has only A1 free: a pair goes to row B's centre.
    const fourth = await hold(t, uniqueUser(), { showId: show.id, quantity: 2 });
    expect(fourth.booking!.seatNumbers).toEqual(["B5", "B6"]);
  });

  it("falls back to the free seats nearest the front-centre when no row has enough adjacent seats", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 4 });
    const owner = uniqueUser();
    await hold(t, owner, { showId: show.id, seatNumbers: ["A2", "A4", "B1", "B3"] });
    const { booking, userErrors } = await hold(t, uniqueUser(), { showId: show.id, quantity: 3 });
    expect(userErrors).toEqual([]);
    expect(booking!.status).toBe("PENDING");
    expect([...booking!.seatNumbers].sort()).toEqual(["A1", "A3", "B2"]);
  });

  it("fails as a whole when fewer seats are free than asked for", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
    const { booking, userErrors } = await hold(t, uniqueUser(), { showId: show.id, quantity: 3 });
    expect(booking).toMatchObject({ status: "FAILED", failureReason: "SEATS_UNAVAILABLE", seatNumbers: [] });
    expect(userErrors[0]).toMatchObject({
      code: "SEATS_UNAVAILABLE",
      message: "Only 2 seats are available right now.",
    });
    expect((await seatStatuses(show.id)).A1).toBe("AVAILABLE");
  });
});

describe("idempotent holds", () => {
  it("returns the original booking for a retry with the same key and changes nothing", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const first = await hold(t, user, { showId: show.id, quantity: 2, idempotencyKey: "order-1" });
    const retry = await hold(t, user, { showId: show.id, quantity: 2, idempotencyKey: "order-1" });
    expect(retry).toEqual(first);
    expect((await t.ok(SeatMapDocument, { id: show.id })).show!.heldSeats).toBe(2);
    expect(await t.prisma.booking.count({ where: { userId: user } })).toBe(1);
    // The same key is independent per user.
    const other = await hold(t, uniqueUser(), { showId: show.id, quantity: 2, idempotencyKey: "order-1" });
    expect(other.booking!.id).not.toBe(first.booking!.id);
  });

  it("replays a failed hold as failed, and refuses the key for another show", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    const failed = await hold(t, user, { showId: show.id, seatNumbers: ["A1"], idempotencyKey: "k" });
    const retry = await hold(t, user, { showId: show.id, seatNumbers: ["A1"], idempotencyKey: "k" });
    expect(retry.booking).toEqual(failed.booking);
    expect(retry.userErrors[0]!.code).toBe("SEATS_UNAVAILABLE");
    const reused = {
      booking: null,
      userErrors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: ["input", "idempotencyKey"] })],
    };
    expect(await hold(t, user, { showId: (await createShow(t)).id, seatNumbers: ["A1"], idempotencyKey: "k" })).toEqual(
      reused,
    );
    expect(await hold(t, user, { showId: show.id, seatNumbers: ["A2"], idempotencyKey: "k" })).toEqual(reused);
    const byQuantity = await hold(t, user, { showId: show.id, quantity: 2, idempotencyKey: "q" });
    expect(await hold(t, user, { showId: show.id, quantity: 3, idempotencyKey: "q" })).toEqual(reused);
    expect(await hold(t, user, { showId: show.id, quantity: 2, idempotencyKey: "q" })).toEqual(byQuantity);
  });

  it("refuses a key reused for a different request that happens to match the recorded seats", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const exact = await hold(t, user, { showId: show.id, seatNumbers: ["C1"], idempotencyKey: "same" });
    expect(exact.booking!.status).toBe("PENDING");
    // One seat either way, but "C1" and "any one seat" are different requests: replaying C1 would answer the wrong one.
    const byQuantity = await hold(t, user, { showId: show.id, quantity: 1, idempotencyKey: "same" });
    expect(byQuantity).toEqual({
      booking: null,
      userErrors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: ["input", "idempotencyKey"] })],
    });
    const held = await hold(t, user, { showId: show.id, quantity: 1, idempotencyKey: "other" });
    expect(held.booking!.seatNumbers).toHaveLength(1);
    const backToExact = await hold(t, user, {
      showId: show.id,
      seatNumbers: held.booking!.seatNumbers,
      idempotencyKey: "other",
    });
    expect(backToExact.userErrors[0]!.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("gives concurrent retries with one key a single booking", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        hold(t, user, { showId: show.id, seatNumbers: ["C5", "C6"], idempotencyKey: "double-click" }),
      ),
    );
    const ids = new Set(results.map((r) => r.booking!.id));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.booking!.status === "PENDING" && r.userErrors.length === 0)).toBe(true);
    expect(await t.prisma.booking.count({ where: { userId: user } })).toBe(1);
  });
});

describe("confirm, cancel and extend", () => {
  it("confirms a pending booking: seats BOOKED, booking CONFIRMED", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["D1", "D2"] });
    const { confirmBooking } = await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    expect(confirmBooking.userErrors).toEqual([]);
    expect(confirmBooking.booking).toMatchObject({ status: "CONFIRMED", expiresAt: null });
    expect(confirmBooking.booking!.seats.map((s) => s.status)).toEqual(["BOOKED", "BOOKED"]);
    const again = await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    expect(again.confirmBooking.userErrors[0]!.code).toBe("INVALID_STATE");
    const cancel = await t.ok(CancelBookingDocument, { id: booking!.id }, { as: user });
    expect(cancel.cancelBooking).toMatchObject({
      booking: { status: "CONFIRMED" },
      userErrors: [{ code: "INVALID_STATE" }],
    });
    const extend = await t.ok(ExtendHoldDocument, { id: booking!.id }, { as: user });
    expect(extend.extendHold.userErrors[0]!.code).toBe("INVALID_STATE");
    expect((await t.ok(SeatMapDocument, { id: show.id })).show).toMatchObject({ bookedSeats: 2, heldSeats: 0 });
  });

  it("cancels a pending booking: seats AVAILABLE, booking FAILED/CANCELLED", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["E9", "E10"] });
    const { cancelBooking } = await t.ok(CancelBookingDocument, { id: booking!.id }, { as: user });
    expect(cancelBooking.booking).toMatchObject({ status: "FAILED", failureReason: "CANCELLED" });
    expect(cancelBooking.booking!.seats.map((s) => s.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
    const confirm = await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: user });
    expect(confirm.confirmBooking.userErrors[0]!.code).toBe("INVALID_STATE");
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["E9"] })).booking!.status).toBe("PENDING");
  });

  it("extends a hold by the TTL at most HOLD_MAX_EXTENSIONS times", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const { booking } = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    let expiresAt = new Date(booking!.expiresAt!).getTime();
    for (let i = 0; i < 2; i++) {
      const { extendHold } = await t.ok(ExtendHoldDocument, { id: booking!.id }, { as: user });
      expect(extendHold.userErrors).toEqual([]);
      const next = new Date(extendHold.booking!.expiresAt!).getTime();
      expect(next - expiresAt).toBe(60_000);
      expect(extendHold.booking!.seats[0]!.holdExpiresAt).toBe(extendHold.booking!.expiresAt);
      expiresAt = next;
    }
    const third = await t.ok(ExtendHoldDocument, { id: booking!.id }, { as: user });
    expect(third.extendHold).toMatchObject({
      booking: { status: "PENDING" },
      userErrors: [{ code: "LIMIT_EXCEEDED" }],
    });
    expect(new Date(third.extendHold.booking!.expiresAt!).getTime()).toBe(expiresAt);
  });

  it("answers unknown booking ids with NOT_FOUND, and malformed ones with BAD_USER_INPUT", async () => {
    const documents: TypedDocumentNode<unknown, { id: string }>[] = [
      ConfirmBookingDocument,
      CancelBookingDocument,
      ExtendHoldDocument,
    ];
    for (const document of documents) {
      const unknown = "00000000-0000-4000-8000-000000000000";
      for (const id of [unknown, toGlobalId("Booking", unknown)]) {
        const data = (await t.ok(document, { id }, { as: "someone" })) as Record<
          string,
          { booking: unknown; userErrors: { code: string }[] }
        >;
        const payload = Object.values(data)[0]!;
        expect(payload).toEqual({
          booking: null,
          userErrors: [expect.objectContaining({ code: "NOT_FOUND", field: ["input", "bookingId"] })],
        });
      }
      for (const id of ["42", "x".repeat(100_000), toGlobalId("Show", unknown)]) {
        const { errors } = await t.request(document, { id }, { as: "someone" });
        // (Beyond 100 characters the input's own length rule refuses it first, without a field.)
        const field = id.length <= 100 ? { field: ["input", "bookingId"] } : {};
        expect(errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", ...field });
      }
    }
  });
});

describe("reading bookings", () => {
  it("lists my bookings newest first with cursors and loads their shows and seats", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const ids: string[] = [];
    for (const seat of ["A1", "A2", "A3"])
      ids.push((await hold(t, user, { showId: show.id, seatNumbers: [seat] })).booking!.id);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A4"] });
    const page1 = await t.ok(MyBookingsDocument, { first: 2 }, { as: user });
    expect(page1.myBookings.totalCount).toBe(3);
    expect(page1.myBookings.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.myBookings.edges[0]!.node.show).toMatchObject({ id: show.id, availableSeats: 46 });
    const page2 = await t.ok(
      MyBookingsDocument,
      { first: 2, after: page1.myBookings.pageInfo.endCursor },
      { as: user },
    );
    expect(page2.myBookings.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(page2.myBookings.pageInfo.hasNextPage).toBe(false);
    const { booking } = await t.ok(BookingDocument, { id: ids[0]! }, { as: user });
    expect(booking).toMatchObject({ id: ids[0], show: { id: show.id }, seats: [{ seatNumber: "A1", status: "HELD" }] });
    expect(
      (await t.ok(BookingDocument, { id: "00000000-0000-4000-8000-000000000000" }, { as: user })).booking,
    ).toBeNull();
    const malformed = await t.request(BookingDocument, { id: "bad" }, { as: user });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["id"] });
  });
});

describe("active hold limit (MAX_ACTIVE_HOLDS_PER_USER = 3)", () => {
  it("refuses a fourth pending hold with LIMIT_EXCEEDED and recording nothing, until one is confirmed or cancelled", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const holds = [];
    for (const seat of ["A1", "A2", "A3"]) holds.push(await hold(t, user, { showId: show.id, seatNumbers: [seat] }));
    expect(holds.every((h) => h.booking!.status === "PENDING")).toBe(true);
    for (const input of [{ seatNumbers: ["A4"] }, { quantity: 2 }]) {
      const refused = await hold(t, user, { showId: show.id, ...input });
      expect(refused).toEqual({ booking: null, userErrors: [expect.objectContaining({ code: "LIMIT_EXCEEDED" })] });
    }
    expect(await t.prisma.booking.count({ where: { userId: user } })).toBe(3);
    await t.ok(ConfirmBookingDocument, { id: holds[0]!.booking!.id }, { as: user });
    await t.ok(CancelBookingDocument, { id: holds[1]!.booking!.id }, { as: user });
    const again = await hold(t, user, { showId: show.id, quantity: 2 });
    expect(again.booking!.status).toBe("PENDING");
    const another = await hold(t, user, { showId: show.id, seatNumbers: ["E1"] });
    expect(another.booking!.status).toBe("PENDING");
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["E2"] })).userErrors[0]!.code).toBe("LIMIT_EXCEEDED");
  });

  it("holds under concurrency: 20 simultaneous holds by one user give exactly 3 bookings", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request(
          HoldSeatsDocument,
          { input: { showId: show.id, seatNumbers: [`${"ABCDE"[i % 5]}${Math.floor(i / 5) + 1}`] } },
          { as: user },
        ),
      ),
    );
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const won = results.filter((r) => r.data!.holdSeats.booking?.status === "PENDING");
    expect(won).toHaveLength(3);
    expect(results.filter((r) => r.data!.holdSeats.userErrors[0]?.code === "LIMIT_EXCEEDED")).toHaveLength(17);
    expect(await t.prisma.seat.count({ where: { showId: databaseId(show.id), status: "held" } })).toBe(3);
  });
});
