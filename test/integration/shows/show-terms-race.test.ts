import { UpdateShowDocument } from "../../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

/*
 * A purchase cap set while holds are under way: holds read the cap from the seats they lock (seats.owner_cap), so
 * whichever way each hold and the change interleave, every seat a customer owns afterwards takes one of their slots
 * (invariant 9), and nobody can take a seat beyond the cap once it is set.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...BOX_OFFICE_SETTINGS, MAX_ACTIVE_HOLDS_PER_USER: "10" });
});
afterAll(() => t.stop());

describe("a purchase cap set while holds are in flight", () => {
  it("leaves every owned seat in a slot of its owner, and nobody above the cap can take more", async () => {
    for (let round = 0; round < 5; round++) {
      const show = await createShow(t, { rows: 4, seatsPerRow: 6, createdBy: uniqueUser("admin") });
      const users = [uniqueUser(), uniqueUser(), uniqueUser()];
      const seats = Array.from({ length: 18 }, (_, i) => `${"ABC"[i % 3]}${Math.floor(i / 3) + 1}`);
      const holds = seats.map((seat, i) => hold(t, users[i % 3]!, { showId: show.id, seatNumbers: [seat] }));
      const capped = t.ok(UpdateShowDocument, { input: { id: show.id, maxSeatsPerUser: 2 } }, admin());
      const [change] = await Promise.all([capped, ...holds]);
      expect(change.updateShow.userErrors).toEqual([]);
      expect((await checkInvariants(t.database.url)).violations).toEqual([]);
      for (const [i, user] of users.entries()) {
        const [owned] = await t.prisma.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM seats WHERE show_id = ${databaseId(show.id)}::uuid AND owner_id = ${user}`;
        const more = await hold(t, user, { showId: show.id, seatNumbers: [`D${i + 1}`] });
        // At the cap or above it (holds before the change keep their seats): refused; below it: the seat is theirs.
        if (owned!.n >= 2) expect(more.userErrors.map((e) => e.code)).toEqual(["LIMIT_EXCEEDED"]);
        else expect(more.userErrors).toEqual([]);
      }
      expect((await checkInvariants(t.database.url)).violations).toEqual([]);
    }
  });
});
