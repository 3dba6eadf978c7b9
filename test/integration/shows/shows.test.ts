import {
  ConfirmBookingDocument,
  CreateShowDocument,
  SeatMapDocument,
  ShowDocument,
  ShowsDocument,
} from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";
import { toGlobalId } from "../../support/from-src";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe("shows", () => {
  it("creates a show with every seat materialized, row-major from the front", async () => {
    const show = await createShow(t, { rows: 28, seatsPerRow: 3 });
    expect(show).toMatchObject({
      rows: 28,
      seatsPerRow: 3,
      totalSeats: 84,
      availableSeats: 84,
      heldSeats: 0,
      bookedSeats: 0,
    });
    const { show: map } = await t.ok(SeatMapDocument, { id: show.id });
    const numbers = map!.seats.map((s) => s.seatNumber);
    expect(numbers.slice(0, 4)).toEqual(["A1", "A2", "A3", "B1"]);
    expect(numbers.slice(-6)).toEqual(["AA1", "AA2", "AA3", "AB1", "AB2", "AB3"]);
    expect(new Set(numbers).size).toBe(84);
    expect(map!.seats[5]).toMatchObject({
      seatNumber: "B3",
      row: "B",
      number: 3,
      status: "AVAILABLE",
      holdExpiresAt: null,
    });
  });

  it("creates a 100 × 100 hall in one request", async () => {
    const show = await createShow(t, { rows: 100, seatsPerRow: 100 });
    expect(show.totalSeats).toBe(10_000);
    expect(await t.prisma.seat.count({ where: { showId: databaseId(show.id) } })).toBe(10_000);
    expect(
      await t.prisma.seat.findFirst({
        where: { showId: databaseId(show.id) },
        orderBy: [{ rowIndex: "desc" }, { seatInRow: "desc" }],
      }),
    ).toMatchObject({
      seatNumber: "CV100",
      rowLabel: "CV",
    });
  });

  it("answers bad show input with userErrors pointing at the field", async () => {
    const cases = [
      { input: { name: "", rows: 1, seatsPerRow: 1 }, field: "name" },
      { input: { name: "   ", rows: 1, seatsPerRow: 1 }, field: "name" },
      { input: { name: "x".repeat(1_000_000), rows: 1, seatsPerRow: 1 }, field: "name" },
      { input: { name: "ok", rows: 0, seatsPerRow: 1 }, field: "rows" },
      { input: { name: "ok", rows: -5, seatsPerRow: 1 }, field: "rows" },
      { input: { name: "ok", rows: 1, seatsPerRow: 2_000_000_000 }, field: "seatsPerRow" },
      { input: { name: "ok", rows: 700, seatsPerRow: 1000 }, field: "seatsPerRow" },
      { input: { name: "ok", rows: 1, seatsPerRow: 1, startsAt: "2020-01-01T20:00:00Z" }, field: "startsAt" },
    ];
    for (const { input, field } of cases) {
      const data = await t.ok(
        CreateShowDocument,
        { input: { startsAt: "2030-01-01T20:00:00Z", ...input } },
        { as: "admin", role: "admin" },
      );
      expect(data.createShow.show).toBeNull();
      expect(data.createShow.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", field] });
    }
  });

  it("rejects values GraphQL itself cannot accept, without crashing", async () => {
    const notADate = await t.request(
      CreateShowDocument,
      { input: { name: "x", startsAt: "tomorrow", rows: 1, seatsPerRow: 1 } },
      { as: "admin", role: "admin" },
    );
    expect(notADate.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tooBig = await t.request(
      CreateShowDocument,
      { input: { name: "x", startsAt: "2030-01-01T00:00:00Z", rows: 1e12, seatsPerRow: 1 } },
      { as: "admin", role: "admin" },
    );
    expect(tooBig.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await t.ok(ShowsDocument, { first: 1 })).shows).toBeDefined();
  });

  it("returns null for unknown show ids, and refuses malformed ones with BAD_USER_INPUT", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const id of [unknown, toGlobalId("Show", unknown)]) {
      expect((await t.ok(ShowDocument, { id })).show).toBeNull();
    }
    for (const id of ["not-a-uuid", "x".repeat(10_000), "1 OR 1=1", toGlobalId("Venue", unknown)]) {
      const { errors } = await t.request(ShowDocument, { id });
      expect(errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["id"] });
    }
  });

  it("pages through shows soonest first with cursors", async () => {
    const base = Date.now() + 365 * 86_400_000;
    const created: { id: string }[] = [];
    for (let i = 0; i < 5; i++)
      created.push(await createShow(t, { startsAt: new Date(base + (5 - i) * 60_000), rows: 1, seatsPerRow: 1 }));
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 50; page++) {
      const {
        shows,
      }: {
        shows: {
          totalCount: number;
          edges: { node: { id: string; startsAt: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor?: string | null };
        };
      } = await t.ok(ShowsDocument, { first: 2, after });
      total = shows.totalCount;
      seen.push(...shows.edges.map((e) => e.node.id));
      const starts = shows.edges.map((e) => e.node.startsAt);
      expect([...starts].sort()).toEqual(starts);
      if (!shows.pageInfo.hasNextPage) break;
      after = shows.pageInfo.endCursor!;
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    const mine = seen.filter((id) => created.some((s) => s.id === id));
    expect(mine).toEqual([...created].reverse().map((s) => s.id));
  });

  it("refuses bad pagination arguments", async () => {
    expect((await t.request(ShowsDocument, { first: 0 })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await t.request(ShowsDocument, { first: 101 })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const forged = [["not a date", "00000000-0000-4000-8000-000000000000"], ["2030-01-01T00:00:00Z", "x"], [1, 2], {}];
    for (const after of ["garbage", ...forged.map((key) => Buffer.from(JSON.stringify(key)).toString("base64url"))]) {
      const badCursor = await t.request(ShowsDocument, { after });
      expect(badCursor.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
      expect(badCursor.errors?.[0]?.message).toMatch(/cursor/);
    }
  });

  it("counts and filters the seat map by status", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const user = uniqueUser();
    const held = await hold(t, user, { showId: show.id, seatNumbers: ["A1", "A2"] });
    const sold = await hold(t, user, { showId: show.id, seatNumbers: ["B5"] });
    await t.ok(ConfirmBookingDocument, { id: sold.booking!.id }, { as: user });
    const { show: map } = await t.ok(SeatMapDocument, { id: show.id, status: "HELD" });
    expect(map).toMatchObject({ availableSeats: 7, heldSeats: 2, bookedSeats: 1 });
    expect(map!.seats.map((s) => s.seatNumber)).toEqual(["A1", "A2"]);
    expect(map!.seats[0]!.holdExpiresAt).toBe(held.booking!.expiresAt);
    const booked = await t.ok(SeatMapDocument, { id: show.id, status: "BOOKED" });
    expect(booked.show!.seats.map((s) => s.seatNumber)).toEqual(["B5"]);
  });
});

describe("seat map response cache", () => {
  it("answers an unchanged seat map from cache and a changed one afresh", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 3 });
    const read = async () => {
      const response = await fetch(t.app.address, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: "query ($id: ID!) { show(id: $id) { heldSeats seatMapVersion seats { seatNumber status } } }",
          variables: { id: show.id },
        }),
      });
      const body = (await response.json()) as {
        data: { show: { heldSeats: number; seatMapVersion: string; seats: { status: string }[] } };
      };
      return { cached: response.headers.get("x-seat-map-cache") === "hit", show: body.data.show };
    };
    const first = await read();
    expect(first.cached).toBe(false);
    const second = await read();
    expect(second).toEqual({ cached: true, show: first.show });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["B2"] });
    const third = await read();
    expect(third.cached).toBe(false);
    expect(third.show.heldSeats).toBe(1);
    expect(third.show.seatMapVersion).not.toBe(first.show.seatMapVersion);
    // Other operations are never cached.
    const list = await fetch(t.app.address, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query":"{ shows { totalCount } }"}',
    });
    await list.text();
    const again = await fetch(t.app.address, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query":"{ shows { totalCount } }"}',
    });
    expect(again.headers.get("x-seat-map-cache")).toBeNull();
  });
});
