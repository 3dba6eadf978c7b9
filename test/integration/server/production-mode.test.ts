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
