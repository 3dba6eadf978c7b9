import { randomUUID } from "node:crypto";
import { type CreateVenueInput, CreateVenueDocument } from "../__generated__/graphql";
import { type TestApp } from "./test-app";

/**
 * A small real theatre: ragged rows, an aisle, a gap, three sections (the circle and the box with seat prefixes, as
 * their row labels repeat the stalls'), four price categories, and a wheelchair space with its companion seat.
 *
 * Stalls  A: 1 (wheelchair, ACCESSIBLE) 2 (companion, ACCESSIBLE) 3–5 | aisle | 6–10   PREMIUM, offset 1
 *         B: 1–12                                                                         PREMIUM
 *         C: 1–4, gap, 7–10                                                               STANDARD
 * Circle  C-A: 1–8 (offset 2), C-B: 1–10 with 1 and 10 RESTRICTED                         STANDARD
 * Box A   BOXA-A: 1–4                                                                     PREMIUM
 */
export const THEATRE_SEATS = 10 + 12 + 8 + 8 + 10 + 4;

export function theatreInput(name = `Theatre ${randomUUID().slice(0, 8)}`): CreateVenueInput {
  return {
    name,
    timeZone: "Europe/Vienna",
    layout: {
      categories: [
        { key: "PREMIUM", label: "Premium", color: "#B8860B" },
        { key: "STANDARD", label: "Standard", color: "#4F7CAC" },
        { key: "RESTRICTED", label: "Restricted view", color: "#888888" },
        { key: "ACCESSIBLE", label: "Accessible", color: "#2E8B57" },
      ],
      sections: [
        {
          key: "STALLS",
          label: "Stalls",
          category: "PREMIUM",
          rows: [
            {
              label: "A",
              count: 10,
              offset: 1,
              aisleAfter: [5],
              overrides: [
                { number: 1, category: "ACCESSIBLE", accessibility: ["WHEELCHAIR"] },
                { number: 2, category: "ACCESSIBLE", accessibility: ["COMPANION"] },
              ],
            },
            { label: "B", count: 12 },
            {
              label: "C",
              category: "STANDARD",
              seats: [1, 2, 3, 4, 7, 8, 9, 10].map((number) => ({ number })),
            },
          ],
        },
        {
          key: "CIRCLE",
          label: "Circle",
          seatPrefix: "C-",
          category: "STANDARD",
          y: 5,
          rows: [
            { label: "A", count: 8, offset: 2 },
            {
              label: "B",
              count: 10,
              overrides: [
                { number: 1, category: "RESTRICTED" },
                { number: 10, category: "RESTRICTED" },
              ],
            },
          ],
        },
        {
          key: "BOX_A",
          label: "Box A",
          seatPrefix: "BOXA-",
          category: "PREMIUM",
          x: 14,
          rows: [{ label: "A", count: 4 }],
        },
      ],
    },
  };
}

/** Creates the theatre as an admin; its id. */
export async function createTheatre(t: TestApp, name?: string): Promise<string> {
  // A new admin each time: rate limits count mutations per user.
  const admin = { as: `admin-${randomUUID().slice(0, 8)}`, role: "admin" as const };
  const data = await t.ok(CreateVenueDocument, { input: theatreInput(name) }, admin);
  expect(data.createVenue.userErrors).toEqual([]);
  return data.createVenue.venue!.id;
}
