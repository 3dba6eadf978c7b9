import {
  ChangeVenueLayoutDocument,
  ConfirmBookingDocument,
  CreateShowDocument,
  CreateVenueDocument,
  HoldPricedDocument,
  SeatDetailsDocument,
  SeatPricesDocument,
  ShowCatalogDocument,
  VenueDocument,
  VenueLayoutOfShowDocument,
  VenuesDocument,
} from "../../__generated__/graphql";
import pg from "pg";
import { uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { seededRandom } from "../../support/random";
import { startTestApp, type TestApp } from "../../support/test-app";
import { createTheatre, THEATRE_SEATS, theatreInput } from "../../support/venues";
import { databaseId } from "../../support/ids";

// Venues, prices and the rules that come with them, end to end: an admin models a theatre, puts two shows on it at
// different prices and times, and a buyer sees the prices, holds by category and gets a booking with its total.
let t: TestApp;
/** A different admin each time: rate limits count mutations per user. */
const admin = () => ({ as: uniqueUser("admin"), role: "admin" as const });
beforeAll(async () => {
  t = await startTestApp({ MAX_HELD_SEATS_PER_ADDRESS: "0", RATE_LIMIT_IP_ROWS: "0" });
});
afterAll(() => t.stop());
afterEach(async () => {
  expect((await checkInvariants(t.database.url)).violations).toEqual([]);
});

const PRICES = (premium: number, currency = "EUR") => [
  { category: "PREMIUM", amount: premium, currency },
  { category: "STANDARD", amount: 4500, currency },
  { category: "RESTRICTED", amount: 2000, currency },
  { category: "ACCESSIBLE", amount: 3000, currency },
];

async function showOn(venueId: string, input: Record<string, unknown> = {}) {
  const data = await t.ok(
    CreateShowDocument,
    { input: { name: "Hamlet", venueId, startsAtLocal: "2031-03-01T19:30", prices: PRICES(8900), ...input } },
    admin(),
  );
  expect(data.createShow.userErrors).toEqual([]);
  return data.createShow.show!.id;
}

describe("venues", () => {
  it("models a theatre in one mutation: sections, ragged rows, aisles, gaps, categories, accessible seats", async () => {
    const venueId = await createTheatre(t, "Burgtheater");
    const { venue } = await t.ok(VenueDocument, { id: venueId });
    expect(venue).toMatchObject({ name: "Burgtheater", timeZone: "Europe/Vienna" });
    expect(venue!.layout).toMatchObject({
      version: 1,
      totalSeats: THEATRE_SEATS,
      sections: [
        { key: "STALLS", seatPrefix: "", rowCount: 3 },
        { key: "CIRCLE", seatPrefix: "C-", rowCount: 2 },
        { key: "BOX_A", seatPrefix: "BOXA-", rowCount: 1 },
      ],
    });
    expect(venue!.layout!.categories.map((c) => c.key)).toEqual(["PREMIUM", "STANDARD", "RESTRICTED", "ACCESSIBLE"]);
    const { venues } = await t.ok(VenuesDocument, { first: 100 });
    expect(venues.edges.map((e) => e.node.id)).toContain(venueId);
  });

  it("reports every problem of a layout with its field path, and creates nothing", async () => {
    const input = theatreInput();
    input.timeZone = "Europe/Atlantis";
    input.layout.sections[1]!.seatPrefix = ""; // the circle's A1… now repeat the stalls'
    input.layout.sections[0]!.rows[1]!.category = "GOLD";
    const data = await t.ok(CreateVenueDocument, { input }, admin());
    expect(data.createVenue.venue).toBeNull();
    const fields = data.createVenue.userErrors.map((e) => e.field!.join("."));
    expect(data.createVenue.userErrors.every((e) => e.code === "INVALID_INPUT")).toBe(true);
    expect(fields).toContain("input.timeZone");
    expect(fields).toContain("input.layout.sections.0.rows.1.category");
    expect(fields.some((f) => f.startsWith("input.layout.sections.1.rows.0"))).toBe(true);
  });

  it("is for admins only", async () => {
    const asUser = await t.request(CreateVenueDocument, { input: theatreInput() }, { as: "someone" });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.request(CreateVenueDocument, { input: theatreInput() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("keeps a used layout version: a change makes the next version, and shows keep theirs", async () => {
    const venueId = await createTheatre(t);
    const smaller = theatreInput().layout;
    smaller.sections = smaller.sections.slice(0, 1);
    smaller.categories = smaller.categories.filter((c) => ["PREMIUM", "STANDARD", "ACCESSIBLE"].includes(c.key));
    // Unused: replaced in place.
    const replaced = await t.ok(ChangeVenueLayoutDocument, { input: { venueId, layout: smaller } }, admin());
    expect(replaced.changeVenueLayout.layout).toMatchObject({ version: 1, totalSeats: 30 });
    const showId = await showOn(venueId, { prices: PRICES(8900).filter((p) => p.category !== "RESTRICTED") });
    const next = await t.ok(ChangeVenueLayoutDocument, { input: { venueId, layout: theatreInput().layout } }, admin());
    expect(next.changeVenueLayout.layout).toMatchObject({ version: 2, totalSeats: THEATRE_SEATS });
    const { show } = await t.ok(ShowCatalogDocument, { id: showId });
    expect(show).toMatchObject({ layoutVersion: 1, totalSeats: 30 });
  });
});

describe("venue layout changes racing show creation", () => {
  it("never replace a version a show was created on, and never fail", async () => {
    const venueId = await createTheatre(t);
    const smaller = theatreInput().layout;
    smaller.sections = smaller.sections.slice(0, 2);
    const creations = Array.from({ length: 8 }, () =>
      t.request(
        CreateShowDocument,
        { input: { name: "Race", venueId, startsAtLocal: "2031-03-01T19:30", prices: PRICES(8900) } },
        admin(),
      ),
    );
    const changes = Array.from({ length: 4 }, (_, i) =>
      t.request(
        ChangeVenueLayoutDocument,
        { input: { venueId, layout: i % 2 ? smaller : theatreInput().layout } },
        admin(),
      ),
    );
    const results = await Promise.all([...creations, ...changes]);
    for (const result of results) expect(result.errors).toBeUndefined();
    // Every show has its version's seats (invariant 4, checked after each test) and names a version that exists.
    const shows = await t.prisma.show.findMany({ where: { venueId: databaseId(venueId) }, include: { layout: true } });
    const created = results.slice(0, 8).filter((r) => r.data && "createShow" in r.data && r.data.createShow.show);
    expect(shows.length).toBe(created.length);
    for (const show of shows) expect(show.layout!.totalSeats).toBe(show.totalSeats);
    const versions = (
      await t.prisma.venueLayout.findMany({ where: { venueId: databaseId(venueId) }, orderBy: { version: "asc" } })
    ).map((layout) => layout.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});

describe("venue layout changes and show creation, step by step", () => {
  it("do not deadlock: a show holding its version takes a key-share lock on the venue while a change waits", async () => {
    const venueId = await createTheatre(t);
    const { venue } = await t.ok(VenueDocument, { id: venueId });
    const creating = new pg.Client({ connectionString: t.database.url });
    await creating.connect();
    try {
      // A show being created, as materializeShow does it: its layout version locked in share mode first.
      await creating.query("BEGIN");
      const [layout] = (
        await creating.query<{ id: string }>(
          "SELECT id FROM venue_layouts WHERE venue_id = $1 AND version = $2 FOR SHARE",
          [databaseId(venueId), venue!.layout!.version],
        )
      ).rows;
      // A layout change now locks the venue and waits for that version.
      const change = t.request(
        ChangeVenueLayoutDocument,
        { input: { venueId, layout: theatreInput().layout } },
        admin(),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The show's row: its foreign key takes a key-share lock on the venue. Against a FOR UPDATE of the venue this
      // waits for the change, which waits for this transaction: PostgreSQL would abort one of the two.
      await creating.query(
        `INSERT INTO shows (name, starts_at, row_count, seats_per_row, total_seats, venue_id, layout_id)
         VALUES ('Step', now() + interval '1 day', 1, 1, 1, $1, $2)`,
        [databaseId(venueId), layout!.id],
      );
      await creating.query("ROLLBACK"); // (a show without seats would break invariant 4)
      const changed = await change;
      expect(changed.errors).toBeUndefined();
      expect(changed.data!.changeVenueLayout.userErrors).toEqual([]);
    } finally {
      await creating.end();
    }
  });
});

describe("shows on a venue", () => {
  let venueId: string;
  beforeAll(async () => {
    venueId = await createTheatre(t);
  });

  it("start at a local time in the venue's zone, with a price per category, at different prices and times", async () => {
    const winter = await showOn(venueId, { startsAtLocal: "2031-01-15T19:30", prices: PRICES(8900) });
    const summer = await showOn(venueId, { startsAtLocal: "2031-07-15T19:30", prices: PRICES(12000) });
    const [{ show: w }, { show: s }] = await Promise.all([
      t.ok(ShowCatalogDocument, { id: winter }),
      t.ok(ShowCatalogDocument, { id: summer }),
    ]);
    // Vienna is UTC+1 in January and UTC+2 in July.
    expect(w).toMatchObject({ startsAtLocal: "2031-01-15T19:30:00", timeZone: "Europe/Vienna", currency: "EUR" });
    expect(new Date(w!.startsAt).toISOString()).toBe("2031-01-15T18:30:00.000Z");
    expect(new Date(s!.startsAt).toISOString()).toBe("2031-07-15T17:30:00.000Z");
    expect(w!.noOrphanSeats).toBe(true);
    expect(w!.venue!.id).toBe(venueId);
    expect(w!.categories.map((c) => [c.key, c.price!.amount, c.totalSeats, c.availableSeats])).toEqual([
      ["PREMIUM", 8900, 24, 24],
      ["STANDARD", 4500, 24, 24],
      ["RESTRICTED", 2000, 2, 2],
      ["ACCESSIBLE", 3000, 2, 2],
    ]);
    expect(s!.categories[0]!.price).toEqual({ amount: 12000, currency: "EUR", formatted: "€120.00" });
    expect(w!.sections.map((x) => [x.key, x.totalSeats])).toEqual([
      ["STALLS", 30],
      ["CIRCLE", 18],
      ["BOX_A", 4],
    ]);
  });

  it("materialise every seat of the layout with its section, category, price, accessibility and position", async () => {
    const showId = await showOn(venueId);
    const [{ show }, { show: priced }] = await Promise.all([
      t.ok(SeatDetailsDocument, { id: showId }),
      t.ok(SeatPricesDocument, { id: showId }),
    ]);
    const seats = new Map(show!.seats.map((seat) => [seat.seatNumber, seat]));
    const prices = new Map(priced!.seats.map((seat) => [seat.seatNumber, seat.category]));
    expect(seats.size).toBe(THEATRE_SEATS);
    expect(seats.get("A1")).toMatchObject({
      section: "STALLS",
      accessibility: ["WHEELCHAIR"],
      position: { x: 1, y: 0 },
    });
    expect(prices.get("A1")).toEqual({
      key: "ACCESSIBLE",
      label: "Accessible",
      price: { amount: 3000, currency: "EUR" },
    });
    expect(seats.get("A2")!.accessibility).toEqual(["COMPANION"]);
    expect(seats.get("A6")!.position).toEqual({ x: 7, y: 0 }); // one seat width for the aisle
    expect(seats.has("C5")).toBe(false); // the gap
    expect(seats.get("C7")!.position.x).toBe(6);
    expect(seats.get("C-B10")!.section).toBe("CIRCLE");
    expect(prices.get("C-B10")!.key).toBe("RESTRICTED");
    expect(seats.get("BOXA-A1")!.position).toEqual({ x: 14, y: 0 });
    // The static layout and the compact availability follow the same order.
    const { show: laid } = await t.ok(VenueLayoutOfShowDocument, { id: showId });
    const order = laid!.layout.rows.flatMap((row) => row.seats.map((seat) => seat.seatNumber));
    expect(order).toEqual(show!.seats.map((seat) => seat.seatNumber));
    expect(laid!.availability.statuses).toHaveLength(THEATRE_SEATS);
    const rowA = laid!.layout.rows[0]!.seats;
    expect(rowA.map((seat) => seat.adjacentToNext)).toEqual([
      true,
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("refuse prices that are missing, unknown, in mixed currencies or not money", async () => {
    const attempt = async (prices: unknown[]) =>
      (
        await t.ok(
          CreateShowDocument,
          { input: { name: "X", venueId, startsAtLocal: "2031-03-01T19:30", prices: prices as never } },
          admin(),
        )
      ).createShow.userErrors.map((e) => [e.field!.join("."), e.message]);
    expect((await attempt(PRICES(8900).slice(1))).map(([f]) => f)).toEqual(["input.prices"]);
    const mixed = PRICES(8900).map((p, i) => ({ ...p, currency: i === 0 ? "USD" : "EUR" }));
    expect((await attempt(mixed))[0]![1]).toMatch(/one currency.*EUR, USD/);
    const unknown = [...PRICES(8900), { category: "GOLD", amount: 1, currency: "EUR" }];
    expect((await attempt(unknown)).map(([f]) => f)).toEqual(["input.prices.4.category"]);
    const negative = PRICES(-1);
    expect((await attempt(negative)).map(([f]) => f)).toEqual(["input.prices.0.amount"]);
    // A float is not an Int: GraphQL refuses the request itself.
    const float = await t.request(
      CreateShowDocument,
      { input: { name: "X", venueId, startsAtLocal: "2031-03-01T19:30", prices: PRICES(89.5) } },
      admin(),
    );
    expect(float.errors).toBeDefined();
  });

  it("refuse a local start the clocks skip, and a start given twice or not at all", async () => {
    const create = async (input: Record<string, unknown>) =>
      (await t.ok(CreateShowDocument, { input: { name: "X", venueId, prices: PRICES(1), ...input } }, admin()))
        .createShow.userErrors;
    expect((await create({ startsAtLocal: "2031-03-30T02:30" }))[0]!.message).toMatch(
      /does not exist in Europe\/Vienna/,
    );
    expect((await create({}))[0]!.field).toEqual(["input", "startsAt"]);
    expect((await create({ startsAtLocal: "2031-03-01T19:30", startsAt: "2031-03-01T19:30:00Z" }))[0]!.field).toEqual([
      "input",
      "startsAtLocal",
    ]);
  });
});

describe("holding seats of a venue", () => {
  let showId: string;
  beforeEach(async () => {
    showId = await showOn(await createTheatre(t));
  });
  const holdAs = (user: string, input: Record<string, unknown>) =>
    t.ok(HoldPricedDocument, { input: { showId, ...input } }, { as: user });

  it("gives a booking its line items and an exact total, kept when confirmed", async () => {
    const user = uniqueUser();
    const held = (await holdAs(user, { seatNumbers: ["B5", "B6", "C-B9", "C-B10"] })).holdSeats;
    expect(held.userErrors).toEqual([]);
    expect(held.booking!.total).toEqual({ amount: 8900 * 2 + 4500 + 2000, currency: "EUR", formatted: "€243.00" });
    expect(held.booking!.lineItems.map((l) => [l.seatNumber, l.category, l.price!.amount])).toEqual([
      ["B5", "PREMIUM", 8900],
      ["B6", "PREMIUM", 8900],
      ["C-B9", "STANDARD", 4500],
      ["C-B10", "RESTRICTED", 2000],
    ]);
    const confirmed = await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: user });
    expect(confirmed.confirmBooking.booking!.status).toBe("CONFIRMED");
  });

  it("answers the example of docs/api.md: two premium seats at the front, nearest the centre, and what they cost", async () => {
    const held = (await holdAs(uniqueUser(), { quantity: 2, categories: ["PREMIUM"] })).holdSeats;
    // Row A's left run ends at the aisle, nearest the stalls' centre.
    expect(held.booking!.seatNumbers).toEqual(["A4", "A5"]);
    expect(held.adjacent).toBe(true);
    expect(held.booking!.total!.formatted).toBe("€178.00");
  });

  it("holds by category and section, never across an aisle, a gap or a section", async () => {
    const standard = (await holdAs(uniqueUser(), { quantity: 3, categories: ["standard"] })).holdSeats;
    expect(standard.booking!.seatNumbers.every((n) => ["C", "C-"].some((p) => n.startsWith(p)))).toBe(true);
    expect(standard.adjacent).toBe(true);
    // Row C's runs are 1–4 and 7–10: three together come from one of them.
    expect(["C2,C3,C4", "C1,C2,C3", "C7,C8,C9", "C8,C9,C10"]).toContain(standard.booking!.seatNumbers.join(","));
    const circle = (await holdAs(uniqueUser(), { quantity: 2, section: "CIRCLE" })).holdSeats;
    expect(circle.booking!.seatNumbers.every((n) => n.startsWith("C-"))).toBe(true);
    expect(circle.adjacent).toBe(true); // prefixed seat numbers: adjacency comes from the layout, not the labels
    // Explicit seats: side by side only within a run.
    expect((await holdAs(uniqueUser(), { seatNumbers: ["C-B3", "C-B4", "C-B5"] })).holdSeats.adjacent).toBe(true);
    const acrossTheAisle = (await holdAs(uniqueUser(), { seatNumbers: ["B1", "B2", "B3", "B4"] })).holdSeats;
    expect(acrossTheAisle.adjacent).toBe(true);
    expect((await holdAs(uniqueUser(), { seatNumbers: ["A9", "A10", "A6"] })).holdSeats.adjacent).toBe(false);
    // Six together: row A's runs are 5 long (3 without the accessible seats), so row B.
    const six = (await holdAs(uniqueUser(), { quantity: 6, section: "STALLS" })).holdSeats;
    expect(six.booking!.seatNumbers.every((n) => n.startsWith("B"))).toBe(true);
    expect(six.booking!.total!.amount).toBe(6 * 8900);
  });

  it("refuses a category or section the show does not have", async () => {
    const gold = (await holdAs(uniqueUser(), { quantity: 2, categories: ["PREMIUM", "GOLD"] })).holdSeats;
    expect(gold.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_INPUT", field: ["input", "categories"] }),
    ]);
    expect(gold.userErrors[0]!.message).toMatch(/no category GOLD/);
    const gallery = (await holdAs(uniqueUser(), { quantity: 2, section: "GALLERY" })).holdSeats;
    expect(gallery.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_INPUT", field: ["input", "section"] }),
    ]);
  });

  it("keeps wheelchair spaces and companion seats for those who ask for them", async () => {
    const plain = await Promise.all(
      Array.from({ length: 12 }, () => holdAs(uniqueUser(), { quantity: 1, section: "STALLS" })),
    );
    const taken = plain.flatMap((r) => r.holdSeats.booking?.seatNumbers ?? []);
    expect(taken).not.toContain("A1");
    expect(taken).not.toContain("A2");
    const party = (await holdAs(uniqueUser(), { quantity: 2, accessible: true })).holdSeats;
    expect(party.booking!.seatNumbers).toEqual(["A1", "A2"]);
    expect(party.booking!.lineItems.map((l) => l.category)).toEqual(["ACCESSIBLE", "ACCESSIBLE"]);
  });

  it("refuses a companion seat held alone", async () => {
    const alone = (await holdAs(uniqueUser(), { seatNumbers: ["A2"] })).holdSeats;
    expect(alone.userErrors).toEqual([
      expect.objectContaining({ code: "COMPANION_REQUIRES_ACCESSIBLE", seatNumbers: ["A2"] }),
    ]);
    expect((await holdAs(uniqueUser(), { seatNumbers: ["A1", "A2"] })).holdSeats.booking!.status).toBe("PENDING");
  });

  it("refuses an explicit hold that strands a single seat, naming it, unless the show allows it", async () => {
    const stranding = (await holdAs(uniqueUser(), { seatNumbers: ["B2", "B3"] })).holdSeats;
    expect(stranding.booking).toBeNull();
    expect(stranding.userErrors).toEqual([expect.objectContaining({ code: "ORPHAN_SEAT", seatNumbers: ["B1"] })]);
    expect((await holdAs(uniqueUser(), { seatNumbers: ["B1", "B2", "B3"] })).holdSeats.userErrors).toEqual([]);
    const lenient = await showOn(await createTheatre(t), { noOrphanSeats: false });
    const allowed = await t.ok(
      HoldPricedDocument,
      { input: { showId: lenient, seatNumbers: ["B2", "B3"] } },
      { as: uniqueUser() },
    );
    expect(allowed.holdSeats.userErrors).toEqual([]);
  });

  it("sells no seat twice, all or nothing, when many buyers want the same seats of a ragged hall at once", async () => {
    // Overlapping explicit holds across aisles, gaps and sections, and best-available pairs, all at once.
    const pool = ["A4", "A5", "A6", "A7", "B5", "B6", "B7", "C3", "C4", "C7", "C-A1", "C-A2", "BOXA-A2", "BOXA-A3"];
    const random = seededRandom(12);
    const requests = Array.from({ length: 80 }, (_, i) => {
      if (i % 2) return { quantity: 2, categories: ["PREMIUM"] };
      const seats = new Set<string>();
      while (seats.size < 2 + Math.floor(random() * 3)) seats.add(pool[Math.floor(random() * pool.length)]!);
      return { seatNumbers: [...seats] };
    });
    const responses = await Promise.all(
      requests.map((input) => t.request(HoldPricedDocument, { input: { showId, ...input } }, { as: uniqueUser() })),
    );
    const won: string[] = [];
    responses.forEach((response, i) => {
      expect(response.errors).toBeUndefined();
      const { booking, userErrors } = response.data!.holdSeats;
      if (booking?.status !== "PENDING") {
        expect(userErrors.length).toBeGreaterThan(0);
        return;
      }
      const asked = requests[i]!.seatNumbers;
      if (asked) expect([...booking.seatNumbers].sort()).toEqual([...asked].sort()); // all of them
      won.push(...booking.seatNumbers);
    });
    expect(new Set(won).size).toBe(won.length);
    // Exactly the winners' seats are held: the losers hold nothing (the invariants check the rest after each test).
    const held = await t.prisma.seat.findMany({
      where: { showId: databaseId(showId), status: "held" },
      select: { seatNumber: true },
    });
    expect(held.map((seat) => seat.seatNumber).sort()).toEqual([...won].sort());
    expect(won.length).toBeGreaterThanOrEqual(20);
  });
});
