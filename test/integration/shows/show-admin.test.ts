import { print } from "graphql";
import {
  AdminShowDocument,
  CancelShowDocument,
  ChangeVenueLayoutDocument,
  CreateAdminShowDocument,
  type CreateShowInput,
  SeatLayoutDocument,
  ShowVenueOfDocument,
  UpdateShowDocument,
  type UpdateShowInput,
} from "../../__generated__/graphql";
import { hold, uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { getUrl, PREFLIGHT, rawRequest } from "../../support/http-reads";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ MAX_HELD_SEATS_PER_ADDRESS: "0" });
});
afterAll(() => t.stop());
afterEach(async () => {
  expect((await checkInvariants(t.database.url)).violations).toEqual([]);
});

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
const euro = (amount: number, category = "STANDARD") => ({ category, amount, currency: "EUR" });

/** A show made by its own admin (rate limits count per user). */
async function adminShow(input: Partial<CreateShowInput> = {}) {
  const admin = uniqueUser("admin");
  const data = await t.ok(
    CreateAdminShowDocument,
    { input: { name: "Admin show", startsAt: tomorrow(), rows: 2, seatsPerRow: 5, ...input } },
    { as: admin, role: "admin" },
  );
  expect(data.createShow.userErrors).toEqual([]);
  return { show: data.createShow.show!, admin };
}

const update = async (admin: string, input: UpdateShowInput) =>
  (await t.ok(UpdateShowDocument, { input }, { as: admin, role: "admin" })).updateShow;

const read = async (id: string) => (await t.ok(AdminShowDocument, { id })).show!;

/** A GET of `query` through the HTTP read cache, as a browser revalidating `etag` sends it. */
const httpGet = (query: string, id: string, etag?: string) =>
  rawRequest(getUrl(t.app.address, { query, variables: { id } }), {
    headers: { ...PREFLIGHT, ...(etag ? { "if-none-match": etag } : {}) },
  });

describe("createShow's new terms", () => {
  it("takes a purchase cap and owner refunds, and shows the status", async () => {
    const { show } = await adminShow({ maxSeatsPerUser: 4, ownerRefunds: true });
    expect(show).toMatchObject({ maxSeatsPerUser: 4, ownerRefunds: true, status: "ON_SALE", cancelledAt: null });
    const { show: plain } = await adminShow();
    expect(plain).toMatchObject({ maxSeatsPerUser: null, ownerRefunds: false, cancelReason: null });
    const zero = await t.ok(
      CreateAdminShowDocument,
      { input: { name: "x", startsAt: tomorrow(), rows: 1, seatsPerRow: 1, maxSeatsPerUser: 0 } },
      { as: uniqueUser("admin"), role: "admin" },
    );
    expect(zero.createShow.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "maxSeatsPerUser"] }]);
  });
});

describe("updateShow", () => {
  it("changes only the fields given, and every read sees them at once (API and HTTP read cache)", async () => {
    const { show, admin } = await adminShow({ prices: [euro(1000)] });
    const query = `query NameOf($id: ID!) { show(id: $id) { name startsAt maxSeatsPerUser } }`;
    const before = await httpGet(query, show.id);
    expect(JSON.parse(before.text).data.show.name).toBe("Admin show");
    expect((await httpGet(query, show.id, before.header("etag")!)).status).toBe(304);

    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const changed = await update(admin, {
      id: show.id,
      name: "  Renamed  ",
      startsAt,
      maxSeatsPerUser: 6,
      ownerRefunds: true,
      noOrphanSeats: true,
    });
    expect(changed.userErrors).toEqual([]);
    expect(changed.show).toMatchObject({
      name: "Renamed",
      startsAt,
      maxSeatsPerUser: 6,
      ownerRefunds: true,
      noOrphanSeats: true,
      totalSeats: 10,
      currency: "EUR",
    });
    expect(await read(show.id)).toMatchObject({ name: "Renamed", startsAt, maxSeatsPerUser: 6 });
    const after = await httpGet(query, show.id, before.header("etag")!);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).data.show).toEqual({ name: "Renamed", startsAt, maxSeatsPerUser: 6 });

    // Absent fields stay; an explicit null clears the cap.
    const cleared = await update(admin, { id: show.id, maxSeatsPerUser: null });
    expect(cleared.show).toMatchObject({ name: "Renamed", startsAt, maxSeatsPerUser: null, ownerRefunds: true });
    expect((await read(show.id)).maxSeatsPerUser).toBeNull();
  });

  it("refuses what createShow refuses, unknown and cancelled shows, and non-admins", async () => {
    const { show, admin } = await adminShow({ prices: [euro(1000)] });
    const codes = async (input: UpdateShowInput) =>
      (await update(admin, input)).userErrors.map(({ code, field }) => ({ code, field }));
    expect(await codes({ id: show.id, name: "   " })).toEqual([{ code: "INVALID_INPUT", field: ["input", "name"] }]);
    expect(await codes({ id: show.id, startsAt: new Date(Date.now() - 60_000).toISOString() })).toEqual([
      { code: "INVALID_INPUT", field: ["input", "startsAt"] },
    ]);
    expect(await codes({ id: show.id, startsAt: tomorrow(), startsAtLocal: "2030-01-01T19:30" })).toEqual([
      { code: "INVALID_INPUT", field: ["input", "startsAtLocal"] },
    ]);
    expect(await codes({ id: show.id, prices: [{ category: "STANDARD", amount: 10, currency: "XYZ" }] })).toEqual([
      { code: "INVALID_INPUT", field: ["input", "prices", "0", "currency"] },
    ]);
    expect(await codes({ id: show.id, prices: [euro(10, "GOLD")] })).toEqual([
      { code: "INVALID_INPUT", field: ["input", "prices", "0", "category"] },
      { code: "INVALID_INPUT", field: ["input", "prices"] },
    ]);
    expect(await codes({ id: show.id, maxSeatsPerUser: 0 })).toEqual([
      { code: "INVALID_INPUT", field: ["input", "maxSeatsPerUser"] },
    ]);
    expect(await codes({ id: show.id, layoutVersion: 9 })).toEqual([
      { code: "NOT_FOUND", field: ["input", "layoutVersion"] },
    ]);
    expect(await codes({ id: "00000000-0000-4000-8000-000000000000", name: "x" })).toEqual([
      { code: "NOT_FOUND", field: ["input", "id"] },
    ]);
    const malformed = await t.request(
      UpdateShowDocument,
      { input: { id: "not-a-uuid", name: "x" } },
      { as: "admin", role: "admin" },
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["input", "id"] });
    // Nothing of the refused changes stuck.
    expect(await read(show.id)).toMatchObject({ name: "Admin show", maxSeatsPerUser: null });

    const asUser = await t.request(UpdateShowDocument, { input: { id: show.id, name: "x" } }, { as: "someone" });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.request(UpdateShowDocument, { input: { id: show.id, name: "x" } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    await t.ok(CancelShowDocument, { input: { id: show.id, reason: "Storm" } }, { as: admin, role: "admin" });
    const cancelled = await update(admin, { id: show.id, name: "Too late" });
    expect(cancelled.userErrors.map((e) => e.code)).toEqual(["SHOW_CANCELLED"]);
    expect(cancelled.show).toMatchObject({ name: "Admin show", status: "CANCELLED" });
  });

  it("replaces prices while nothing is sold, and refuses once a seat is held", async () => {
    const { show, admin } = await adminShow({ prices: [euro(1000)] });
    const repriced = await update(admin, {
      id: show.id,
      prices: [{ category: "STANDARD", amount: 2500, currency: "USD" }],
    });
    expect(repriced.userErrors).toEqual([]);
    expect(repriced.show!.currency).toBe("USD");
    expect(repriced.show!.categories).toEqual([{ key: "STANDARD", price: { amount: 2500, currency: "USD" } }]);
    const prices = await t.prisma.seat.findMany({ where: { showId: databaseId(show.id) }, select: { price: true } });
    expect(new Set(prices.map((seat) => seat.price))).toEqual(new Set([2500]));

    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] })).userErrors).toEqual([]);
    const refused = await update(admin, { id: show.id, prices: [euro(1)], name: "Not this either" });
    expect(refused.userErrors).toMatchObject([{ code: "INVALID_STATE", field: ["input", "prices"] }]);
    expect(refused.userErrors[0]!.message).toMatch(/can change only while nothing is sold/);
    // One transaction: the name given with the refused prices did not change either.
    expect(await read(show.id)).toMatchObject({ name: "Admin show", currency: "USD" });
  });

  it("moves a show to another layout version while nothing is sold, and layout reads revalidate to it", async () => {
    const { show, admin } = await adminShow({ prices: [euro(1000)] });
    const venueId = (await t.ok(ShowVenueOfDocument, { id: show.id })).show!.venue!.id;
    const layout = {
      categories: [
        { key: "STANDARD", label: "Standard", color: "#4F7CAC" },
        { key: "PREMIUM", label: "Premium", color: "#B8860B" },
      ],
      sections: [
        {
          key: "MAIN",
          label: "Main",
          category: "STANDARD",
          rows: [
            { label: "A", count: 3, category: "PREMIUM" },
            { label: "B", count: 4 },
            { label: "C", count: 4 },
          ],
        },
      ],
    };
    const made = await t.ok(ChangeVenueLayoutDocument, { input: { venueId, layout } }, { as: admin, role: "admin" });
    expect(made.changeVenueLayout.userErrors).toEqual([]);
    const version = made.changeVenueLayout.layout!.version;
    expect(version).toBe(2);

    const layoutQuery = print(SeatLayoutDocument);
    const before = await httpGet(layoutQuery, show.id);
    expect(before.header("cache-control")).toBe("public, no-cache");
    expect((await httpGet(layoutQuery, show.id, before.header("etag")!)).status).toBe(304);

    // The show's one price does not cover the new version's PREMIUM.
    const unpriced = await update(admin, { id: show.id, layoutVersion: version });
    expect(unpriced.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "prices"] }]);
    const moved = await update(admin, {
      id: show.id,
      layoutVersion: version,
      prices: [euro(1500), euro(4000, "PREMIUM")],
    });
    expect(moved.userErrors).toEqual([]);
    expect(moved.show).toMatchObject({ layoutVersion: 2, rows: 3, seatsPerRow: 4, totalSeats: 11, availableSeats: 11 });
    const seats = await t.prisma.seat.findMany({ where: { showId: databaseId(show.id) }, orderBy: { ordinal: "asc" } });
    expect(seats.map((seat) => [seat.seatNumber, seat.price])).toEqual([
      ["A1", 4000],
      ["A2", 4000],
      ["A3", 4000],
      ...["B", "C"].flatMap((row) => [1, 2, 3, 4].map((n) => [`${row}${n}`, 1500])),
    ]);
    expect(await read(show.id)).toMatchObject({ layoutVersion: 2, totalSeats: 11 });

    // The old layout's tag no longer matches: the client gets the new layout and a new tag.
    const after = await httpGet(layoutQuery, show.id, before.header("etag")!);
    expect(after.status).toBe(200);
    expect(after.header("etag")).not.toBe(before.header("etag"));
    expect(JSON.parse(after.text).data.show.layout.seatCount).toBe(11);
    expect((await httpGet(layoutQuery, show.id, after.header("etag")!)).status).toBe(304);

    // Once a seat is held (or blocked), the layout stays.
    expect((await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B1"] })).userErrors).toEqual([]);
    const refused = await update(admin, { id: show.id, layoutVersion: 1, prices: [euro(1000)] });
    expect(refused.userErrors).toMatchObject([{ code: "INVALID_STATE", field: ["input", "prices"] }]);
    const layoutOnly = await update(admin, { id: show.id, layoutVersion: 1 });
    expect(layoutOnly.userErrors).toMatchObject([{ code: "INVALID_STATE", field: ["input", "layoutVersion"] }]);
  });

  it("backfills owner slots when a cap is set on a show with holds, numbered per user, and clears them", async () => {
    const { show, admin } = await adminShow({ rows: 2, seatsPerRow: 10 });
    const [ann, bob] = [uniqueUser(), uniqueUser()];
    for (const [user, seatNumbers] of [
      [ann, ["A3", "A4"]],
      [bob, ["B1"]],
      [ann, ["A1"]],
    ] as const) {
      expect((await hold(t, user, { showId: show.id, seatNumbers: [...seatNumbers] })).userErrors).toEqual([]);
    }
    // Ann already has a slot (as a capped claim would have given her): the new ones come after it.
    await t.prisma.$executeRaw`UPDATE seats SET owner_id = ${ann}, owner_slot = 1
                               WHERE show_id = ${databaseId(show.id)}::uuid AND seat_number = 'A4'`;
    const capped = await update(admin, { id: show.id, maxSeatsPerUser: 2 });
    expect(capped.userErrors).toEqual([]);
    const slots = await t.prisma.$queryRaw<{ seat_number: string; owner_id: string; owner_slot: number }[]>`
      SELECT seat_number, owner_id, owner_slot FROM seats
      WHERE show_id = ${databaseId(show.id)}::uuid AND owner_slot IS NOT NULL ORDER BY owner_id, owner_slot`;
    // Seats without a slot get the next ones per user in seat id order (A1 before A3): every seat owned counts, so
    // Ann (3 seats) is over the new cap of 2 and keeps them.
    expect(slots).toEqual(
      [
        { seat_number: "A4", owner_id: ann, owner_slot: 1 },
        { seat_number: "A1", owner_id: ann, owner_slot: 2 },
        { seat_number: "A3", owner_id: ann, owner_slot: 3 },
        { seat_number: "B1", owner_id: bob, owner_slot: 1 },
      ].sort((a, b) => a.owner_id.localeCompare(b.owner_id) || a.owner_slot - b.owner_slot),
    );
    const cleared = await update(admin, { id: show.id, maxSeatsPerUser: null });
    expect(cleared.userErrors).toEqual([]);
    const left = await t.prisma.seat.count({ where: { showId: databaseId(show.id), ownerSlot: { not: null } } });
    expect(left).toBe(0);
  });
});
