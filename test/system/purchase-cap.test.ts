import pg from "pg";
import { HoldSeatsDocument, UpdateShowDocument } from "../__generated__/graphql";
import { type ApiProcess, twoApiProcesses } from "../support/api-process";
import { createShowAt, uniqueUser } from "../support/factories";
import { checkInvariants, signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { databaseId } from "../support/ids";

jest.setTimeout(60_000);
const SECRET = "purchase-cap-secret-long-enough";
const CAP = 5;

// The cap is exact across processes: each owned seat takes one of the owner's slots 1…cap, unique in the database.
describe("purchase cap across two API processes", () => {
  const state = twoApiProcesses(() => ({
    JWT_SECRET: SECRET,
    MAX_ACTIVE_HOLDS_PER_USER: "30",
    MAX_HELD_SEATS_PER_ADDRESS: "0",
    RATE_LIMIT_USER_POINTS: "0",
    REHOLD_COOLDOWN_SECONDS: "0",
    HOLD_TIME_PER_SHOW_SECONDS: "100000",
    HOLD_TTL_SECONDS: "300",
  }));
  const { processes } = state;

  it("20 simultaneous holds of one user own at most the cap; then up to the cap works and one more is refused", async () => {
    const [first, second] = processes as [ApiProcess, ApiProcess];
    const show = await createShowAt(first.url, SECRET, { rows: 4, seatsPerRow: 10, createdBy: uniqueUser("admin") });
    const db = new pg.Client({ connectionString: state.database!.url });
    await db.connect();
    try {
      const admin = signToken(SECRET, { sub: uniqueUser("admin"), role: "admin" });
      const capped = await postGraphQL(
        first.url,
        UpdateShowDocument,
        { input: { id: show.id, maxSeatsPerUser: CAP } },
        admin,
      );
      expect(capped.data!.updateShow.userErrors).toEqual([]);
      const user = uniqueUser();
      const token = signToken(SECRET, { sub: user, role: "user" });
      const holdAt = (url: string, seatNumbers: string[]) =>
        postGraphQL(url, HoldSeatsDocument, { input: { showId: show.id, seatNumbers } }, token);

      const seats = Array.from({ length: 20 }, (_, i) => `${"AB"[i % 2]}${Math.floor(i / 2) + 1}`);
      const answers = await Promise.all(seats.map((seat, i) => holdAt(i % 2 ? second.url : first.url, [seat])));
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const payloads = answers.map((a) => a.data!.holdSeats);
      const held = payloads.filter((p) => p.booking?.status === "PENDING");
      const refusals = payloads.filter((p) => p.userErrors.length > 0);
      expect(held.length + refusals.length).toBe(20);
      expect(held.length).toBeGreaterThan(0);
      expect(held.length).toBeLessThanOrEqual(CAP);
      for (const refusal of refusals) expect(refusal.userErrors.map((e) => e.code)).toEqual(["LIMIT_EXCEEDED"]);

      const owned = async () =>
        (
          await db.query<{ n: string }>("SELECT count(*) AS n FROM seats WHERE show_id = $1 AND owner_id = $2", [
            databaseId(show.id),
            user,
          ])
        ).rows[0]!.n;
      expect(Number(await owned())).toBe(held.length);

      // Up to the cap still works (whichever process), and one seat more is refused.
      for (let i = held.length; i < CAP; i++) {
        const more = await holdAt(i % 2 ? first.url : second.url, [`C${i + 1}`]);
        expect(more.data!.holdSeats.userErrors).toEqual([]);
      }
      const over = await holdAt(first.url, ["D1"]);
      expect(over.data!.holdSeats.userErrors).toMatchObject([
        { code: "LIMIT_EXCEEDED", message: expect.stringMatching(new RegExp(`at most ${CAP} seats`)) },
      ]);
      expect(Number(await owned())).toBe(CAP);
      expect((await checkInvariants(state.database!.url)).violations).toEqual([]);
    } finally {
      await db.end();
    }
    for (const api of processes) expect(api.output()).not.toMatch(/ERROR/);
  });
});
