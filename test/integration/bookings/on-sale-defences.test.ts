import { CancelBookingDocument, ConfirmBookingDocument, ExtendHoldDocument } from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { ageBooking, holdFrom, startShowNow } from "../../support/hoarding";
import { startTestApp, type TestApp } from "../../support/test-app";

// Time is moved in the database (the rules are decided against its clock), never waited for.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    TRUST_PROXY: "1",
    HOLD_TTL_SECONDS: "60",
    HOLD_MAX_EXTENSIONS: "2",
    MAX_SEATS_PER_HOLD: "3",
    MAX_HELD_SEATS_PER_ADDRESS: "4",
    HOLD_TIME_PER_SHOW_SECONDS: "300",
    REHOLD_COOLDOWN_SECONDS: "60",
  });
});
afterAll(() => t.stop());

const cancel = async (user: string, id: string) =>
  (await t.ok(CancelBookingDocument, { id }, { as: user })).cancelBooking;
const extend = async (user: string, id: string) => (await t.ok(ExtendHoldDocument, { id }, { as: user })).extendHold;
const confirm = async (user: string, id: string) =>
  (await t.ok(ConfirmBookingDocument, { id }, { as: user })).confirmBooking;

describe("seats held per client address and show (MAX_HELD_SEATS_PER_ADDRESS = 4)", () => {
  it("caps the seats one address holds at once, exactly, under concurrency", async () => {
    const show = await createShow(t, { rows: 4, seatsPerRow: 12 });
    const seats = Array.from({ length: 12 }, (_, i) => `B${i + 1}`);
    const answers = await Promise.all(
      seats.map((seat) => holdFrom(t, uniqueUser(), "203.0.113.7", { showId: show.id, seatNumbers: [seat] })),
    );
    const held = answers.filter((a) => a.booking?.status === "PENDING");
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(4);
    for (const refused of answers.filter((a) => a.booking?.status !== "PENDING")) {
      expect(refused).toEqual({ booking: null, userErrors: [expect.objectContaining({ code: "LIMIT_EXCEEDED" })] });
    }
    // Fill up to the cap one by one, then one more is refused, whoever asks from that address.
    for (let n = held.length; n < 4; n++) {
      const more = await holdFrom(t, uniqueUser(), "203.0.113.7", { showId: show.id, seatNumbers: [`C${n + 1}`] });
      expect(more.userErrors).toEqual([]);
    }
    const over = await holdFrom(t, uniqueUser(), "203.0.113.7", { showId: show.id, quantity: 1 });
    expect(over.userErrors[0]).toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(over.userErrors[0]!.message).toMatch(/at most 4/);
    // Another address, and the same address on another show, are not affected.
    expect((await holdFrom(t, uniqueUser(), "198.51.100.9", { showId: show.id, quantity: 3 })).userErrors).toEqual([]);
    const other = await createShow(t);
    expect((await holdFrom(t, uniqueUser(), "203.0.113.7", { showId: other.id, quantity: 3 })).userErrors).toEqual([]);
    // A released hold gives its slots back.
    const user = uniqueUser();
    await holdFrom(t, user, "192.0.2.1", { showId: show.id, seatNumbers: ["D1", "D2", "D3"] });
    const fourth = await holdFrom(t, user, "192.0.2.1", { showId: show.id, seatNumbers: ["D4"] });
    expect(fourth.userErrors).toEqual([]);
    expect((await holdFrom(t, user, "192.0.2.1", { showId: show.id, seatNumbers: ["D5"] })).userErrors[0]!.code).toBe(
      "LIMIT_EXCEEDED",
    );
    await cancel(user, fourth.booking!.id);
    expect((await holdFrom(t, user, "192.0.2.1", { showId: show.id, seatNumbers: ["D5"] })).userErrors).toEqual([]);
  });
});

describe("hold time per user and show (HOLD_TIME_PER_SHOW_SECONDS = 300, TTL 60)", () => {
  it("stops hold → extend → cancel → hold from keeping seats off sale", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const first = (await hold(t, user, { showId: show.id, seatNumbers: ["A1"] })).booking!;
    expect((await extend(user, first.id)).userErrors).toEqual([]);
    expect((await extend(user, first.id)).userErrors).toEqual([]);
    await ageBooking(t.prisma, first.id, 170); // held for 170 s so far
    expect((await cancel(user, first.id)).userErrors).toEqual([]);

    const second = (await hold(t, user, { showId: show.id, seatNumbers: ["A2"] })).booking!; // 170 + 60
    expect(second.status).toBe("PENDING");
    expect((await extend(user, second.id)).userErrors).toEqual([]); // 170 + 120
    const refused = await extend(user, second.id); // would be 170 + 180
    expect(refused.userErrors[0]).toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(refused.userErrors[0]!.message).toMatch(/hold time/);
    await ageBooking(t.prisma, second.id, 100);
    await cancel(user, second.id); // 270 s used
    const third = await hold(t, user, { showId: show.id, quantity: 1 });
    expect(third).toEqual({ booking: null, userErrors: [expect.objectContaining({ code: "LIMIT_EXCEEDED" })] });
    // Other users, and the same user on another show, still can.
    expect((await hold(t, uniqueUser(), { showId: show.id, quantity: 1 })).userErrors).toEqual([]);
    expect((await hold(t, user, { showId: (await createShow(t)).id, quantity: 1 })).userErrors).toEqual([]);
  });
});

describe("re-hold cool-down (REHOLD_COOLDOWN_SECONDS = 60)", () => {
  it("refuses the user's own released seats for the cool-down, per seat, and lets others have them", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const held = (await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] })).booking!;
    await cancel(user, held.id);
    const again = await hold(t, user, { showId: show.id, seatNumbers: ["A2", "A3"] });
    expect(again).toEqual({
      booking: null,
      userErrors: [expect.objectContaining({ code: "REHOLD_COOLDOWN", seatNumbers: ["A2"] })],
    });
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["A3"] })).userErrors).toEqual([]);
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1", "A2"] })).userErrors).toEqual([]);
  });

  it("also after a lapse, ends after the cool-down, and best available skips the cooling seats", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 3 });
    const user = uniqueUser();
    const best = (await hold(t, user, { showId: show.id, quantity: 1 })).booking!;
    // A1, not the centre seat A2, which would strand A1 and A3 as single seats.
    expect(best.seatNumbers).toEqual(["A1"]);
    await lapseHolds(t.prisma, [best.id]);
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["A1"] })).userErrors[0]!.code).toBe("REHOLD_COOLDOWN");
    const next = (await hold(t, user, { showId: show.id, quantity: 1 })).booking!;
    expect(next.seatNumbers).not.toContain("A1");
    await ageBooking(t.prisma, best.id, 61);
    expect((await hold(t, user, { showId: show.id, seatNumbers: ["A1"] })).userErrors).toEqual([]);
  });
});

describe("after the show starts (by the database clock)", () => {
  it("refuses holds, extensions and confirmations with SHOW_STARTED", async () => {
    const show = await createShow(t);
    const user = uniqueUser();
    const toExtend = (await hold(t, user, { showId: show.id, seatNumbers: ["A1"] })).booking!;
    const toConfirm = (await hold(t, user, { showId: show.id, seatNumbers: ["A2"] })).booking!;
    await startShowNow(t.prisma, show.id);
    for (const answer of [
      await extend(user, toExtend.id),
      await confirm(user, toConfirm.id),
      await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A3"] }),
      await hold(t, uniqueUser(), { showId: show.id, quantity: 1 }),
    ]) {
      expect(answer.userErrors).toEqual([expect.objectContaining({ code: "SHOW_STARTED" })]);
    }
    // A hold can still be cancelled, which gives its seats back.
    expect((await cancel(user, toExtend.id)).userErrors).toEqual([]);
  });
});
