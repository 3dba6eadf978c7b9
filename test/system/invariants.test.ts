import { spawnSync } from "node:child_process";
import path from "node:path";
import { ConfirmBookingDocument } from "../__generated__/graphql";
import { lapseHolds } from "../support/clock";
import { createShow, hold, uniqueUser } from "../support/factories";
import { checkInvariants } from "../support/from-src";
import { startTestApp, type TestApp } from "../support/test-app";
import { databaseId, databaseIds } from "../support/ids";

// A system test because it runs the compiled `npm run check:invariants` script as a process, besides the function.
let t: TestApp;
beforeAll(async () => {
  // Long holds: the test makes one lapse when it wants to (lapseHolds).
  t = await startTestApp({ HOLD_TTL_SECONDS: "300" });
});
afterAll(() => t.stop());

const runScript = () =>
  spawnSync(process.execPath, [path.resolve(__dirname, "../../dist/scripts/check-invariants.js")], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: t.database.url },
    encoding: "utf8",
  });

describe("booking invariants", () => {
  it("hold after holds, confirmations, cancellations, lapses and lazy re-claims", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const user = uniqueUser();
    const confirmed = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    await t.ok(ConfirmBookingDocument, { id: confirmed.booking!.id }, { as: user });
    const lapsing = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B1", "B2"] });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] }); // fails: FAILED, holds nothing
    await lapseHolds(t.prisma, [lapsing.booking!.id]);
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B2", "B3"] }); // takes a lapsed seat
    const report = await checkInvariants(t.database.url);
    expect(report.violations).toEqual([]);
    expect(report.checks.length).toBeGreaterThanOrEqual(13);

    const script = runScript();
    expect(script.status).toBe(0);
    expect(script.stdout).toMatch(/All invariants hold/);
  });

  it("reports each kind of violation, and the script exits 1", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 4 });
    const user = uniqueUser();
    const booked = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    await t.ok(ConfirmBookingDocument, { id: booked.booking!.id }, { as: user });
    const held = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A2", "A3"] });
    // States the API cannot reach, written directly: a CONFIRMED booking that lost its seat and whose total is not its
    // seats' prices, a PENDING booking holding less than it lists, and a show with a missing seat row.
    await t.prisma
      .$executeRaw`UPDATE bookings SET status = 'FAILED', failure_reason = 'CANCELLED' WHERE id = ${databaseId(held.booking!.id)}::uuid`;
    await t.prisma
      .$executeRaw`UPDATE seats SET status = 'available', booking_id = NULL WHERE show_id = ${databaseId(show.id)}::uuid AND seat_number = 'A1'`;
    await t.prisma.$executeRaw`DELETE FROM seats WHERE show_id = ${databaseId(show.id)}::uuid AND seat_number = 'A4'`;
    await t.prisma
      .$executeRaw`UPDATE bookings SET total = 1, currency = 'EUR' WHERE id = ${databaseId(booked.booking!.id)}::uuid`;
    const report = await checkInvariants(t.database.url);
    expect(report.ok).toBe(false);
    const broken = report.violations.map((v) => v.invariant);
    expect(broken).toEqual(
      expect.arrayContaining([
        "1. every HELD seat belongs to a PENDING booking of the same show that lists it",
        "2. every CONFIRMED booking's seats are all BOOKED by it",
        "3. FAILED and REFUNDED bookings hold no seats",
        "4. show counts equal the seat rows' counts (and its layout's, on a venue)",
        "5. a live booking's total is its seats' prices, in its show's currency",
      ]),
    );
    const script = runScript();
    expect(script.status).toBe(1);
    expect(script.stdout).toMatch(/FAIL/);
  });

  it("reports broken box-office states: blocked, refunded, cancelled, capped, and seat history", async () => {
    const [blocked, refunded, cancelled, capped] = await Promise.all(
      [1, 2, 3, 4].map(() => createShow(t, { rows: 1, seatsPerRow: 4 })),
    );
    const confirmedOn = async (showId: string, seatNumbers: string[]) => {
      const user = uniqueUser();
      const held = await hold(t, user, { showId, seatNumbers });
      await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
      return held.booking!.id;
    };
    await confirmedOn(blocked!.id, ["A1"]);
    const refundedId = await confirmedOn(refunded!.id, ["A1"]);
    await hold(t, uniqueUser(), { showId: cancelled!.id, seatNumbers: ["A1"] });
    await hold(t, uniqueUser(), { showId: capped!.id, seatNumbers: ["A1"] });
    // States the API cannot reach: a sold seat taken off sale, a booking marked refunded without a refund, a show
    // cancelled that kept its live bookings and seats, a cap set without owner slots, a history that lost the latest.
    await t.prisma.$executeRaw`UPDATE seats SET status = 'blocked', booking_id = NULL, block_reason = 'house'
                               WHERE show_id = ${databaseId(blocked!.id)}::uuid AND seat_number = 'A1'`;
    await t.prisma
      .$executeRaw`UPDATE seats SET status = 'available', booking_id = NULL WHERE booking_id = ${databaseId(refundedId)}::uuid`;
    await t.prisma.$executeRaw`UPDATE bookings SET status = 'REFUNDED' WHERE id = ${databaseId(refundedId)}::uuid`;
    await t.prisma
      .$executeRaw`UPDATE shows SET cancelled_at = now(), cancel_reason = 'storm' WHERE id = ${databaseId(cancelled!.id)}::uuid`;
    await t.prisma.$executeRaw`UPDATE shows SET max_seats_per_user = 2 WHERE id = ${databaseId(capped!.id)}::uuid`;
    await t.prisma.$executeRaw`UPDATE seat_history SET status = 'booked'
                               WHERE show_id = ${databaseId(capped!.id)}::uuid AND seat_number = 'A1'`;
    const report = await checkInvariants(t.database.url);
    const broken = report.violations.map((v) => v.invariant);
    expect(broken).toEqual(
      expect.arrayContaining([
        "6. no live booking lists a BLOCKED seat",
        "7. a REFUNDED booking's seats were all refunded",
        "8. a cancelled show has no live booking and every seat BLOCKED",
        "9. every seat carries its show's purchase cap; with one every owned seat takes a slot of its booking's user, without one none does",
        "10. a seat's latest history entry is its current state",
      ]),
    );
    await t.prisma
      .$executeRaw`DELETE FROM shows WHERE id = ANY(${databaseIds([blocked!.id, refunded!.id, cancelled!.id, capped!.id])}::uuid[])`;
  });

  it("reports a booking whose current state has no event", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 2 });
    const user = uniqueUser();
    const held = await hold(t, user, { showId: show.id, seatNumbers: ["A1"] });
    await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
    const eventless = async () =>
      (await checkInvariants(t.database.url)).violations.filter((v) => v.invariant.startsWith("11."));
    expect(await eventless()).toEqual([]);
    // An event lost: what the outbox exists to make impossible.
    await t.prisma.$executeRaw`DELETE FROM booking_outbox WHERE booking_id = ${databaseId(held.booking!.id)}::uuid
                                                            AND type = 'booking.confirmed'`;
    await t.prisma.$executeRaw`DELETE FROM booking_events WHERE booking_id = ${databaseId(held.booking!.id)}::uuid
                                                            AND type = 'booking.confirmed'`;
    expect(await eventless()).toEqual([
      {
        invariant: "11. every booking changed in the last day has the event of its current state (outbox or log)",
        count: 1,
        examples: [databaseId(held.booking!.id)],
      },
    ]);
    await t.prisma.$executeRaw`DELETE FROM shows WHERE id = ${databaseId(show.id)}::uuid`;
  });
});
