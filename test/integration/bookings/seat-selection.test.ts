import { HoldSeatsDocument } from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { gql } from "../../support/graphql";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_USER_POINTS: "0" });
});
afterAll(() => t.stop());

const oneOf = gql<{ __type: { isOneOf: boolean; inputFields: { name: string }[] } }>(
  `{ __type(name: "SeatSelection") { isOneOf inputFields { name } } }`,
);
const holdWith = (selection: string) =>
  gql<unknown, { showId: string }>(
    `mutation ($showId: ID!) { holdSeats(input: { showId: $showId, seats: ${selection} }) { userErrors { code } } }`,
  );

describe("holdSeats input: seats (@oneOf)", () => {
  it("is a @oneOf input, as introspection tells codegen", async () => {
    const { __type } = await t.ok(oneOf);
    expect(__type).toEqual({ isOneOf: true, inputFields: [{ name: "seatNumbers" }, { name: "quantity" }] });
  });

  it("holds exact seats or a quantity", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    const exact = await hold(t, uniqueUser(), { showId: show.id, seats: { seatNumbers: ["A1", "A2"] } });
    expect(exact.booking).toMatchObject({ status: "PENDING", seatNumbers: ["A1", "A2"] });
    const best = await hold(t, uniqueUser(), { showId: show.id, seats: { quantity: 3 } });
    expect(best.booking?.seatNumbers).toHaveLength(3);
  });

  it("refuses both, neither or null as a request error, in literals and in variables alike", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    for (const selection of [`{ seatNumbers: ["A1"], quantity: 1 }`, `{}`, `{ quantity: null }`]) {
      const { errors } = await t.request(holdWith(selection), { showId: show.id }, { as: uniqueUser() });
      expect(errors?.[0]?.message).toMatch(
        /OneOf Input Object "SeatSelection" must specify exactly one key|must be non-null/,
      );
    }
    // Codegen types the selection as one of its fields, so a client in TypeScript cannot even write this.
    const seats = { seatNumbers: ["A1"], quantity: 1 } as unknown as { quantity: number };
    const both = await t.request(HoldSeatsDocument, { input: { showId: show.id, seats } }, { as: uniqueUser() });
    expect(both.errors?.[0]?.message).toMatch(/Exactly one key must be specified for OneOf type "SeatSelection"/);
  });

  it("refuses seats with the deprecated seatNumbers or quantity as INVALID_INPUT, and still takes those alone", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    const mixed = await hold(t, uniqueUser(), { showId: show.id, seats: { quantity: 1 }, seatNumbers: ["A1"] });
    expect(mixed).toEqual({
      booking: null,
      userErrors: [expect.objectContaining({ code: "INVALID_INPUT", field: ["input", "seats"] })],
    });
    const deprecated = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A4"] });
    expect(deprecated.booking).toMatchObject({ status: "PENDING", seatNumbers: ["A4"] });
  });

  it("points a userError at the field as the client sent it: under seats, or the deprecated flat one", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    await hold(t, uniqueUser(), { showId: show.id, seats: { seatNumbers: ["A1"] } });
    const taken = await hold(t, uniqueUser(), { showId: show.id, seats: { seatNumbers: ["A1", "A2"] } });
    expect(taken.userErrors).toEqual([
      expect.objectContaining({ code: "SEATS_UNAVAILABLE", field: ["input", "seats", "seatNumbers"] }),
    ]);
    const tooMany = await hold(t, uniqueUser(), { showId: show.id, seats: { quantity: 0 } });
    expect(tooMany.userErrors).toEqual([expect.objectContaining({ field: ["input", "seats", "quantity"] })]);
    const flat = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
    expect(flat.userErrors).toEqual([
      expect.objectContaining({ code: "SEATS_UNAVAILABLE", field: ["input", "seatNumbers"] }),
    ]);
  });
});
