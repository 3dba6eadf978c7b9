import jwt from "jsonwebtoken";
import { ShowsDocument } from "../../__generated__/graphql";
import { signToken } from "../../support/from-src";
import { JWT_SECRET, startTestApp, type TestApp, withTestApp } from "../../support/test-app";
import { openGraphQLSocket } from "../../support/transport";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) => jwt.sign(claims, JWT_SECRET, { algorithm: "HS256" });
const refusal = async (app: TestApp, token: string) => {
  const response = await app.request(ShowsDocument, {}, { token });
  return {
    status: response.status,
    code: response.errors?.[0]?.extensions?.code,
    message: response.errors?.[0]?.message,
  };
};

describe("token rules", () => {
  it("requires an expiry and refuses tokens valid for longer than JWT_MAX_LIFETIME_SECONDS (a day)", async () => {
    const cases = {
      noExpiry: sign({ sub: "eve", role: "user" }),
      hundredYears: sign({ sub: "eve", role: "user", exp: now() + 100 * 365 * 24 * HOUR }),
      // Issued long ago with a long life: judged from `iat`, even though little of it is left.
      longFromIssue: sign({ sub: "eve", role: "user", iat: now() - 30 * 24 * HOUR, exp: now() + HOUR }),
      noIssueTimeTooLong: sign({ sub: "eve", role: "user", exp: now() + 25 * HOUR }),
    };
    const answers = Object.fromEntries(
      await Promise.all(Object.entries(cases).map(async ([name, token]) => [name, await refusal(t, token)])),
    );
    for (const answer of Object.values(answers)) expect(answer).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(answers.noExpiry.message).toMatch(/no expiry/);
    expect(answers.hundredYears.message).toMatch(/longer than 86400 s/);

    const fine = [sign({ sub: "eve", role: "user", exp: now() + 23 * HOUR }), t.token("eve")];
    for (const token of fine) expect((await t.request(ShowsDocument, {}, { token })).status).toBe(200);
  });

  it("refuses control characters in `sub` with 401 before they reach the database", async () => {
    for (const sub of ["eve\u0000", "a\nb", "\u001b[31m", "x\u007f"]) {
      const answer = await refusal(t, sign({ sub, role: "user", exp: now() + HOUR }));
      expect(answer).toEqual({ status: 401, code: "UNAUTHENTICATED", message: expect.stringMatching(/control/) });
    }
  });

  it("with JWT_ISSUER and JWT_AUDIENCE, requires both (and tokens signed here carry them)", async () => {
    const issuer = "https://auth.example.com";
    const audience = "booking-api";
    await withTestApp({ JWT_ISSUER: issuer, JWT_AUDIENCE: audience }, async (app) => {
      const plain = signToken(JWT_SECRET, { sub: "eve", role: "user" });
      const wrongIssuer = signToken(JWT_SECRET, { sub: "eve", role: "user" }, HOUR, { issuer: "x", audience });
      const wrongAudience = signToken(JWT_SECRET, { sub: "eve", role: "user" }, HOUR, { issuer, audience: "x" });
      expect(await refusal(app, plain)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
      expect((await refusal(app, wrongIssuer)).message).toMatch(/iss/);
      expect((await refusal(app, wrongAudience)).message).toMatch(/aud/);
      const right = signToken(JWT_SECRET, { sub: "eve", role: "user" }, HOUR, { issuer, audience });
      expect((await app.request(ShowsDocument, {}, { token: right })).status).toBe(200);
    });
  });
});

describe("a WebSocket whose token expires", () => {
  it("answers each new operation with UNAUTHENTICATED and stays open for the client to reconnect", async () => {
    // Valid for about two seconds: long enough to connect and run one operation.
    const token = sign({ sub: "eve", role: "user", exp: now() + 2 });
    const ws = await openGraphQLSocket(t.app.address, { token });
    try {
      expect((await ws.run({ query: "{ __typename }" })).results).toHaveLength(1);
      const expiresAt = (jwt.decode(token) as { exp: number }).exp * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 50));
      const answer = await ws.run({ query: "{ __typename }" });
      expect(answer.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/expired.*reconnect/),
        extensions: { code: "UNAUTHENTICATED" },
      });
      expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    } finally {
      ws.close();
    }
  });
});
