import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import jwt from "jsonwebtoken";
import {
  BookingDocument,
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateShowDocument,
  ExtendHoldDocument,
  HoldSeatsDocument,
  MyBookingsDocument,
  SeatMapDocument,
  ShowsDocument,
} from "../../__generated__/graphql";
import { createShow, hold } from "../../support/factories";
import { JWT_SECRET, startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const newShow = { name: "Auth matrix", startsAt: "2031-01-01T20:00:00Z", rows: 1, seatsPerRow: 2 };
const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code;

describe("authentication and authorization", () => {
  it("lets anyone read shows and seat maps", async () => {
    const show = await createShow(t);
    expect((await t.request(ShowsDocument, {})).errors).toBeUndefined();
    expect((await t.request(SeatMapDocument, { id: show.id })).data?.show?.seats).toHaveLength(50);
  });

  it("needs a user for holds and bookings, and admin for createShow", async () => {
    const show = await createShow(t);
    const anonymous = [
      await t.request(HoldSeatsDocument, { input: { showId: show.id, seatNumbers: ["A1"] } }),
      await t.request(ConfirmBookingDocument, { id: "00000000-0000-4000-8000-000000000000" }),
      await t.request(CancelBookingDocument, { id: "00000000-0000-4000-8000-000000000000" }),
      await t.request(ExtendHoldDocument, { id: "00000000-0000-4000-8000-000000000000" }),
      await t.request(BookingDocument, { id: "00000000-0000-4000-8000-000000000000" }),
      await t.request(MyBookingsDocument, {}),
      await t.request(CreateShowDocument, { input: newShow }),
    ];
    for (const response of anonymous) {
      expect(codeOf(response)).toBe("UNAUTHENTICATED");
      // A missing token is a field error, not a rejected request.
      expect(response.status).toBe(200);
    }

    const asUser = await t.request(CreateShowDocument, { input: newShow }, { as: "mallory" });
    expect(codeOf(asUser)).toBe("FORBIDDEN");
    expect(await t.prisma.show.count({ where: { name: newShow.name } })).toBe(0);
    const asAdmin = await t.request(CreateShowDocument, { input: newShow }, { as: "root", role: "admin" });
    expect(asAdmin.data?.createShow.show?.name).toBe(newShow.name);
  });

  it("keeps bookings private to their owner (admins may read them)", async () => {
    const show = await createShow(t);
    const { booking } = await hold(t, "alice", { showId: show.id, seatNumbers: ["A1"] });
    const id = booking!.id;
    const documents: TypedDocumentNode<unknown, { id: string }>[] = [
      ConfirmBookingDocument,
      CancelBookingDocument,
      ExtendHoldDocument,
      BookingDocument,
    ];
    for (const document of documents) {
      expect(codeOf(await t.request(document, { id }, { as: "bob" }))).toBe("FORBIDDEN");
    }
    expect((await t.ok(BookingDocument, { id }, { as: "ops", role: "admin" })).booking?.userId).toBe("alice");
    expect(codeOf(await t.request(ConfirmBookingDocument, { id }, { as: "ops", role: "admin" }))).toBe("FORBIDDEN");
    expect((await t.ok(MyBookingsDocument, {}, { as: "bob" })).myBookings.totalCount).toBe(0);
    expect((await t.ok(BookingDocument, { id }, { as: "alice" })).booking?.status).toBe("PENDING");
  });

  it("rejects bad tokens with UNAUTHENTICATED and HTTP 401, even on public reads", async () => {
    const now = Math.floor(Date.now() / 1000);
    const badTokens = {
      garbage: "not.a.jwt",
      otherSecret: jwt.sign({ sub: "eve", role: "admin" }, "some-other-secret-of-enough-length", {
        algorithm: "HS256",
      }),
      expired: jwt.sign({ sub: "eve", role: "user", exp: now - 10 }, JWT_SECRET, { algorithm: "HS256" }),
      algNone: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "eve", role: "admin" })).toString("base64url")}.`,
      noSubject: jwt.sign({ role: "admin" }, JWT_SECRET, { algorithm: "HS256", expiresIn: 60 }),
      unknownRole: jwt.sign({ sub: "eve", role: "root" }, JWT_SECRET, { algorithm: "HS256", expiresIn: 60 }),
      hs512: jwt.sign({ sub: "eve", role: "admin" }, JWT_SECRET, { algorithm: "HS512", expiresIn: 60 }),
    };
    for (const [name, token] of Object.entries(badTokens)) {
      const response = await t.request(ShowsDocument, {}, { token });
      expect([name, response.status, codeOf(response)]).toEqual([name, 401, "UNAUTHENTICATED"]);
      expect(response.data).toBeUndefined();
    }
    const notBearer = await t.post(JSON.stringify({ query: "{ shows { totalCount } }" }), {
      authorization: "Basic YWxpY2U6c2VjcmV0",
    });
    expect(notBearer.status).toBe(401);
    const expired = await t.request(ShowsDocument, {}, { token: badTokens.expired });
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
  });
});

describe("WebSocket authentication", () => {
  /** Opens a graphql-ws connection and reports how it ended: "acknowledged" or the close code. */
  async function connect(authorization?: string): Promise<string | number> {
    const { createClient } = await import("graphql-ws");
    const WebSocket = (await import("ws")).default;
    return new Promise((resolve) => {
      const client = createClient({
        url: t.app.address.replace("http", "ws"),
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => {},
        connectionParams: authorization ? { Authorization: authorization } : {},
        on: {
          connected: () => {
            resolve("acknowledged");
            void client.dispose();
          },
          closed: (event) => resolve((event as { code: number }).code),
        },
      });
    });
  }

  it("accepts anonymous and valid-token connections and refuses bad tokens at connect", async () => {
    expect(await connect()).toBe("acknowledged");
    expect(await connect(`Bearer ${t.token("alice")}`)).toBe("acknowledged");
    expect(await connect("Bearer not-a-token")).toBe(4403);
  });
});
