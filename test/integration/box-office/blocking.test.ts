import {
  BlockedSeatMapChangedDocument,
  BlockedShowCountsDocument,
  BlockSeatsDocument,
  CancelShowDocument,
  ConfirmBookingDocument,
  HoldSeatsDocument,
  UnblockSeatsDocument,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants, SeatStatus } from "../../support/from-src";
import { subscribe } from "../../support/subscriptions";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(BOX_OFFICE_SETTINGS);
});
afterAll(() => t.stop());

const block = async (showId: string, seatNumbers: string[], reason = "House seats") =>
  (await t.ok(BlockSeatsDocument, { input: { showId, seatNumbers, reason } }, admin())).blockSeats;
const unblock = async (showId: string, seatNumbers: string[]) =>
  (await t.ok(UnblockSeatsDocument, { input: { showId, seatNumbers } }, admin())).unblockSeats;
const seatsOf = async (showId: string) => (await t.ok(BlockedShowCountsDocument, { id: showId })).show!;
const blockReasons = async (showId: string) =>
  t.prisma.$queryRaw<{ seat_number: string; status: string; block_reason: string | null }[]>`
    SELECT seat_number, status::text, block_reason FROM seats WHERE show_id = ${databaseId(showId)}::uuid ORDER BY ordinal`;

describe("blockSeats and unblockSeats", () => {
  it("take seats off sale and put them back, counted and drawn as X, with new versions", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 3 });
    const before = await seatsOf(show.id);
    const blocked = await block(show.id, ["A2", "A1"], "  Camera position  ");
    expect(blocked.userErrors).toEqual([]);
    expect(blocked.seats.map((s) => [s.seatNumber, s.status])).toEqual([
      ["A2", "BLOCKED"],
      ["A1", "BLOCKED"],
    ]);
    const versionBefore = (n: string) => BigInt(before.seats.find((s) => s.seatNumber === n)!.version);
    for (const seat of blocked.seats) expect(BigInt(seat.version)).toBeGreaterThan(versionBefore(seat.seatNumber));
    expect((await blockReasons(show.id)).slice(0, 2)).toEqual([
      { seat_number: "A1", status: "blocked", block_reason: "Camera position" },
      { seat_number: "A2", status: "blocked", block_reason: "Camera position" },
    ]);

    const after = await seatsOf(show.id);
    expect(after).toMatchObject({ availableSeats: 4, heldSeats: 0, bookedSeats: 0, blockedSeats: 2 });
    expect(after.availability.statuses).toBe("XXAAAA");

    // Re-blocking replaces the reason; the same reason again changes nothing (no new version).
    const reblocked = await block(show.id, ["A1", "A3"], "Broken");
    expect(reblocked.userErrors).toEqual([]);
    expect((await blockReasons(show.id)).slice(0, 3).map((r) => r.block_reason)).toEqual([
      "Broken",
      "Camera position",
      "Broken",
    ]);
    const same = await block(show.id, ["A1"], "Broken");
    expect(same.seats[0]!.version).toBe(reblocked.seats[0]!.version);

    const unblocked = await unblock(show.id, ["A1", "A2", "A3"]);
    expect(unblocked.userErrors).toEqual([]);
    expect(unblocked.seats.map((s) => s.status)).toEqual(["AVAILABLE", "AVAILABLE", "AVAILABLE"]);
    expect((await blockReasons(show.id)).every((r) => r.status === "available" && r.block_reason === null)).toBe(true);
    expect(await seatsOf(show.id)).toMatchObject({ availableSeats: 6, blockedSeats: 0 });
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] })).userErrors).toEqual([]);
  });

  it("refuses every case, all or nothing, changing nothing", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 4 });
    const user = uniqueUser();
    const sold = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    await t.ok(ConfirmBookingDocument, { id: sold.booking!.id }, { as: user });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2"] });
    const lapsed = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] });
    await lapseHolds(t.prisma, [lapsed.booking!.id]);
    const untouched = await blockReasons(show.id);

    const codes = (payload: Awaited<ReturnType<typeof block>>) =>
      payload.userErrors.map((e) => [e.code, e.seatNumbers ?? e.field]);
    // Held (even lapsed) and booked seats cannot be blocked.
    expect(codes(await block(show.id, ["A4", "A1", "A2", "A3"]))).toEqual([["SEATS_UNAVAILABLE", ["A1", "A2", "A3"]]]);
    // Unknown seats are listed (before any state problem).
    expect(codes(await block(show.id, ["Z9", "A1", "B1", "Q1"]))).toEqual([["NOT_FOUND", ["Z9", "Q1"]]]);
    expect(codes(await unblock(show.id, ["B1", "Z9"]))).toEqual([["NOT_FOUND", ["Z9"]]]);
    // Unblocking needs every seat blocked.
    await block(show.id, ["B1"]);
    expect(codes(await unblock(show.id, ["B1", "B2", "A1"]))).toEqual([["INVALID_STATE", ["B2", "A1"]]]);
    // Unknown show, malformed input.
    const unknownShow = "00000000-0000-4000-8000-000000000000";
    expect(codes(await block(unknownShow, ["A1"]))).toEqual([["NOT_FOUND", ["input", "showId"]]]);
    const malformed = await t.request(
      UnblockSeatsDocument,
      { input: { showId: "not-a-show", seatNumbers: ["A1"] } },
      admin(),
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["input", "showId"] });
    expect(codes(await block(show.id, []))).toEqual([["INVALID_INPUT", ["input", "seatNumbers"]]]);
    expect(codes(await block(show.id, ["B2", "B3", "B2"]))).toEqual([["INVALID_INPUT", ["B2"]]]);
    expect(codes(await block(show.id, ["B2"], "   "))).toEqual([["INVALID_INPUT", ["input", "reason"]]]);
    expect(codes(await block(show.id, ["B2"], "x".repeat(201)))).toEqual([["INVALID_INPUT", ["input", "reason"]]]);
    expect((await block(show.id, ["B2"], ` ${"x".repeat(200)} `)).userErrors).toEqual([]);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `A${i + 1}`);
    expect(codes(await block(show.id, tooMany))).toEqual([["INVALID_INPUT", ["input", "seatNumbers"]]]);
    await unblock(show.id, ["B1", "B2"]);
    expect(await blockReasons(show.id)).toEqual(untouched);

    // A cancelled show refuses both (its seats stay as the cancellation left them: all off sale).
    const cancelled = await t.ok(CancelShowDocument, { input: { id: show.id, reason: "Storm" } }, admin());
    expect(cancelled.cancelShow.userErrors).toEqual([]);
    const afterCancel = await blockReasons(show.id);
    expect(codes(await block(show.id, ["B3"]))).toEqual([["SHOW_CANCELLED", null]]);
    expect(codes(await unblock(show.id, ["B3"]))).toEqual([["SHOW_CANCELLED", null]]);
    expect(await blockReasons(show.id)).toEqual(afterCancel);
  });

  it("are for admins only", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const input = { showId: show.id, seatNumbers: ["A1"], reason: "x" };
    const asUser = await t.request(BlockSeatsDocument, { input }, { as: uniqueUser() });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.request(UnblockSeatsDocument, { input: { showId: show.id, seatNumbers: ["A1"] } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await seatsOf(show.id)).toMatchObject({ blockedSeats: 0 });
  });

  it("best available never picks a blocked seat, and an exact hold of one fails", async () => {
    const show = await createShow(t, { rows: 3, seatsPerRow: 4 });
    // Every seat of the front two rows off sale: best available must go to row C.
    await block(show.id, ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]);
    const best = await hold(t, uniqueUser(), { showId: show.id, quantity: 2 });
    expect(best.userErrors).toEqual([]);
    expect(best.booking!.seatNumbers.every((n) => n.startsWith("C"))).toBe(true);
    const rest = await hold(t, uniqueUser(), { showId: show.id, quantity: 3 });
    expect(rest.userErrors.map((e) => e.code)).toEqual(["SEATS_UNAVAILABLE"]);
    const exact = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B2"] });
    expect(exact.userErrors.map((e) => [e.code, e.seatNumbers])).toEqual([["SEATS_UNAVAILABLE", ["B2"]]]);
  });

  it("publishes blocks and unblocks to subscribers with the counts", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const sub = subscribe(t.app.address, BlockedSeatMapChangedDocument, { showId: show.id });
    try {
      await sub.untilLive(async () => {
        t.app.container.seatEvents.publish([
          {
            showId: databaseId(show.id),
            version: "0",
            seats: [{ id: "0", seatNumber: "PROBE", status: SeatStatus.AVAILABLE, version: "0", holdExpiresAt: null }],
          },
        ]);
        await t.app.container.seatEvents.drain();
      });
      const blocked = await block(show.id, ["A3", "A4"]);
      const [event] = await sub.waitFor(1);
      expect(event!.seatMapChanged).toMatchObject({ showId: show.id, availableSeats: 2, blockedSeats: 2 });
      expect(event!.seatMapChanged.seats.map((s) => [s.seatNumber, s.status, s.version]).sort()).toEqual(
        blocked.seats.map((s) => [s.seatNumber, "BLOCKED", s.version]).sort(),
      );
      await unblock(show.id, ["A4"]);
      const [, back] = await sub.waitFor(2);
      expect(back!.seatMapChanged).toMatchObject({ availableSeats: 3, blockedSeats: 1 });
      expect(back!.seatMapChanged.seats.map((s) => [s.seatNumber, s.status])).toEqual([["A4", "AVAILABLE"]]);
      // The live seat map of this process (the availability string) saw them too.
      expect((await seatsOf(show.id)).availability.statuses).toBe("AAXA");
    } finally {
      await sub.close();
    }
  });

  it("racing many holds of the same seats: each seat ends held by exactly one booking or blocked, never both", async () => {
    for (let round = 0; round < 6; round++) {
      const show = await createShow(t, { rows: 1, seatsPerRow: 10, createdBy: uniqueUser("admin") });
      const seats = Array.from({ length: 10 }, (_, i) => `A${i + 1}`);
      const blockedSeats = seats.slice(round, round + 4);
      // Overlapping holds of three seats, several per start, all racing one block of four seats.
      const holds = Array.from({ length: 16 }, (_, i) =>
        t.request(
          HoldSeatsDocument,
          { input: { showId: show.id, seatNumbers: seats.slice(i % 8, (i % 8) + 3) } },
          { as: uniqueUser() },
        ),
      );
      const [blockResult, ...holdResults] = await Promise.all([
        t.request(
          BlockSeatsDocument,
          { input: { showId: show.id, seatNumbers: blockedSeats, reason: "Race" } },
          admin(),
        ),
        ...holds,
      ]);
      expect(blockResult.errors).toBeUndefined();
      for (const r of holdResults) expect(r.errors).toBeUndefined();
      const blockErrors = blockResult.data!.blockSeats.userErrors;
      const winners = new Map(
        holdResults
          .map((r) => r.data!.holdSeats.booking)
          .filter((b) => b?.status === "PENDING")
          .map((b) => [databaseId(b!.id), b!.seatNumbers]),
      );
      const rows = await t.prisma.$queryRaw<{ seat_number: string; status: string; booking_id: string | null }[]>`
        SELECT seat_number, status::text, booking_id::text FROM seats WHERE show_id = ${databaseId(show.id)}::uuid`;
      const claimed = [...winners.values()].flat();
      expect(new Set(claimed).size).toBe(claimed.length);
      for (const seat of rows) {
        const owners = [...winners].filter(([, numbers]) => numbers.includes(seat.seat_number)).map(([id]) => id);
        if (seat.status === "held") expect(owners).toEqual([seat.booking_id]);
        else expect(owners).toEqual([]);
        if (seat.status === "blocked") expect(blockedSeats).toContain(seat.seat_number);
      }
      const blockedNow = rows.filter((r) => r.status === "blocked").map((r) => r.seat_number);
      if (blockErrors.length === 0) {
        expect(blockedNow.sort()).toEqual([...blockedSeats].sort());
      } else {
        // Refused because holds won some of its seats first: it blocked none, and named seats that are held.
        expect(blockErrors.map((e) => e.code)).toEqual(["SEATS_UNAVAILABLE"]);
        expect(blockedNow).toEqual([]);
        for (const seat of blockErrors[0]!.seatNumbers!) expect(claimed).toContain(seat);
      }
      const report = await checkInvariants(t.database.url);
      expect(report.violations).toEqual([]);
    }
  });
});
