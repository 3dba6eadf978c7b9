import { randomBytes, randomUUID } from "node:crypto";
import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  CreateWebhookDocument,
  type CreateWebhookInput,
  DeleteWebhookDocument,
  DisableWebhookDocument,
  EnableWebhookDocument,
  ReplayWebhookDeliveriesDocument,
  RotateWebhookSecretDocument,
  WebhookDeliveriesDocument,
  WebhookDocument,
  WebhooksDocument,
} from "../../__generated__/graphql";
import { admin } from "../../support/box-office";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";
import { databaseId } from "../../support/ids";

/*
 * The admins' webhook API over real HTTP and PostgreSQL, without WEBHOOK_ALLOW_PRIVATE_NETWORKS: registration rules
 * (URLs, the SSRF guard, secrets), the secret shown once, lists, unknown ids, and who may call what.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_USER_POINTS: "0" });
});
afterAll(() => t.stop());

/** A public address (no DNS needed): registrations that should pass use it. */
const PUBLIC_URL = "http://93.184.215.14/hooks";
const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString("base64")}`;

const create = async (input: Partial<CreateWebhookInput>, as = admin()) =>
  (await t.ok(CreateWebhookDocument, { input: { url: PUBLIC_URL, ...input } }, as)).createWebhook;

describe("createWebhook", () => {
  it("registers the webhook and returns a generated Standard Webhooks secret, once", async () => {
    const created = await create({
      description: "  Accounting  ",
      eventTypes: ["BOOKING_REFUNDED", "BOOKING_CONFIRMED", "BOOKING_REFUNDED"],
    });
    expect(created.userErrors).toEqual([]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret!.slice(6), "base64")).toHaveLength(32);
    expect(created.webhook).toMatchObject({
      url: PUBLIC_URL,
      description: "Accounting",
      eventTypes: ["BOOKING_CONFIRMED", "BOOKING_REFUNDED"],
      enabled: true,
      pendingDeliveries: 0,
      deadDeliveries: 0,
      previousSecretExpiresAt: null,
    });
    expect(created.webhook!.createdBy).toMatch(/^admin-/);
    // Stored as given and never readable again: no field of Webhook carries it.
    const [row] = await t.prisma.$queryRaw<{ secret: string }[]>`SELECT secret FROM webhooks
      WHERE id = ${databaseId(created.webhook!.id)}::uuid`;
    expect(row!.secret).toBe(created.secret);
    const introspection = await t.post(JSON.stringify({ query: '{ __type(name: "Webhook") { fields { name } } }' }));
    const fields = (JSON.parse(introspection.text) as { data: { __type: { fields: { name: string }[] } } }).data.__type
      .fields;
    expect(fields.map((f) => f.name).filter((name) => /secret/i.test(name))).toEqual(["previousSecretExpiresAt"]);
    const read = await t.ok(WebhookDocument, { id: created.webhook!.id }, admin());
    expect(JSON.stringify(read)).not.toContain(created.secret!.slice(6));
  });

  it("takes a secret of the Standard Webhooks form and refuses others", async () => {
    const given = secretOf(24);
    expect(await create({ secret: given })).toMatchObject({ secret: given, userErrors: [] });
    expect(await create({ secret: secretOf(64) })).toMatchObject({ userErrors: [] });
    for (const secret of ["nope", "whsec_", secretOf(16), secretOf(65), "whsec_!!!!abcd", `whsec_${"A".repeat(33)}`]) {
      const refused = await create({ secret });
      expect({ secret, refused }).toMatchObject({
        secret,
        refused: { webhook: null, secret: null, userErrors: [{ code: "INVALID_INPUT", field: ["input", "secret"] }] },
      });
      expect(refused.userErrors[0]!.message).toMatch(/whsec_/);
    }
  });

  it("refuses URLs that are not plain http(s) ones", async () => {
    for (const url of [
      "not a url",
      "ftp://example.com/hooks",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "http://user:password@93.184.215.14/hooks",
      `https://example.com/${"x".repeat(2050)}`,
    ]) {
      const refused = await create({ url });
      expect({ url, errors: refused.userErrors }).toMatchObject({
        url,
        errors: [{ code: "INVALID_INPUT", field: ["input", "url"] }],
      });
    }
    const http = await create({ url: "http://93.184.215.14/plain" });
    expect(http.userErrors).toEqual([]);
  });

  it("refuses targets in loopback, private, link-local and other non-public networks (SSRF)", async () => {
    for (const [url, why] of [
      ["http://127.0.0.1:8080/hooks", /127\.0\.0\.1 is a loopback address/],
      ["http://localhost:8080/hooks", /localhost resolves to .*loopback/],
      ["http://10.0.0.1/", /private/],
      ["http://169.254.169.254/latest/meta-data/", /link-local/],
      ["http://[::1]/", /loopback/],
      ["http://[::ffff:127.0.0.1]/", /loopback/],
      ["http://[::ffff:a9fe:a9fe]/", /link-local address \(169\.254\.169\.254 inside IPv6\)/],
      ["http://[64:ff9b::a00:1]/", /private address \(10\.0\.0\.1 inside IPv6\)/],
      ["http://0.0.0.0/", /this network/],
      ["http://100.64.0.1/", /carrier-grade NAT/],
      ["http://172.16.5.4/", /private/],
      ["http://192.168.0.1/", /private/],
      ["http://[fd12:3456::1]/", /unique local/],
      ["http://[fe80::1]/", /link-local/],
      ["http://224.0.0.1/", /multicast/],
      ["http://255.255.255.255/", /broadcast/],
      ["http://192.0.2.10/", /documentation/],
      ["http://[2001:db8::1]/", /documentation/],
      // Other spellings of 127.0.0.1 are read as URLs read them
      ["http://2130706433/", /loopback/],
      ["http://0x7f.1/", /loopback/],
    ] as const) {
      const refused = await create({ url });
      expect({ url, errors: refused.userErrors }).toMatchObject({
        url,
        errors: [{ code: "INVALID_INPUT", field: ["input", "url"] }],
      });
      expect({ url, message: refused.userErrors[0]!.message }).toEqual({ url, message: expect.stringMatching(why) });
    }
    expect((await create({ url: "https://[2606:4700:4700::1111]/hooks" })).userErrors).toEqual([]);
  });

  it("wants https when WEBHOOK_REQUIRE_HTTPS is on", async () => {
    await withTestApp({ WEBHOOK_REQUIRE_HTTPS: "true" }, async (strict) => {
      const send = async (url: string) =>
        (await strict.ok(CreateWebhookDocument, { input: { url } }, admin())).createWebhook.userErrors;
      expect(await send("http://93.184.215.14/hooks")).toMatchObject([
        { code: "INVALID_INPUT", field: ["input", "url"], message: expect.stringMatching(/https/) },
      ]);
      expect(await send("https://93.184.215.14/hooks")).toEqual([]);
    });
  });
});

describe("the other commands and reads", () => {
  it("list webhooks newest first, page by page, and find one by id", async () => {
    await t.prisma.$executeRaw`DELETE FROM webhooks`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ description: `hook ${i}` })).webhook!.id);
    const first = (await t.ok(WebhooksDocument, { first: 2 }, admin())).webhooks;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await t.ok(WebhooksDocument, { first: 2, after: first.pageInfo.endCursor }, admin())).webhooks;
    expect(rest.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await t.ok(WebhookDocument, { id: ids[1]! }, admin())).webhook?.description).toBe("hook 1");
    expect((await t.ok(WebhookDocument, { id: randomUUID() }, admin())).webhook).toBeNull();
    const malformed = await t.request(WebhookDocument, { id: "not-an-id" }, admin());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["id"] });
    const bad = await t.request(WebhooksDocument, { after: "garbage" }, admin());
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("disable, enable, rotate and delete a webhook; unknown ids are NOT_FOUND", async () => {
    const { webhook, secret } = await create({});
    const id = webhook!.id;
    const disabled = (await t.ok(DisableWebhookDocument, { input: { id } }, admin())).disableWebhook;
    expect(disabled).toMatchObject({ webhook: { id, enabled: false }, secret: null, userErrors: [] });
    const enabled = (await t.ok(EnableWebhookDocument, { input: { id } }, admin())).enableWebhook;
    expect(enabled).toMatchObject({ webhook: { id, enabled: true }, secret: null, userErrors: [] });

    const given = secretOf(32);
    const rotated = (await t.ok(RotateWebhookSecretDocument, { input: { id, secret: given } }, admin()))
      .rotateWebhookSecret;
    expect(rotated).toMatchObject({ secret: given, userErrors: [] });
    const [row] = await t.prisma.$queryRaw<{ secret: string; previous_secret: string }[]>`
      SELECT secret, previous_secret FROM webhooks WHERE id = ${databaseId(id)}::uuid`;
    expect(row).toEqual({ secret: given, previous_secret: secret });
    const badRotation = (await t.ok(RotateWebhookSecretDocument, { input: { id, secret: "whsec_short" } }, admin()))
      .rotateWebhookSecret;
    expect(badRotation.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "secret"] }]);

    const badIds = (
      await t.ok(ReplayWebhookDeliveriesDocument, { input: { webhookId: id, deliveryIds: ["x"] } }, admin())
    ).replayWebhookDeliveries;
    expect(badIds.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "deliveryIds"] }]);
    // Digits beyond PostgreSQL's bigint are no delivery id either (they reached the database as a server error).
    const overflow = (
      await t.ok(
        ReplayWebhookDeliveriesDocument,
        { input: { webhookId: id, deliveryIds: ["9223372036854775808"] } },
        admin(),
      )
    ).replayWebhookDeliveries;
    expect(overflow.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "deliveryIds"] }]);
    const farCursor = await t.request(WebhookDeliveriesDocument, { id, after: "9223372036854775808" }, admin());
    expect(farCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const nothingDead = (await t.ok(ReplayWebhookDeliveriesDocument, { input: { webhookId: id } }, admin()))
      .replayWebhookDeliveries;
    expect(nothingDead).toEqual({ replayed: 0, userErrors: [] });

    const deleted = (await t.ok(DeleteWebhookDocument, { input: { id } }, admin())).deleteWebhook;
    expect(deleted).toEqual({ deletedWebhookId: id, userErrors: [] });
    expect((await t.ok(WebhookDocument, { id }, admin())).webhook).toBeNull();

    const malformedDelete = await t.request(DeleteWebhookDocument, { input: { id: "not-an-id" } }, admin());
    expect(malformedDelete.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: ["input", "id"] });
    for (const unknown of [id, databaseId(id), randomUUID()]) {
      const notFound = [{ code: "NOT_FOUND", field: ["input", "id"] }];
      const as = admin();
      const input = { id: unknown };
      expect((await t.ok(DisableWebhookDocument, { input }, as)).disableWebhook.userErrors).toMatchObject(notFound);
      expect((await t.ok(EnableWebhookDocument, { input }, as)).enableWebhook.userErrors).toMatchObject(notFound);
      expect((await t.ok(DeleteWebhookDocument, { input }, as)).deleteWebhook).toMatchObject({
        deletedWebhookId: null,
        userErrors: notFound,
      });
      expect((await t.ok(RotateWebhookSecretDocument, { input }, as)).rotateWebhookSecret).toMatchObject({
        secret: null,
        userErrors: notFound,
      });
      const replay = (await t.ok(ReplayWebhookDeliveriesDocument, { input: { webhookId: unknown } }, as))
        .replayWebhookDeliveries;
      expect(replay.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "webhookId"] }]);
    }
  });
});

describe("who may", () => {
  type Who = "anonymous" | "user" | "admin";
  const auth = (who: Who) =>
    who === "anonymous" ? {} : who === "user" ? { as: "someone" } : { as: "an-admin", role: "admin" as const };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows: [string, TypedDocumentNode<any, any>, (id: string) => Record<string, unknown>][] = [
    ["webhooks", WebhooksDocument, () => ({})],
    ["webhook", WebhookDocument, (id) => ({ id })],
    ["Webhook.deliveries", WebhookDeliveriesDocument, (id) => ({ id })],
    ["createWebhook", CreateWebhookDocument, () => ({ input: { url: PUBLIC_URL } })],
    ["rotateWebhookSecret", RotateWebhookSecretDocument, (id) => ({ input: { id } })],
    ["disableWebhook", DisableWebhookDocument, (id) => ({ input: { id } })],
    ["enableWebhook", EnableWebhookDocument, (id) => ({ input: { id } })],
    ["replayWebhookDeliveries", ReplayWebhookDeliveriesDocument, (id) => ({ input: { webhookId: id } })],
    ["deleteWebhook", DeleteWebhookDocument, (id) => ({ input: { id } })],
  ];

  it.each(rows)("%s: anonymous UNAUTHENTICATED, users FORBIDDEN, admins answered", async (_name, document, vars) => {
    const { webhook, secret } = await create({});
    const before = await t.prisma.$queryRaw<unknown[]>`SELECT * FROM webhooks ORDER BY id`;
    for (const [who, code] of [
      ["anonymous", "UNAUTHENTICATED"],
      ["user", "FORBIDDEN"],
    ] as const) {
      const response = await t.request(document, vars(webhook!.id), auth(who));
      expect({ who, codes: response.errors?.map((e) => e.extensions?.code) }).toEqual({ who, codes: [code] });
      expect(JSON.stringify(response)).not.toContain(secret!);
    }
    // Refused callers changed nothing.
    expect(await t.prisma.$queryRaw<unknown[]>`SELECT * FROM webhooks ORDER BY id`).toEqual(before);
    const answered = await t.request(document, vars(webhook!.id), auth("admin"));
    expect(answered.errors).toBeUndefined();
    const payload = Object.values(answered.data as Record<string, { userErrors?: unknown[] } | null>)[0];
    expect(payload).not.toBeNull();
    expect(payload?.userErrors ?? []).toEqual([]);
  });
});
