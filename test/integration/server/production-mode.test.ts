import { getIntrospectionQuery } from "graphql";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: "production", CORS_ORIGINS: "https://tickets.example.com" });
});
afterAll(() => t.stop());

// What production mode refuses to start with is checked in test/unit/config.test.ts.
describe("production mode", () => {
  it("turns introspection, Sandbox and the development token off", async () => {
    const { text } = await t.post(JSON.stringify({ query: getIntrospectionQuery() }));
    expect(text).toMatch(/introspection is not allowed/i);
    const landing = await fetch(t.app.address, { headers: { accept: "text/html" } });
    expect(await landing.text()).not.toMatch(/sandbox/i);
    const devToken = await fetch(t.app.address.replace("/graphql", "/dev/token"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"sub":"mallory"}',
    });
    expect(devToken.status).toBe(404);
  });

  it("allows cross-origin calls only from the configured origins", async () => {
    const preflight = (origin: string) =>
      fetch(t.app.address, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    expect((await preflight("https://tickets.example.com")).headers.get("access-control-allow-origin")).toBe(
      "https://tickets.example.com",
    );
    expect((await preflight("https://evil.example.net")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("process edges: development backdoors and malformed bodies", () => {
  const devToken = (app: TestApp) =>
    fetch(app.app.address.replace("/graphql", "/dev/token"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"sub":"mallory"}',
    });
  const preflight = (app: TestApp, origin: string) =>
    fetch(app.app.address, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });

  it("development with a configured JWT_SECRET: no dev tokens, no cross-origin calls unless CORS_ORIGINS says so", async () => {
    const dev = await startTestApp({ NODE_ENV: "development", METRICS_PORT: "0" });
    try {
      expect((await devToken(dev)).status).toBe(404);
      expect((await preflight(dev, "https://evil.example.net")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await dev.stop();
    }
  });

  it("development with the generated secret: the page's sign-in and any origin stay on", async () => {
    const dev = await startTestApp({ NODE_ENV: "development", JWT_SECRET: "", METRICS_PORT: "0" });
    try {
      const response = await devToken(dev);
      expect(response.status).toBe(200);
      expect(typeof ((await response.json()) as { token: unknown }).token).toBe("string");
      expect((await preflight(dev, "http://localhost:5173")).headers.get("access-control-allow-origin")).toBe(
        "http://localhost:5173",
      );
    } finally {
      await dev.stop();
    }
  });

  it.each(["production", "development"])("%s: malformed bodies get JSON errors without stack traces", async (mode) => {
    const app =
      mode === "production" ? t : await startTestApp({ NODE_ENV: "development", JWT_SECRET: "", METRICS_PORT: "0" });
    try {
      const cases = [
        { url: app.app.address, body: '{"query": ', status: 400, error: /not valid JSON/ },
        {
          url: app.app.address,
          body: JSON.stringify({ query: "x".repeat(3_000_000) }),
          status: 413,
          error: /too large/,
        },
        ...(mode === "development"
          ? [
              {
                url: app.app.address.replace("/graphql", "/dev/token"),
                body: "{",
                status: 400,
                error: /not valid JSON/,
              },
              {
                url: app.app.address.replace("/graphql", "/dev/token"),
                body: JSON.stringify({ sub: "x".repeat(5000) }),
                status: 413,
                error: /too large/,
              },
            ]
          : []),
      ];
      for (const { url, body, status, error } of cases) {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await response.text();
        expect([url, response.status, response.headers.get("content-type")]).toEqual([
          url,
          status,
          expect.stringMatching(/application\/json/),
        ]);
        expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(error) });
        expect(text).not.toMatch(/at \w+ \(|node_modules|<html|<pre/i);
      }
    } finally {
      if (app !== t) await app.stop();
    }
  });
});
