import { rowLabel } from "../../src/domain/seat-layout";
import { type GraphQLClient } from "../lib/graphql";
import { token } from "../lib/environment";

// The page benchmark's hall: `rows` × `seatsPerRow` seats in one priced venue (three categories by row, an aisle
// every 25 seats, a wheelchair space and its companion seat at the ends of the front row), so the page draws and
// labels what a real on-sale shows: sections, categories, prices.

const CATEGORIES = [
  { key: "PREMIUM", label: "Premium", color: "#B8860B" },
  { key: "STANDARD", label: "Standard", color: "#4F7CAC" },
  { key: "ECONOMY", label: "Economy", color: "#6B8E23" },
  { key: "ACCESSIBLE", label: "Accessible", color: "#2E8B57" },
];
const PRICES = [8900, 5450, 2500, 3000].map((amount, i) => ({ category: CATEGORIES[i]!.key, amount, currency: "EUR" }));

function venueInput(name: string, rows: number, seatsPerRow: number) {
  const aisles = Array.from({ length: Math.floor((seatsPerRow - 1) / 25) }, (_, i) => (i + 1) * 25);
  return {
    name,
    timeZone: "Europe/Vienna",
    layout: {
      categories: CATEGORIES,
      sections: [
        {
          key: "STALLS",
          label: "Stalls",
          category: "STANDARD",
          rows: Array.from({ length: rows }, (_, r) => ({
            label: rowLabel(r),
            count: seatsPerRow,
            aisleAfter: aisles,
            category: r < rows / 10 ? "PREMIUM" : r >= (rows * 4) / 5 ? "ECONOMY" : null,
            overrides:
              r === 0
                ? [
                    { number: 1, category: "ACCESSIBLE", accessibility: ["WHEELCHAIR"] },
                    { number: 2, category: "ACCESSIBLE", accessibility: ["COMPANION"] },
                  ]
                : [],
          })),
        },
      ],
    },
  };
}

const CREATE_VENUE = `mutation ($input: CreateVenueInput!) { createVenue(input: $input) { venue { id } userErrors { code message } } }`;
const CREATE_SHOW = `mutation ($input: CreateShowInput!) { createShow(input: $input) { show { id } userErrors { code message } } }`;

/** Creates the venue and a show on it; the show's id. */
export async function createPricedHall(client: GraphQLClient, rows: number, seatsPerRow: number): Promise<string> {
  const admin = token(`page-bench-admin-${Date.now()}`, "admin");
  const name = `Grand Hall ${rows * seatsPerRow} ${Date.now().toString(36)}`;
  const venue = await client.request<{ createVenue: { venue: { id: string } | null; userErrors: unknown[] } }>(
    CREATE_VENUE,
    { input: venueInput(name, rows, seatsPerRow) },
    admin,
  );
  const venueId = venue.data?.createVenue.venue?.id;
  if (!venueId) throw new Error(`createVenue failed: ${JSON.stringify(venue)}`);
  const startsAtLocal = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 11) + "19:30";
  const show = await client.request<{ createShow: { show: { id: string } | null; userErrors: unknown[] } }>(
    CREATE_SHOW,
    { input: { name: "Symphony No. 9", venueId, startsAtLocal, prices: PRICES } },
    admin,
  );
  const showId = show.data?.createShow.show?.id;
  if (!showId) throw new Error(`createShow failed: ${JSON.stringify(show)}`);
  return showId;
}
