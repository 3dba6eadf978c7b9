import { CreateShowDocument, FilteredShowsDocument } from "../../__generated__/graphql";
import { uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { createTheatre } from "../../support/venues";
import { toGlobalId } from "../../support/from-src";

// A buyer's page lists shows by date range, venue and text, with the usual Relay pagination over what matches.
let t: TestApp;
let venueId: string;
let otherVenueId: string;
const tag = uniqueUser("festival"); // a word only this file's shows carry, so other tests' shows do not count
const admin = () => ({ as: uniqueUser("admin"), role: "admin" as const });
const PRICES = ["PREMIUM", "STANDARD", "RESTRICTED", "ACCESSIBLE"].map((category) => ({
  category,
  amount: 1000,
  currency: "EUR",
}));

async function show(name: string, venue: string, startsAtLocal: string) {
  const data = await t.ok(
    CreateShowDocument,
    { input: { name: `${name} ${tag}`, venueId: venue, startsAtLocal, prices: PRICES } },
    admin(),
  );
  expect(data.createShow.userErrors).toEqual([]);
}

beforeAll(async () => {
  t = await startTestApp();
  venueId = await createTheatre(t, `Volkstheater ${tag}`);
  otherVenueId = await createTheatre(t, `Akademietheater ${tag}`);
  await show("Hamlet", venueId, "2032-01-10T19:30");
  await show("Macbeth", venueId, "2032-02-10T19:30");
  await show("Hamlet", otherVenueId, "2032-03-10T19:30");
  await show("Othello", otherVenueId, "2032-04-10T19:30");
});
afterAll(() => t.stop());

const names = async (variables: Record<string, unknown>) => {
  const { shows } = await t.ok(FilteredShowsDocument, { first: 50, search: tag, ...variables });
  expect(shows.totalCount).toBe(shows.edges.length);
  return shows.edges.map((edge) => `${edge.node.name.split(" ")[0]} ${edge.node.startsAtLocal.slice(0, 7)}`);
};

describe("shows filters", () => {
  it("by text in the show's or the venue's name, every word", async () => {
    expect(await names({})).toEqual(["Hamlet 2032-01", "Macbeth 2032-02", "Hamlet 2032-03", "Othello 2032-04"]);
    expect(await names({ search: `hamlet ${tag}` })).toEqual(["Hamlet 2032-01", "Hamlet 2032-03"]);
    expect(await names({ search: `${tag} akademie` })).toEqual(["Hamlet 2032-03", "Othello 2032-04"]);
    expect(await names({ search: `${tag} 100%_` })).toEqual([]); // wildcards are text
  });

  it("by date range (from inclusive, to exclusive) and venue", async () => {
    const from = "2032-02-10T18:30:00Z"; // Macbeth's start, 19:30 in Vienna in winter
    expect(await names({ from, to: "2032-04-01T00:00:00Z" })).toEqual(["Macbeth 2032-02", "Hamlet 2032-03"]);
    expect(await names({ venueId })).toEqual(["Hamlet 2032-01", "Macbeth 2032-02"]);
    expect(await names({ venueId: toGlobalId("Venue", "00000000-0000-4000-8000-000000000000") })).toEqual([]);
    const malformed = await t.request(FilteredShowsDocument, { venueId: "not-a-venue" });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["venueId"] });
    const backwards = await t.request(FilteredShowsDocument, { from: "2032-04-01T00:00:00Z", to: from });
    expect(backwards.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("pages through what matches, keeping the filter", async () => {
    const first = await t.ok(FilteredShowsDocument, { first: 1, search: tag, venueId: otherVenueId });
    expect(first.shows.totalCount).toBe(2);
    expect(first.shows.pageInfo.hasNextPage).toBe(true);
    const second = await t.ok(FilteredShowsDocument, {
      first: 1,
      after: first.shows.pageInfo.endCursor,
      search: tag,
      venueId: otherVenueId,
    });
    expect(second.shows.edges.map((edge) => edge.node.name.split(" ")[0])).toEqual(["Othello"]);
    expect(second.shows.pageInfo.hasNextPage).toBe(false);
  });
});
