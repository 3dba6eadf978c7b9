import pg from "pg";
import {
  CancelBookingDocument,
  ExtendHoldDocument,
  HoldSeatsDocument,
  type HoldSeatsMutation,
} from "../../__generated__/graphql";
import { type HostileTarget, startProductionApi } from "../../support/abuse";
import { createShowAt } from "../../support/factories";
import { postGraphQL } from "../../support/graphql";
import { databaseId } from "../../support/ids";

// One address with 40 tokens used to hold a whole 1,000-seat hall within seconds, and hold → extend → cancel → hold
// kept the same seats off sale indefinitely. Against the production build, with its shipped defaults.
let target: HostileTarget;
beforeAll(async () => {
  target = await startProductionApi();
}, 60_000);
afterAll(() => target?.close());

const heldSeats = async (showId: string, status = "held") => {
  const client = new pg.Client({ connectionString: target.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM seats WHERE show_id = $1 AND status = $2",
      [databaseId(showId), status],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
};

const holdAs = async (user: string, input: { showId: string; seatNumbers?: string[]; quantity?: number }) => {
  const response = await postGraphQL(target.api.url, HoldSeatsDocument, { input }, target.token(user));
  return response.data?.holdSeats ?? null;
};

describe("seat hoarding from one address", () => {
  it("40 tokens from one address hold at most MAX_HELD_SEATS_PER_ADDRESS (60) of a 1,000-seat hall", async () => {
    const show = await createShowAt(target.api.url, target.secret, { rows: 25, seatsPerRow: 40 });
    const users = Array.from({ length: 40 }, (_, i) => `hoarder-${i}`);
    // Every token asks for as much as it may: three holds of ten seats each, all at once.
    const answers = await Promise.all(
      users.flatMap((user) => [1, 2, 3].map(() => holdAs(user, { showId: show.id, quantity: 10 }))),
    );
    const held = await heldSeats(show.id);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(60);
    const codes = new Set(
      answers.flatMap((a: HoldSeatsMutation["holdSeats"] | null) => (a ? a.userErrors.map((e) => e.code) : ["none"])),
    );
    // Refusals are the limits (or, for a token that went over its request budget, a rate-limit error: "none").
    for (const code of codes) expect(["LIMIT_EXCEEDED", "none"]).toContain(code);
    // Someone else, from elsewhere in the world, still finds 940+ seats free.
    expect(await heldSeats(show.id, "available")).toBeGreaterThanOrEqual(940);
  }, 60_000);

  it("hold → extend → cancel → hold cannot keep the same seats: the released seats cool down", async () => {
    const show = await createShowAt(target.api.url, target.secret, { rows: 1, seatsPerRow: 10 });
    const user = "cycler";
    const first = (await holdAs(user, { showId: show.id, seatNumbers: ["A5", "A6"] }))!;
    expect(first.userErrors).toEqual([]);
    const id = first.booking!.id;
    const extended = await postGraphQL(target.api.url, ExtendHoldDocument, { id }, target.token(user));
    expect(extended.data!.extendHold.userErrors).toEqual([]);
    const cancelled = await postGraphQL(target.api.url, CancelBookingDocument, { id }, target.token(user));
    expect(cancelled.data!.cancelBooking.userErrors).toEqual([]);
    const again = (await holdAs(user, { showId: show.id, seatNumbers: ["A5", "A6"] }))!;
    expect(again.booking).toBeNull();
    expect(again.userErrors).toEqual([expect.objectContaining({ code: "REHOLD_COOLDOWN", seatNumbers: ["A5", "A6"] })]);
    // Anyone else can have them at once.
    expect((await holdAs("someone-else", { showId: show.id, seatNumbers: ["A5", "A6"] }))!.userErrors).toEqual([]);
  }, 60_000);
});
