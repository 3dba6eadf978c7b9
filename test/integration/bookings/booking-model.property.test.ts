import fc from "fast-check";
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  ExtendHoldDocument,
  HoldSeatsDocument,
  type UserErrorFieldsFragment,
} from "../../__generated__/graphql";
import { lapseHolds } from "../../support/clock";
import { createShow, uniqueUser } from "../../support/factories";
import { checkInvariants, toGlobalId } from "../../support/from-src";
import { databaseId } from "../../support/ids";
import { startTestApp, type TestApp } from "../../support/test-app";
import { Model, type Reason, type Status } from "./booking-model";

/*
 * Model-based property test: random sequences of holds, confirms, cancels, extensions, lapses and expiry sweeps are
 * run against the real API (HTTP, PostgreSQL) and against a small in-memory model of the booking rules. After every
 * step the API's answer and the show's rows in the database must be what the model (booking-model.ts) predicts,
 * and after every run the database invariants must hold.
 */

const MAX_ACTIVE_HOLDS = 2;
const MAX_EXTENSIONS = 1;
const TTL_SECONDS = 300;
const USERS = 3;
const ROWS = ["A", "B"];
const SEATS_PER_ROW = 4;
const SEATS = ROWS.flatMap((row) => Array.from({ length: SEATS_PER_ROW }, (_, i) => `${row}${i + 1}`));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    HOLD_TTL_SECONDS: String(TTL_SECONDS),
    HOLD_MAX_EXTENSIONS: String(MAX_EXTENSIONS),
    MAX_ACTIVE_HOLDS_PER_USER: String(MAX_ACTIVE_HOLDS),
    // Hundreds of mutations in a few seconds: rate limits are not what this test is about.
    RATE_LIMIT_USER_POINTS: "0",
    RATE_LIMIT_IP_POINTS: "0",
  });
});
afterAll(() => t.stop());

// --- commands ------------------------------------------------------------------------------------------------

type Command =
  | { kind: "hold"; user: number; seats: string[] }
  | { kind: "confirm" | "cancel" | "extend"; booking: number }
  | { kind: "expire"; booking: number }
  | { kind: "sweep" };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      user: fc.nat({ max: USERS - 1 }),
      seats: fc.uniqueArray(fc.constantFrom(...SEATS), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("confirm" as const), booking: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), booking: fc.nat({ max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("extend" as const), booking: fc.nat({ max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire" as const), booking: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "sweep" as const }) },
);

// --- the system under test -----------------------------------------------------------------------------------

/** The show's rows in the database, in the model's terms (its ids are the API's). */
async function databaseSnapshot(showId: string, model: Model, users: string[]) {
  const labels = new Map(model.bookings.map((b) => [b.id, b]));
  const [seats, stored] = await Promise.all([
    t.prisma.seat.findMany({
      where: { showId: databaseId(showId) },
      orderBy: [{ rowIndex: "asc" }, { seatInRow: "asc" }],
    }),
    t.prisma.booking.findMany({
      where: { showId: databaseId(showId) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const bookings = stored.map((b) => ({ ...b, id: toGlobalId("Booking", b.id) }));
  const now = Date.now();
  const rows = new Map(bookings.map((b) => [b.id, b]));
  const inModelOrder = [
    ...model.bookings.map((b) => rows.get(b.id)).filter((b) => b !== undefined),
    ...bookings.filter((b) => !labels.has(b.id)),
  ];
  const ownerOf = (bookingId: string) => toGlobalId("Booking", bookingId);
  return {
    seats: seats.map((s) => {
      const owner =
        s.bookingId === null ? "" : ` ${labels.get(ownerOf(s.bookingId))?.label ?? `unknown booking ${s.bookingId}`}`;
      return `${s.seatNumber} ${s.status}${owner}`;
    }),
    bookings: inModelOrder.map((b) => ({
      label: labels.get(b.id)?.label ?? `unknown booking ${b.id}`,
      user: users.indexOf(b.userId),
      status: b.status,
      reason: b.failureReason,
      seats: b.seatNumbers,
      extensions: b.extensionCount,
      lapsed: b.status === "PENDING" && b.expiresAt !== null && b.expiresAt.getTime() <= now,
    })),
  };
}

type Answer = {
  booking: {
    id: string;
    status: Status;
    failureReason: Reason | null;
    seatNumbers: string[];
    expiresAt: string | null;
    seats: { seatNumber: string; status: string }[];
  } | null;
  userErrors: UserErrorFieldsFragment[];
};

/** The answer, reduced to what the model predicts, plus the booking's seats as the API reports them now. */
function observed(answer: Answer) {
  const [error, ...more] = answer.userErrors;
  return {
    code: error?.code ?? null,
    booking: answer.booking ? { status: answer.booking.status, failureReason: answer.booking.failureReason } : null,
    ...(error?.code === "SEATS_UNAVAILABLE" ? { seatNumbers: error.seatNumbers ?? [] } : {}),
    ...(answer.booking ? { seats: answer.booking.seats.map((s) => `${s.seatNumber} ${s.status}`) } : {}),
    ...(more.length > 0 ? { moreErrors: more } : {}),
  };
}

/** The booking's seats as the model says they are now, in seatNumbers order (the API's `Booking.seats`). */
const modelSeatsOf = (model: Model, seats: string[]) =>
  seats.map((n) => `${n} ${model.seats.get(n)!.status.toUpperCase()}`);

const describeCommand = (c: Command, model: Model): string => {
  switch (c.kind) {
    case "hold":
      return `hold u${c.user} [${c.seats.join(",")}]`;
    case "sweep":
      return "sweep";
    case "expire": {
      const pending = model.bookings.filter((b) => b.status === "PENDING");
      return `expire ${pending.length ? pending[c.booking % pending.length]!.label : "(no pending booking)"}`;
    }
    default:
      return `${c.kind} ${model.bookings.length ? model.bookings[c.booking % model.bookings.length]!.label : "(no booking)"}`;
  }
};

/** How often each outcome came up (printed at the end, to show what the runs exercised). */
const outcomes = new Map<string, number>();
const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

/** Runs one command against the API and the model; checks the answer. */
async function step(c: Command, model: Model, showId: string, users: string[]): Promise<void> {
  switch (c.kind) {
    case "hold": {
      const { expected, record, tookLapsed } = model.hold(c.user, c.seats);
      tally(`${tookLapsed ? "hold (taking lapsed seats)" : "hold"} ${expected.code ?? "ok"}`);
      const answer = (await t.ok(HoldSeatsDocument, { input: { showId, seatNumbers: c.seats } }, { as: users[c.user] }))
        .holdSeats;
      if (record && answer.booking) {
        record.id = answer.booking.id;
        record.expiresAt = answer.booking.expiresAt;
        model.bookings.push(record);
      }
      expect(observed(answer)).toEqual({
        ...expected,
        ...(expected.booking ? { seats: modelSeatsOf(model, c.seats) } : {}),
      });
      if (answer.booking) expect(answer.booking.seatNumbers).toEqual(c.seats);
      if (expected.booking?.status === "PENDING") {
        const ttl = new Date(answer.booking!.expiresAt!).getTime() - Date.now();
        expect(ttl).toBeGreaterThan((TTL_SECONDS - 10) * 1000);
        expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000 + 1000);
      }
      return;
    }
    case "confirm":
    case "cancel":
    case "extend": {
      if (model.bookings.length === 0) return;
      const booking = model.bookings[c.booking % model.bookings.length]!;
      const wasLapsed = booking.status === "PENDING" && booking.lapsed;
      const expected = model.act(c.kind, booking);
      tally(`${wasLapsed ? `${c.kind} (lapsed)` : c.kind} ${expected.code ?? "ok"}`);
      const auth = { as: users[booking.user] };
      const answer =
        c.kind === "confirm"
          ? (await t.ok(ConfirmBookingDocument, { id: booking.id }, auth)).confirmBooking
          : c.kind === "cancel"
            ? (await t.ok(CancelBookingDocument, { id: booking.id }, auth)).cancelBooking
            : (await t.ok(ExtendHoldDocument, { id: booking.id }, auth)).extendHold;
      expect(observed(answer)).toEqual({ ...expected, seats: modelSeatsOf(model, booking.seats) });
      expect(answer.booking!.id).toBe(booking.id);
      if (c.kind === "extend" && expected.code === null) {
        // The new expiry is the old one plus the TTL.
        expect(new Date(answer.booking!.expiresAt!).getTime() - new Date(booking.expiresAt!).getTime()).toBe(
          TTL_SECONDS * 1000,
        );
        booking.expiresAt = answer.booking!.expiresAt;
      }
      return;
    }
    case "expire": {
      const pending = model.bookings.filter((b) => b.status === "PENDING");
      if (pending.length === 0) return;
      const booking = pending[c.booking % pending.length]!;
      model.expire(booking);
      await lapseHolds(t.prisma, [booking.id]);
      return;
    }
    case "sweep": {
      const expected = model.sweep();
      tally(`sweep ${expected > 0 ? "released" : "nothing"}`);
      expect(await t.app.container.expiryTask.runOnce()).toBe(expected);
      return;
    }
  }
}

describe("booking model (property-based)", () => {
  it("random holds, confirms, cancels, extensions, lapses and sweeps behave as the model says, and keep the invariants", async () => {
    const started = Date.now();
    let runs = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
        runs++;
        // Leftovers of an earlier (failed) run would otherwise be counted by this run's sweeps.
        await t.app.container.expiryTask.runOnce();
        const show = await createShow(t, { rows: ROWS.length, seatsPerRow: SEATS_PER_ROW });
        const users = Array.from({ length: USERS }, (_, i) => uniqueUser(`model-u${i}`));
        const model = new Model({ seats: SEATS, maxActiveHolds: MAX_ACTIVE_HOLDS, maxExtensions: MAX_EXTENSIONS });
        const trace: string[] = [];
        try {
          for (const c of commands) {
            trace.push(describeCommand(c, model));
            steps++;
            await step(c, model, show.id, users);
            expect(await databaseSnapshot(show.id, model, users)).toEqual(model.snapshot());
          }
          trace.push("invariants");
          expect((await checkInvariants(t.database.url)).violations).toEqual([]);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(`after steps:\n  ${trace.map((s, i) => `${i + 1}. ${s}`).join("\n  ")}\n${message}`);
        }
      }),
      { numRuns: 100 },
    );
    const tallies = [...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`);
    console.log(`booking model: ${runs} runs, ${steps} steps in ${Date.now() - started} ms\n  ${tallies.join("\n  ")}`);
  }, 180_000);
});
