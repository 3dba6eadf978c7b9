import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { launchChromium } from "../support/browser";
import { createShow, hold, uniqueUser } from "../support/factories";
import { createTestDatabase } from "../support/test-database";
import { waitUntil } from "../support/time";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * The admin console and the seat-map page in a real Chromium cut off from every other host (each request that
 * leaves this machine is aborted and recorded), under the security headers the server sends: the console renders,
 * runs its createShow, and neither page breaks its Content-Security-Policy. And the start-up log that sends people there.
 */

jest.setTimeout(90_000);

let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

/** What went wrong in a page: requests to other hosts, CSP violations, script errors. */
interface Trouble {
  readonly offline: string[];
  readonly violations: string[];
  readonly errors: string[];
}

/** A page in a fresh context that can reach only this machine, recording its trouble. */
async function offlinePage(): Promise<{ page: Page; trouble: Trouble }> {
  const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const trouble: Trouble = { offline: [], violations: [], errors: [] };
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (["127.0.0.1", "localhost"].includes(url.hostname) || url.protocol === "data:") return route.continue();
    trouble.offline.push(url.href);
    return route.abort("internetdisconnected");
  });
  await context.exposeFunction("reportViolation", (text: string) => trouble.violations.push(text));
  // Browser code as text: the tests compile without the DOM's types.
  await context.addInitScript(`
    document.addEventListener("securitypolicyviolation", (event) => {
      window.reportViolation(
        event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " (" + event.sourceFile + ":" + event.lineNumber + ")",
      );
    });
  `);
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") trouble.errors.push(message.text());
  });
  page.on("pageerror", (error) => trouble.errors.push(error.message));
  return { page, trouble };
}

/** Runs the operation in the editor (the default createShow) and returns the result pane's text once it has one. */
async function runAndReadResult(page: Page): Promise<string> {
  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".graphiql-response");
  await result.getByText('"createShow"').waitFor({ timeout: 30_000 });
  return textOf(await result.textContent());
}

/** An editor's text with its spaces as spaces (Monaco renders them as no-break spaces). */
function textOf(text: string | null): string {
  return (text ?? "").replace(/\s+/g, " ");
}

describe("admin console, offline", () => {
  let t: TestApp;
  beforeAll(async () => {
    // No configured secret (the app signs with the test one): the development console, prefilled.
    t = await startTestApp({ NODE_ENV: "development", JWT_SECRET: "", METRICS_PORT: "0" });
  });
  afterAll(() => t.stop());

  it("renders from this process alone, with the admin token prefilled, and creates a show", async () => {
    const { page, trouble } = await offlinePage();
    await page.goto(t.app.address.replace("/graphql", "/console"));
    await page.locator(".graphiql-container .monaco-editor").first().waitFor({ timeout: 30_000 });
    expect(textOf(await page.locator(".graphiql-query-editor").textContent())).toMatch(/mutation CreateShow \{/);
    // createShow is for admins only: it succeeds because the development admin token is in the headers.
    const result = await runAndReadResult(page);
    expect(result).toMatch(/"name": "Evening performance"/);
    expect(result).toMatch(/"userErrors": \[ ?\]/);
    const { shows } = (
      await t
        .post('{"query":"{ shows(search: \\"Evening performance\\") { totalCount } }"}')
        .then(({ text }) => JSON.parse(text) as { data: { shows: { totalCount: number } } })
    ).data;
    expect(shows.totalCount).toBe(1);

    expect(trouble).toEqual({ offline: [], violations: [], errors: [] });
  });

  it("runs a subscription over the API's WebSocket and shows its events", async () => {
    const show = await createShow(t, { rows: 2, seatsPerRow: 5 });
    const subscription = `subscription Watch { seatMapChanged(showId: "${show.id}") { heldSeats } }`;
    const { page, trouble } = await offlinePage();
    await page.goto(`${t.app.address.replace("/graphql", "/console")}?${new URLSearchParams({ query: subscription })}`);
    await page.locator(".graphiql-container .monaco-editor").first().waitFor({ timeout: 30_000 });
    await page.locator(".graphiql-execute-button").click();
    // The subscription is live once the server counts it; then a hold elsewhere reaches the console.
    await waitUntil(() => t.app.container.seatEvents.activeSubscriptions() > 0, {
      message: "the console's subscription",
    });
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A1", "A2"] });
    await page.locator(".graphiql-response").getByText('"heldSeats": 2').waitFor({ timeout: 10_000 });
    expect(trouble).toEqual({ offline: [], violations: [], errors: [] });
  });

  it("serves the seat-map page under its strict policy without a violation", async () => {
    const { page, trouble } = await offlinePage();
    await page.goto(t.app.address.replace("/graphql", "/"), { waitUntil: "load" });
    // Every script the page names has run (module scripts are deferred until after parsing, before load).
    await page.waitForLoadState("networkidle");
    expect(trouble.offline).toEqual([]);
    expect(trouble.violations).toEqual([]);
  });
});

describe("admin console in production", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: "production", ADMIN_CONSOLE: "true", CORS_ORIGINS: "https://x.example.com" });
  });
  afterAll(() => t.stop());

  it("asks for a token, refuses a user's, and opens for an admin's with it in the headers", async () => {
    const { page, trouble } = await offlinePage();
    await page.goto(t.app.address.replace("/graphql", "/console"));
    await page.getByLabel("Admin token").fill(t.token("mallory", "user"));
    await page.getByRole("button", { name: "Open the console" }).click();
    await page
      .getByRole("alert")
      .getByText(/needs an admin token/)
      .waitFor();

    await page.getByLabel("Admin token").fill(t.token("box-office", "admin"));
    await page.getByRole("button", { name: "Open the console" }).click();
    await page.locator(".graphiql-container .monaco-editor").first().waitFor({ timeout: 30_000 });
    const result = await runAndReadResult(page);
    expect(result).toMatch(/"name": "Evening performance"/);
    // The user's refused sign-in answered 403, which Chromium logs as an error; nothing else went wrong.
    expect(trouble.errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
    expect(trouble.offline).toEqual([]);
    expect(trouble.violations).toEqual([]);
  });
});

describe("start-up log", () => {
  it("names the page, the console and the GraphQL endpoint, and says when the console is off", async () => {
    const database = await createTestDatabase();
    const started: ApiProcess[] = [];
    try {
      const base = { DATABASE_URL: database.url, JWT_SECRET: "start-up-log-secret-long-enough", LOG_LEVEL: "info" };
      const development = await startApiProcess({ ...base, NODE_ENV: "development" });
      started.push(development);
      const origin = development.url.replace("/graphql", "");
      expect(development.output()).toContain(`Seat-map page: ${origin}/`);
      expect(development.output()).toContain(`Admin console: ${origin}/console`);
      expect(development.output()).toContain(`GraphQL endpoint: ${development.url}`);
      expect(development.output()).not.toMatch(/Sandbox/);

      const production = await startApiProcess({ ...base, NODE_ENV: "production" });
      started.push(production);
      expect(production.output()).toMatch(/Admin console: off \(ADMIN_CONSOLE=true turns it on\)/);
    } finally {
      await Promise.all(started.map((api) => api.stop()));
      await database.drop();
    }
  });
});
