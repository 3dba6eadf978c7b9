import { getIntrospectionQuery } from "graphql";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";

/**
 * What the edge adds to every answer that is not GraphQL (security headers, the admin console and its sign-in in
 * production) and to cross-origin GraphQL answers (the headers scripts may read). The page and the console under
 * these headers in a real browser: test/system/console.test.ts.
 */

const PRODUCTION = { NODE_ENV: "production", CORS_ORIGINS: "https://tickets.example.com" };

let dev: TestApp;
beforeAll(async () => {
  // No configured secret (the app still signs with the test one): a developer's machine, console prefilled.
  dev = await startTestApp({ NODE_ENV: "development", JWT_SECRET: "", METRICS_PORT: "0" });
});
afterAll(() => dev.stop());

const origin = (t: TestApp) => t.app.address.replace("/graphql", "");
const csp = (response: Response) => response.headers.get("content-security-policy") ?? "";
const directive = (policy: string, name: string) =>
  policy
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

/** The console page's settings (the JSON block the boot script reads). */
function consoleSettings(html: string): { headers: string; schema?: { __schema: unknown }; defaultQuery: string } {
  const json = /<script type="application\/json" id="console-options">([^<]*)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`no console settings in:\n${html.slice(0, 500)}`);
  return JSON.parse(json) as ReturnType<typeof consoleSettings>;
}

const signIn = (t: TestApp, token?: string) =>
  fetch(`${origin(t)}/console`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: token === undefined ? "" : new URLSearchParams({ token }).toString(),
  });

describe("security headers", () => {
  it("sends a strict CSP, nosniff, no framing and no referrer with the page and its files", async () => {
    // The page and the files it names (whatever they are as the page changes).
    const html = await (await fetch(`${origin(dev)}/`)).text();
    const files = [...html.matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(0);
    for (const path of ["/", ...files]) {
      const response = await fetch(`${origin(dev)}${path}`);
      const policy = csp(response);
      expect(directive(policy, "script-src")).toBe("script-src 'self'");
      expect(directive(policy, "script-src-attr")).toBe("script-src-attr 'none'");
      expect(directive(policy, "style-src")).toBe("style-src 'self'");
      expect(directive(policy, "connect-src")).toBe("connect-src 'self'");
      expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
      expect(directive(policy, "object-src")).toBe("object-src 'none'");
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("lets the console's editor write styles, but runs only its own scripts and workers", async () => {
    const response = await fetch(`${origin(dev)}/console`);
    expect(response.status).toBe(200);
    const policy = csp(response);
    expect(directive(policy, "script-src")).toBe("script-src 'self'");
    expect(directive(policy, "worker-src")).toBe("worker-src 'self'");
    expect(directive(policy, "style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*(src=|type="application\/json"))/); // no inline script
    // Nothing from another host: every file it names is under /console/assets.
    const named = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(named.length).toBe(4);
    for (const url of named) expect(url).toMatch(/^\/console\/assets\/[\w.-]+$/);
  });

  it("leaves the GraphQL endpoint's Apollo landing page as it was (development)", async () => {
    const landing = await fetch(dev.app.address, { headers: { accept: "text/html" } });
    expect(landing.status).toBe(200);
    expect(await landing.text()).toMatch(/sandbox/i);
    expect(csp(landing)).toBe("");
  });

  it("lets cross-origin scripts read x-request-id and Retry-After, as well as ETag and x-seat-map-cache", async () => {
    const crossOrigin = { origin: "http://localhost:5173" };
    const preflight = await fetch(dev.app.address, {
      method: "OPTIONS",
      headers: {
        ...crossOrigin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const answer = await fetch(dev.app.address, {
      method: "POST",
      headers: { ...crossOrigin, "content-type": "application/json" },
      body: '{"query":"{ __typename }"}',
    });
    expect(answer.status).toBe(200);
    const exposed = (answer.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(",");
    expect(exposed).toEqual(expect.arrayContaining(["etag", "x-seat-map-cache", "x-request-id", "retry-after"]));
  });
});

describe("the admin console outside production", () => {
  it("opens with the development admin token, a createShow to run and the schema, from this origin only", async () => {
    const html = await (await fetch(`${origin(dev)}/console`)).text();
    const settings = consoleSettings(html);
    const bearer = (JSON.parse(settings.headers) as { Authorization?: string }).Authorization;
    expect(bearer).toMatch(/^Bearer ey/);
    expect(settings.schema?.__schema).toBeDefined();
    for (const asset of html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)) {
      const response = await fetch(`${origin(dev)}${asset[1]}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toMatch(/immutable/);
    }
    // The default operation works as it stands, with the prefilled token.
    const created = await dev.post(JSON.stringify({ query: settings.defaultQuery }), { authorization: bearer! });
    expect(created.status).toBe(200);
    expect(JSON.parse(created.text)).toMatchObject({
      data: { createShow: { show: { name: "Evening performance", totalSeats: 200 }, userErrors: [] } },
    });
    // Whenever the console is opened: its show starts weeks ahead, never at a date already past.
    const startsAt = (JSON.parse(created.text) as { data: { createShow: { show: { startsAt: string } } } }).data
      .createShow.show.startsAt;
    expect(Date.parse(startsAt)).toBeGreaterThan(Date.now() + 7 * 86_400_000);
  });

  it("prefills no token once a JWT_SECRET is configured, and is off with ADMIN_CONSOLE=false", async () => {
    const shared = await startTestApp({ NODE_ENV: "development", METRICS_PORT: "0" });
    const off = await startTestApp({ NODE_ENV: "development", METRICS_PORT: "0", ADMIN_CONSOLE: "false" });
    try {
      const html = await (await fetch(`${origin(shared)}/console`)).text();
      expect(JSON.parse(consoleSettings(html).headers)).toEqual({});
      expect(html).not.toMatch(/Bearer/);
      expect((await fetch(`${origin(off)}/console`)).status).toBe(404);
      expect(off.app.consoleUrl).toBeUndefined();
    } finally {
      await Promise.all([shared.stop(), off.stop()]);
    }
  });
});

describe("production", () => {
  it("serves neither the console nor the development token endpoint unless enabled", async () => {
    await withTestApp(PRODUCTION, async (t) => {
      expect((await fetch(`${origin(t)}/console`)).status).toBe(404);
      expect((await signIn(t, t.token("admin", "admin"))).status).toBe(404);
      const devToken = await fetch(`${origin(t)}/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"sub":"mallory"}',
      });
      expect(devToken.status).toBe(404);
    });
  });

  it("with ADMIN_CONSOLE=true, serves the console only for an admin token, and keeps introspection off", async () => {
    await withTestApp({ ...PRODUCTION, ADMIN_CONSOLE: "true" }, async (t) => {
      const form = await fetch(`${origin(t)}/console`);
      expect(form.status).toBe(200);
      const formHtml = await form.text();
      expect(formHtml).toMatch(/<form method="post" action="\/console">/);
      expect(formHtml).not.toMatch(/console-options|__schema|Bearer/);

      const refusals = [
        { token: undefined, status: 401 },
        { token: "not-a-token", status: 401 },
        { token: t.token("mallory", "user"), status: 403 },
      ];
      for (const { token, status } of refusals) {
        const refused = await signIn(t, token);
        expect(refused.status).toBe(status);
        const html = await refused.text();
        expect(html).not.toMatch(/console-options|__schema/);
        expect(html).toMatch(/<form/);
      }

      const admin = t.token("box-office", "admin");
      const granted = await signIn(t, admin);
      expect(granted.status).toBe(200);
      expect(granted.headers.get("cache-control")).toBe("no-store");
      const settings = consoleSettings(await granted.text());
      expect(JSON.parse(settings.headers)).toEqual({ Authorization: `Bearer ${admin}` });
      expect(settings.schema?.__schema).toBeDefined();

      // The schema reached the admin in the page: introspection stays closed to everyone, admins included.
      const introspection = await t.post(JSON.stringify({ query: getIntrospectionQuery() }), {
        authorization: `Bearer ${admin}`,
      });
      expect(introspection.text).toMatch(/introspection is not allowed/i);
    });
  });
});
