import { randomUUID } from "node:crypto";
import { ChangeSeatsDocument, ConfirmBookingDocument } from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants, toGlobalId } from "../../support/from-src";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

// Caps and prices are set in SQL: every seat gets a price of its own (the API prices by category).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...BOX_OFFICE_SETTINGS, MAX_SEATS_PER_HOLD: "4" });
});
afterAll(() => t.stop());

async function pricedShow(cap: number | null = null) {
  const show = await createShow(t, { rows: 3, seatsPerRow: 6, createdBy: uniqueUser("admin") });
  await t.prisma
    .$executeRaw`UPDATE shows SET currency = 'EUR', max_seats_per_user = ${cap}::int WHERE id = ${databaseId(show.id)}::uuid`;
  // Every seat its own price (the API prices by category), and the cap where claims read it (see seats.owner_cap).
  await t.prisma
    .$executeRaw`UPDATE seats SET price = 1000 + seat_in_row, owner_cap = ${cap}::int WHERE show_id = ${databaseId(show.id)}::uuid`;
  return show;
}

async function booking(showId: string, user: string, seatNumbers: string[], confirm = true) {
  const held = await hold(t, user, { showId, seatNumbers });
  expect(held.userErrors).toEqual([]);
  if (confirm) await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
  return held.booking!.id;
}

const change = async (input: { bookingId: string; release: string[]; take: string[]; idempotencyKey?: string }) =>
  (await t.ok(ChangeSeatsDocument, { input: { idempotencyKey: randomUUID(), ...input } }, admin())).changeSeats;

const statuses = async (showId: string, seats: string[]) =>
  (
    await t.prisma.$queryRaw<{ seat_number: string; status: string; booking_id: string | null }[]>`
      SELECT seat_number, status::text, booking_id::text FROM seats
      WHERE show_id = ${databaseId(showId)}::uuid AND seat_number = ANY(${seats}::text[]) ORDER BY seat_number`
  ).map((s) => `${s.seat_number}:${s.status}:${s.booking_id ? toGlobalId("Booking", s.booking_id) : "-"}`);

describe("changeSeats", () => {
  it("moves a confirmed booking, replays its key, and refuses the key for another change", async () => {
    const show = await pricedShow();
    const bookingId = await booking(show.id, uniqueUser(), ["A1", "A2"]);
    const input = { bookingId, release: ["A2"], take: ["c5", "C6"], idempotencyKey: randomUUID() };
    const moved = await change(input);
    expect(moved.userErrors).toEqual([]);
    expect(moved.booking).toMatchObject({
      status: "CONFIRMED",
      seatNumbers: ["A1", "C5", "C6"],
      total: { amount: 1001 + 1005 + 1006 },
    });
    expect(await statuses(show.id, ["A1", "A2", "C5", "C6"])).toEqual([
      `A1:booked:${bookingId}`,
      "A2:available:-",
      `C5:booked:${bookingId}`,
      `C6:booked:${bookingId}`,
    ]);
    const replayed = await change({ ...input, take: ["C6", "C5"] });
    expect(replayed.userErrors).toEqual([]);
    expect(replayed.booking!.seatNumbers).toEqual(["A1", "C5", "C6"]);
    const reused = await change({ ...input, take: ["C4"] });
    expect(reused.userErrors.map((e) => e.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    const [{ count }] = await t.prisma.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM booking_seat_changes WHERE booking_id = ${databaseId(bookingId)}::uuid`;
    expect(Number(count)).toBe(1);
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });

  it("moves a standing hold (taken seats held until its expiry) but not a lapsed one", async () => {
    const show = await pricedShow();
    const user = uniqueUser();
    const bookingId = await booking(show.id, user, ["B1", "B2"], false);
    const moved = await change({ bookingId, release: ["B1"], take: ["B3"] });
    expect(moved.userErrors).toEqual([]);
    expect(moved.booking).toMatchObject({ status: "PENDING", seatNumbers: ["B2", "B3"] });
    const [seat] = await t.prisma.$queryRaw<{ hold_expires_at: Date; expires_at: Date }[]>`
      SELECT s.hold_expires_at, b.expires_at FROM seats s JOIN bookings b ON b.id = s.booking_id
      WHERE s.show_id = ${databaseId(show.id)}::uuid AND s.seat_number = 'B3' AND s.status = 'held'`;
    expect(seat!.hold_expires_at).toEqual(seat!.expires_at);
    const confirmed = await t.ok(ConfirmBookingDocument, { id: bookingId }, { as: user });
    expect(confirmed.confirmBooking.booking!.seatNumbers).toEqual(["B2", "B3"]);

    const lapsing = await booking(show.id, uniqueUser(), ["C1"], false);
    await lapseHolds(t.prisma, [lapsing]);
    expect((await change({ bookingId: lapsing, release: ["C1"], take: ["C2"] })).userErrors[0]!.code).toBe(
      "HOLD_EXPIRED",
    );
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });

  it("refuses bad lists, foreign, unknown and taken seats, too many seats and the owner's cap, changing nothing", async () => {
    const show = await pricedShow(3);
    const owner = uniqueUser();
    const bookingId = await booking(show.id, owner, ["A1", "A2"]);
    await booking(show.id, uniqueUser(), ["A5"], false);
    const codes = async (release: string[], take: string[]) =>
      (await change({ bookingId, release, take })).userErrors.map((e) => [e.code, e.seatNumbers ?? null]);

    expect(await codes([], ["A3"])).toEqual([["INVALID_INPUT", null]]);
    expect(await codes(["A1"], [])).toEqual([["INVALID_INPUT", null]]);
    expect(await codes(["A1", "a1"], ["A3"])).toEqual([["INVALID_INPUT", ["A1"]]]);
    expect(await codes(["A1"], ["A1"])).toEqual([["INVALID_INPUT", ["A1"]]]);
    expect(await codes(["A1", "B1"], ["A3"])).toEqual([["INVALID_INPUT", ["B1"]]]);
    expect(await codes(["A1"], ["Z9", "A3"])).toEqual([["NOT_FOUND", ["Z9"]]]);
    expect(await codes(["A1"], ["A3", "A5"])).toEqual([["SEATS_UNAVAILABLE", ["A5"]]]);
    // MAX_SEATS_PER_HOLD is 4 here; the cap is 3 (the released seat's slot is reusable: 2 − 1 + 2 = 3 is fine).
    expect(await codes(["A1"], ["B1", "B2", "B3", "B4"])).toMatchObject([["LIMIT_EXCEEDED", null]]);
    expect(await codes(["A1"], ["B1", "B2", "B3"])).toMatchObject([["LIMIT_EXCEEDED", null]]);
    expect(await statuses(show.id, ["A1", "A2", "A3", "B1"])).toEqual([
      `A1:booked:${bookingId}`,
      `A2:booked:${bookingId}`,
      "A3:available:-",
      "B1:available:-",
    ]);
    const atCap = await change({ bookingId, release: ["A1"], take: ["B1", "B2"] });
    expect(atCap.userErrors).toEqual([]);
    const slots = await t.prisma.$queryRaw<{ owner_slot: number }[]>`
      SELECT owner_slot FROM seats WHERE show_id = ${databaseId(show.id)}::uuid AND owner_id = ${owner} ORDER BY owner_slot`;
    expect(slots.map((s) => s.owner_slot)).toEqual([1, 2, 3]);
    expect((await hold(t, owner, { showId: show.id, seatNumbers: ["C1"] })).userErrors[0]!.code).toBe("LIMIT_EXCEEDED");
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });

  it("is for admins only", async () => {
    const show = await pricedShow();
    const owner = uniqueUser();
    const bookingId = await booking(show.id, owner, ["A1"]);
    const variables = { input: { bookingId, release: ["A1"], take: ["A2"], idempotencyKey: "k1" } };
    expect((await t.request(ChangeSeatsDocument, variables)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await t.request(ChangeSeatsDocument, variables, { as: owner })).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await t.request(ChangeSeatsDocument, variables, { as: uniqueUser() })).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await t.ok(ChangeSeatsDocument, variables, admin())).changeSeats.userErrors).toEqual([]);
  });

  it("replays concurrent requests with one key: one change, every answer the changed booking", async () => {
    const show = await pricedShow();
    const bookingId = await booking(show.id, uniqueUser(), ["A1", "A2"]);
    const input = { bookingId, release: ["A1"], take: ["B6"], idempotencyKey: randomUUID() };
    const answers = await Promise.all(Array.from({ length: 6 }, () => change(input)));
    for (const answer of answers) {
      expect(answer.userErrors).toEqual([]);
      expect(answer.booking!.seatNumbers).toEqual(["A2", "B6"]);
    }
  });

  it("races a seat change against holds of its target seats: the booking gets them or keeps its own, never both", async () => {
    for (let round = 0; round < 8; round++) {
      const show = await pricedShow();
      const bookingId = await booking(show.id, uniqueUser(), ["A1", "A2"]);
      const targets = ["C3", "C4"];
      const [changed, ...holds] = await Promise.all([
        change({ bookingId, release: ["A1", "A2"], take: targets }),
        ...Array.from({ length: 5 }, (_, i) =>
          hold(t, uniqueUser(), { showId: show.id, seatNumbers: i % 2 ? targets : [targets[i % 2]!] }),
        ),
      ]);
      const won = holds.filter((h) => h.booking?.status === "PENDING");
      const rows = await statuses(show.id, ["A1", "A2", ...targets]);
      if (changed.userErrors.length === 0) {
        expect(won).toEqual([]);
        expect(rows).toEqual(["A1:available:-", "A2:available:-", `C3:booked:${bookingId}`, `C4:booked:${bookingId}`]);
      } else {
        expect(changed.userErrors[0]!.code).toBe("SEATS_UNAVAILABLE");
        expect(rows.slice(0, 2)).toEqual([`A1:booked:${bookingId}`, `A2:booked:${bookingId}`]);
        const owners = targets.map((seat) => won.filter((h) => h.booking!.seatNumbers.includes(seat)).length);
        expect(owners.every((n) => n <= 1)).toBe(true);
        expect(won.length).toBeGreaterThan(0);
      }
    }
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });
});
