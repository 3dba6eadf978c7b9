import { randomUUID } from "node:crypto";
import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import {
  AuditLogDocument,
  type AuditLogQueryVariables,
  CreateShowDocument,
  CreateVenueDocument,
  CreateWebhookDocument,
  HoldSeatsDocument,
  RotateWebhookSecretDocument,
} from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { checkInvariants } from "../../support/from-src";
import { type GraphQLResponse, startTestApp, statementsDuring, type TestApp } from "../../support/test-app";
import { firstCode, openGraphQLSocket } from "../../support/transport";
import { theatreInput } from "../../support/venues";

// Every mutation an admin makes is recorded before it runs and completed with its outcome; auditLog reads them.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());
afterEach(async () => {
  expect((await checkInvariants(t.database.url)).violations).toEqual([]);
});

/** A different admin each time: rate limits count mutations per user, and the log is filtered by actor. */
const newAdmin = () => uniqueUser("admin");
const asAdmin = (sub: string) => ({ as: sub, role: "admin" as const });

const PRICES = [
  { category: "PREMIUM", amount: 8900, currency: "EUR" },
  { category: "STANDARD", amount: 4500, currency: "EUR" },
  { category: "RESTRICTED", amount: 2000, currency: "EUR" },
  { category: "ACCESSIBLE", amount: 3000, currency: "EUR" },
];

/** Sends an operation over HTTP with an `x-request-id` of our choosing. */
async function send<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  admin: string,
  requestId: string,
): Promise<GraphQLResponse<TData>> {
  const { status, text } = await t.post(JSON.stringify({ query: print(document), variables }), {
    authorization: `Bearer ${t.token(admin, "admin")}`,
    "x-request-id": requestId,
  });
  return { status, ...(JSON.parse(text) as object) };
}

/** The log as another admin reads it. */
async function auditLog(variables: AuditLogQueryVariables) {
  return (await t.ok(AuditLogDocument, variables, asAdmin(newAdmin()))).auditLog;
}
const entriesOf = async (actor: string) => (await auditLog({ actor, first: 100 })).edges.map((e) => e.node);

describe("the audit log of admin mutations", () => {
  it("records an admin's createVenue and createShow with the request id, the arguments, the target and OK", async () => {
    const admin = newAdmin();
    const venueRequest = `venue-${randomUUID()}`;
    const venueInput = theatreInput();
    const venue = await send(CreateVenueDocument, { input: venueInput }, admin, venueRequest);
    expect(venue.data!.createVenue.userErrors).toEqual([]);
    const venueId = venue.data!.createVenue.venue!.id;
    const showRequest = `show-${randomUUID()}`;
    const showInput = { name: "Hamlet", venueId, startsAtLocal: "2031-03-01T19:30", prices: PRICES };
    const show = await send(CreateShowDocument, { input: showInput }, admin, showRequest);
    expect(show.data!.createShow.userErrors).toEqual([]);

    const [showEntry, venueEntry] = await entriesOf(admin);
    expect(venueEntry).toMatchObject({
      actor: admin,
      action: "createVenue",
      targetId: null,
      requestId: venueRequest,
      outcome: "OK",
    });
    expect(JSON.parse(venueEntry!.arguments)).toEqual({ input: venueInput });
    expect(showEntry).toMatchObject({
      actor: admin,
      action: "createShow",
      targetId: venueId,
      requestId: showRequest,
      outcome: "OK",
    });
    expect(JSON.parse(showEntry!.arguments)).toEqual({ input: showInput });
    for (const entry of [showEntry!, venueEntry!]) {
      expect(new Date(entry.finishedAt as string).getTime()).toBeGreaterThanOrEqual(new Date(entry.at).getTime());
    }
  });

  it("records the distinct codes of a payload's userErrors, and cuts arguments beyond 8 KB", async () => {
    const admin = newAdmin();
    // Two INVALID_INPUT problems (an empty name, an overlong zone) are one code in the outcome.
    const invalid = { ...theatreInput(), name: "", timeZone: "Z".repeat(65) };
    const refused = await t.ok(CreateVenueDocument, { input: invalid }, asAdmin(admin));
    expect(refused.createVenue.userErrors.length).toBeGreaterThan(1);
    const huge = { ...theatreInput(), name: "x".repeat(20_000) };
    const tooLong = await t.ok(CreateVenueDocument, { input: huge }, asAdmin(admin));
    expect(tooLong.createVenue.userErrors.map((e) => e.code)).toContain("INVALID_INPUT");

    const [hugeEntry, invalidEntry] = await entriesOf(admin);
    expect(invalidEntry!.outcome).toBe("INVALID_INPUT");
    expect(JSON.parse(invalidEntry!.arguments)).toEqual({ input: invalid });
    expect(hugeEntry!.outcome).toBe("INVALID_INPUT");
    const marker = JSON.parse(hugeEntry!.arguments) as { truncated: boolean; bytes: number; prefix: string };
    expect(marker.truncated).toBe(true);
    expect(marker.bytes).toBe(Buffer.byteLength(JSON.stringify({ input: huge })));
    expect(JSON.stringify({ input: huge }).startsWith(marker.prefix)).toBe(true);
    expect(marker.prefix.length).toBeGreaterThan(7_000);
    // PostgreSQL prints jsonb with a space after each separator: a few bytes over the stored bound.
    expect(Buffer.byteLength(hugeEntry!.arguments)).toBeLessThanOrEqual(8 * 1024 + 16);
  });

  it("records a NUL character (which jsonb refuses) as U+FFFD instead of refusing the mutation", async () => {
    const admin = newAdmin();
    const input = { ...theatreInput(), name: `\u0000${"x".repeat(300)}` };
    const answer = await t.request(CreateVenueDocument, { input }, asAdmin(admin));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createVenue.userErrors.map((e) => e.code)).toContain("INVALID_INPUT");
    const [entry] = await entriesOf(admin);
    expect(JSON.parse(entry!.arguments)).toEqual({ input: { ...input, name: `\uFFFD${"x".repeat(300)}` } });
  });

  it("never records a webhook secret an admin gives (other admins read the log)", async () => {
    const admin = newAdmin();
    const secret = `whsec_${Buffer.from(randomUUID()).toString("base64")}`;
    const input = { url: "https://8.8.8.8/booking-events", secret };
    const created = await t.ok(CreateWebhookDocument, { input }, asAdmin(admin));
    expect(created.createWebhook.userErrors).toEqual([]);
    const rotated = await t.ok(
      RotateWebhookSecretDocument,
      { input: { id: created.createWebhook.webhook!.id, secret: `${secret.slice(0, -4)}AAA=` } },
      asAdmin(admin),
    );
    expect(rotated.rotateWebhookSecret.userErrors).toEqual([]);
    const entries = await entriesOf(admin);
    expect(entries.map((entry) => entry.action)).toEqual(["rotateWebhookSecret", "createWebhook"]);
    for (const entry of entries) {
      expect(entry.arguments).not.toContain("whsec_");
      expect(JSON.parse(entry.arguments).input.secret).toBe("[redacted]");
    }
  });

  it("records ERROR when the mutation fails", async () => {
    const admin = newAdmin();
    await t.prisma.$executeRawUnsafe(`ALTER TABLE venues RENAME TO venues_away`);
    try {
      const failed = await t.request(CreateVenueDocument, { input: theatreInput() }, asAdmin(admin));
      expect(failed.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await t.prisma.$executeRawUnsafe(`ALTER TABLE venues_away RENAME TO venues`);
    }
    const [entry] = await entriesOf(admin);
    expect(entry).toMatchObject({ action: "createVenue", outcome: "ERROR" });
    expect(entry!.finishedAt).not.toBeNull();
  });

  it("writes nothing for a user's holdSeats, and records an admin's with the show as target", async () => {
    const show = await createShow(t, { createdBy: newAdmin(), rows: 1, seatsPerRow: 4 });
    const before = await t.prisma.auditEntry.count();
    const statements = await statementsDuring(t, () => hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] }));
    expect(statements.filter((sql) => sql.includes("audit_log"))).toEqual([]);
    expect(await t.prisma.auditEntry.count()).toBe(before);

    // The same mutation by an admin is recorded; its target is the show named in its input.
    const admin = newAdmin();
    const input = { showId: show.id, seatNumbers: ["A2"] };
    const adminHold = await t.ok(HoldSeatsDocument, { input }, asAdmin(admin));
    expect(adminHold.holdSeats.userErrors).toEqual([]);
    expect(await entriesOf(admin)).toEqual([
      expect.objectContaining({ action: "holdSeats", targetId: show.id, outcome: "OK" }),
    ]);
  });

  it("is for admins only: FORBIDDEN for users, UNAUTHENTICATED for anonymous callers", async () => {
    const asUser = await t.request(AuditLogDocument, {}, { as: uniqueUser() });
    expect(asUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await t.request(AuditLogDocument, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("filters by actor, action, target and time, newest first, in Relay pages", async () => {
    const admin = newAdmin();
    const venueIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const data = await t.ok(CreateVenueDocument, { input: theatreInput() }, asAdmin(admin));
      venueIds.push(data.createVenue.venue!.id);
    }
    await t.ok(
      CreateShowDocument,
      { input: { name: "A", venueId: venueIds[0]!, startsAtLocal: "2031-03-01T19:30", prices: PRICES } },
      asAdmin(admin),
    );
    await t.ok(
      CreateShowDocument,
      { input: { name: "B", venueId: venueIds[0]!, startsAtLocal: "2031-03-02T19:30", prices: PRICES } },
      asAdmin(admin),
    );
    const all = await entriesOf(admin);
    expect(all.map((e) => e.action)).toEqual(["createShow", "createShow", "createVenue", "createVenue", "createVenue"]);
    // Newest first: by time, then by id.
    const keys = all.map((e) => [new Date(e.at).getTime(), BigInt(e.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [at, id] = keys[i]!;
      const [prevAt, prevId] = keys[i - 1]!;
      expect(at < prevAt || (at === prevAt && id < prevId)).toBe(true);
    }

    // Pages of 2 walk the same entries, each exactly once.
    const walked: string[] = [];
    let after: string | null = null;
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    do {
      const page: Awaited<ReturnType<typeof auditLog>> = await auditLog({ actor: admin, first: 2, after });
      expect(page.totalCount).toBe(5);
      walked.push(...page.edges.map((e) => e.node.id));
      pages.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : null;
    } while (after);
    expect(walked).toEqual(all.map((e) => e.id));
    expect(pages).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: false, hasPreviousPage: true },
    ]);

    const shows = await auditLog({ actor: admin, action: "createShow" });
    expect(shows.totalCount).toBe(2);
    expect(shows.edges.map((e) => e.node.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    const onVenue = await auditLog({ targetId: venueIds[0]! });
    expect(onVenue.edges.map((e) => e.node.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect((await auditLog({ actor: admin, action: "changeVenueLayout" })).totalCount).toBe(0);

    // from is inclusive, to exclusive.
    const middle = new Date(all[2]!.at);
    const since = await auditLog({ actor: admin, from: middle.toISOString() });
    expect(since.edges.map((e) => e.node.id)).toEqual(all.filter((e) => new Date(e.at) >= middle).map((e) => e.id));
    const until = await auditLog({ actor: admin, to: middle.toISOString() });
    expect(until.edges.map((e) => e.node.id)).toEqual(all.filter((e) => new Date(e.at) < middle).map((e) => e.id));
    expect(since.totalCount + until.totalCount).toBe(5);

    const bad = await t.request(AuditLogDocument, { after: "not-a-cursor" }, asAdmin(newAdmin()));
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("records concurrent admin mutations each with its own entry and request id", async () => {
    const admin = newAdmin();
    const requests = Array.from({ length: 8 }, () => `concurrent-${randomUUID()}`);
    const answers = await Promise.all(
      requests.map((id) => send(CreateVenueDocument, { input: theatreInput() }, admin, id)),
    );
    expect(answers.map((a) => a.data?.createVenue.userErrors)).toEqual(requests.map(() => []));
    const entries = await entriesOf(admin);
    expect(entries.map((e) => e.requestId).sort()).toEqual([...requests].sort());
    expect(entries.every((e) => e.outcome === "OK" && e.finishedAt !== null)).toBe(true);
  });

  it("records an admin's mutation over WebSocket", async () => {
    const admin = newAdmin();
    const socket = await openGraphQLSocket(t.app.address, { token: t.token(admin, "admin") });
    try {
      const input = theatreInput();
      const answer = await socket.run({ query: print(CreateVenueDocument), variables: { input } });
      expect(firstCode(answer)).toBeUndefined();
      const [entry] = await entriesOf(admin);
      expect(entry).toMatchObject({ actor: admin, action: "createVenue", outcome: "OK" });
      expect(entry!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(entry!.arguments)).toEqual({ input });
    } finally {
      socket.close();
    }
  });

  it("refuses an admin mutation whose entry cannot be written, and changes nothing; users' mutations go on", async () => {
    const admin = newAdmin();
    const show = await createShow(t, { createdBy: newAdmin(), rows: 1, seatsPerRow: 4 });
    const input = theatreInput();
    const entriesBefore = await t.prisma.auditEntry.count();
    await t.prisma.$executeRawUnsafe(`ALTER TABLE audit_log RENAME TO audit_log_away`);
    try {
      const refused = await t.request(CreateVenueDocument, { input }, asAdmin(admin));
      expect(refused.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(refused.data).toBeNull();
      const userHold = await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1"] });
      expect(userHold.userErrors).toEqual([]);
    } finally {
      await t.prisma.$executeRawUnsafe(`ALTER TABLE audit_log_away RENAME TO audit_log`);
    }
    expect(await t.prisma.venue.count({ where: { name: input.name } })).toBe(0);
    expect(await t.prisma.auditEntry.count()).toBe(entriesBefore);
    expect(await entriesOf(admin)).toEqual([]);
  });
});
