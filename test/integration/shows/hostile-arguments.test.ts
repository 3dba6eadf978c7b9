import {
  CreateShowDocument,
  MyBookingsDocument,
  SeatsChangedSinceDocument,
  ShowsDocument,
} from "../../__generated__/graphql";
import { createShow } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

// Arguments no client of this API would send, that once reached PostgreSQL and came back as a masked 500: each must
// be refused as the caller's mistake (BAD_USER_INPUT or a userError), naming what is wrong.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const cursorOf = (at: string, id = "00000000-0000-4000-8000-000000000000") =>
  Buffer.from(JSON.stringify([at, id])).toString("base64url");

const badInput = (response: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  return response.errors![0]!.message;
};

describe("seatsChangedSince(version)", () => {
  it.each([
    ["a version beyond bigint", "9999999999999999999"],
    ["a version of twenty digits", "99999999999999999999"],
    ["a negative version", "-1"],
    ["a snapshot whose xmin is above its xmax", "1@5:1:"],
    ["a snapshot with an in-progress id outside xmin…xmax", "1@5:10:20"],
    ["a snapshot with in-progress ids out of order", "1@5:10:7,6"],
    ["a snapshot beyond xid8", "1@1:99999999999999999999999:"],
    ["a snapshot with xmin 0", "1@0:1:"],
    ["a snapshot that is not one", "1@abc"],
  ])("refuses %s", async (_, version) => {
    const show = await createShow(t);
    const response = await t.request(SeatsChangedSinceDocument, { id: show.id, version });
    expect(response.status).toBe(200);
    expect(badInput(response)).toMatch(/version/);
  });

  it("still answers a version it issued, and plain version numbers", async () => {
    const show = await createShow(t);
    for (const version of ["0", "9223372036854775807", "12@5:10:6,7", "0@1:1:"]) {
      const response = await t.request(SeatsChangedSinceDocument, { id: show.id, version });
      expect(response.errors).toBeUndefined();
    }
  });
});

describe("cursors", () => {
  it.each([
    ["dated −271821", "-271821-04-20T00:00:00.000Z"],
    ["dated +275760", "+275760-09-13T00:00:00.000Z"],
    ["dated before year 1", "0000-01-01T00:00:00.000Z"],
  ])("refuses a cursor %s in shows and myBookings", async (_, at) => {
    expect(badInput(await t.request(ShowsDocument, { after: cursorOf(at) }))).toMatch(/after/);
    expect(badInput(await t.request(MyBookingsDocument, { after: cursorOf(at) }, { as: "someone" }))).toMatch(/after/);
  });
});

describe("strings that reach PostgreSQL", () => {
  it.each([
    ["a NUL character", "a\u0000b"],
    ["a control character", "line\u0007bell"],
    ["a line break", "two\nlines"],
  ])("refuses a show name with %s as a userError", async (_, name) => {
    const input = { name, startsAt: new Date(Date.now() + 86_400_000).toISOString(), rows: 1, seatsPerRow: 1 };
    const response = await t.request(CreateShowDocument, { input }, { as: "admin", role: "admin" });
    expect(response.errors).toBeUndefined();
    expect(response.data!.createShow).toEqual({
      show: null,
      userErrors: [expect.objectContaining({ code: "INVALID_INPUT", field: ["input", "name"] })],
    });
  });
});
