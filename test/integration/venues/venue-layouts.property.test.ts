import fc from "fast-check";
import {
  CreateShowDocument,
  CreateVenueDocument,
  HoldPricedDocument,
  SeatDetailsDocument,
  VenueLayoutOfShowDocument,
} from "../../__generated__/graphql";
import { expandLayout, type LayoutDefinition } from "../../../src/venues/layout";
import { uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { validLayout } from "../../support/random-layouts";
import { startTestApp, type TestApp } from "../../support/test-app";

// Random venue layouts through the API: the seats a show materialises are exactly the layout's (numbers, sections,
// categories, accessibility, positions, order, runs), and best available on them, under concurrent buyers, never
// sells a seat twice, never calls seats adjacent across an aisle, a gap or a section, and never hands out
// wheelchair spaces or companion seats to a buyer who did not ask for them.
const LAYOUTS = fc.sample(validLayout, { numRuns: 10, seed: 20261122 });

let t: TestApp;
const admin = () => ({ as: uniqueUser("admin"), role: "admin" as const });
beforeAll(async () => {
  t = await startTestApp({ MAX_HELD_SEATS_PER_ADDRESS: "0", RATE_LIMIT_IP_ROWS: "0", HOLD_TTL_SECONDS: "300" });
});
afterAll(() => t.stop());
afterEach(async () => {
  expect((await checkInvariants(t.database.url)).violations).toEqual([]);
});

async function showOn(layout: LayoutDefinition): Promise<string> {
  const venue = await t.ok(
    CreateVenueDocument,
    { input: { name: uniqueUser("venue"), timeZone: "UTC", layout } as never },
    admin(),
  );
  expect(venue.createVenue.userErrors).toEqual([]);
  const prices = layout.categories.map((category, i) => ({
    category: category.key,
    amount: 1000 + i,
    currency: "EUR",
  }));
  const show = await t.ok(
    CreateShowDocument,
    { input: { name: "Random", venueId: venue.createVenue.venue!.id, startsAt: "2033-01-01T19:00:00Z", prices } },
    admin(),
  );
  expect(show.createShow.userErrors).toEqual([]);
  return show.createShow.show!.id;
}

describe.each(LAYOUTS.map((layout, i) => [i, layout] as const))("random layout %i", (_, layout) => {
  const expanded = expandLayout(layout);
  let showId: string;
  beforeAll(async () => {
    showId = await showOn(layout);
  });

  it("is materialised seat for seat, in layout order", async () => {
    const [{ show: laid }, { show: detailed }] = await Promise.all([
      t.ok(VenueLayoutOfShowDocument, { id: showId }),
      t.ok(SeatDetailsDocument, { id: showId }),
    ]);
    const seats = laid!.layout.rows.flatMap((row) => row.seats.map((seat) => ({ ...seat, section: row.section })));
    expect(seats.map((seat) => seat.seatNumber)).toEqual(expanded.seats.map((seat) => seat.seatNumber));
    expect(detailed!.seats.map((seat) => seat.seatNumber)).toEqual(expanded.seats.map((seat) => seat.seatNumber));
    expanded.seats.forEach((want, i) => {
      const seat = seats[i]!;
      const flags =
        (want.accessibility.includes("WHEELCHAIR") ? 1 : 0) | (want.accessibility.includes("COMPANION") ? 2 : 0);
      expect([seat.section, seat.number, seat.category, seat.accessibility]).toEqual([
        want.sectionKey,
        want.seatInRow,
        want.categoryKey,
        flags,
      ]);
      // (Doubles through PostgreSQL's text format may come back one unit in the last place apart.)
      expect(Math.abs(seat.x - want.x)).toBeLessThanOrEqual(Math.abs(want.x) * 1e-12);
      expect(Math.abs(seat.y - want.y)).toBeLessThanOrEqual(Math.abs(want.y) * 1e-12);
      expect(seat.adjacentToNext).toBe(expanded.seats[i + 1]?.runIndex === want.runIndex);
      expect(detailed!.seats[i]!.section).toBe(want.sectionKey);
    });
  });

  it("sells best-available seats once, adjacent only within a run, accessible seats only when asked", async () => {
    const runOf = new Map(expanded.seats.map((seat) => [seat.seatNumber, seat.runIndex]));
    const ordinal = new Map(expanded.seats.map((seat) => [seat.seatNumber, seat.ordinal]));
    const accessible = new Set(expanded.seats.filter((seat) => seat.accessibility.length > 0).map((s) => s.seatNumber));
    const quantities = fc.sample(fc.integer({ min: 1, max: 4 }), { numRuns: 40, seed: expanded.seats.length });
    const responses = await Promise.all(
      quantities.map((quantity) => t.ok(HoldPricedDocument, { input: { showId, quantity } }, { as: uniqueUser() })),
    );
    const sold: string[] = [];
    for (const { holdSeats } of responses) {
      if (holdSeats.booking?.status !== "PENDING") continue;
      const seats = holdSeats.booking.seatNumbers;
      sold.push(...seats);
      expect(seats.filter((seat) => accessible.has(seat))).toEqual([]);
      if (holdSeats.adjacent) {
        expect(new Set(seats.map((seat) => runOf.get(seat))).size).toBe(1);
        const places = seats.map((seat) => ordinal.get(seat)!).sort((a, b) => a - b);
        expect(places[places.length - 1]! - places[0]!).toBe(seats.length - 1);
      }
    }
    expect(new Set(sold).size).toBe(sold.length);
  });
});
