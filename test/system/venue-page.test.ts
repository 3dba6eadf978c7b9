import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { ConfirmBookingDocument, CreateShowDocument } from "../__generated__/graphql";
import { launchChromium } from "../support/browser";
import { createShow, hold } from "../support/factories";
import { startTestApp, type TestApp } from "../support/test-app";
import { createTheatre, THEATRE_SEATS } from "../support/venues";

/**
 * The reference seat-map page on a real venue (the ragged three-section theatre of test/support/venues.ts) with
 * prices: seats drawn where their layout x/y put them, the price legend, totals before and after a hold, and the
 * accessibility refusals shown like any other error.
 */

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const PRICES = [
  { category: "PREMIUM", amount: 8900, currency: "EUR" },
  { category: "STANDARD", amount: 5450, currency: "EUR" },
  { category: "RESTRICTED", amount: 2500, currency: "EUR" },
  { category: "ACCESSIBLE", amount: 3000, currency: "EUR" },
];

jest.setTimeout(60_000);

let t: TestApp | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let showId: string;
let matineeId: string;
const problems: string[] = [];
/** Operation names of the page's GraphQL requests, in order. */
const operations: string[] = [];

beforeAll(async () => {
  // No configured JWT_SECRET: the page's dev-token sign-in is on.
  t = await startTestApp({ JWT_SECRET: "" });
  const venueId = await createTheatre(t);
  const input = { name: "Figaro", venueId, startsAtLocal: "2031-03-01T19:30", prices: PRICES };
  const created = await t.ok(CreateShowDocument, { input }, { as: "admin", role: "admin" });
  expect(created.createShow.userErrors).toEqual([]);
  showId = created.createShow.show!.id;
  // Before the page opens: bob has bought three circle seats, so the map starts with BOOKED seats of a category.
  const { booking } = await hold(t, "bob", { showId, seatNumbers: ["C-B4", "C-B5", "C-B6"] });
  await t.ok(ConfirmBookingDocument, { id: booking!.id }, { as: "bob" });
  // A second show to switch to and back: Figaro's layout must not be asked for again.
  matineeId = (await createShow(t, { rows: 3, seatsPerRow: 5, name: "Matinee" })).id;

  browser = await launchChromium();
  // The visitor is in New York: the show's start must still read as the venue's 19:30 in Vienna.
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    locale: "en-GB",
    timezoneId: "America/New_York",
    // No transitions: the screenshot shows each seat's final colours, not one halfway between two states.
    reducedMotion: "reduce",
  });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().endsWith("/graphql") || request.method() !== "POST") return;
    const { query } = request.postDataJSON() as { query: string };
    operations.push(/^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous");
  });
  await page.goto(`${new URL(t.app.address).origin}/?show=${showId}`);
  await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 10_000 });
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

const seat = (seatNumber: string) => page.locator(`[data-seat="${seatNumber}"]`);
const testId = (id: string) => page.locator(`[data-testid="${id}"]`);

async function box(seatNumber: string) {
  const found = await seat(seatNumber).boundingBox();
  if (!found) throw new Error(`seat ${seatNumber} is not on screen`);
  return found;
}

/** Browser-side code goes in as strings: the tests are type-checked without the DOM library. */
async function focusedSeat() {
  return page.evaluate<string | null>("document.activeElement?.dataset.seat ?? null");
}

describe("seat map page on a venue", () => {
  it("draws every seat where its layout x/y put it, with section labels and the venue's local start", async () => {
    expect(await page.locator("[data-seat]").count()).toBe(THEATRE_SEATS);
    const [a1, a5, a6, b2, b5, b6, b12, c1, ca1, boxA1] = await Promise.all(
      ["A1", "A5", "A6", "B2", "B5", "B6", "B12", "C1", "C-A1", "BOXA-A1"].map(box),
    );
    const pitch = b6.x - b5.x; // one seat width plus the gap between seats
    expect(pitch).toBeGreaterThan(b5.width);
    // The aisle after A5: A6 is two pitches right of A5, not one.
    expect(a6.x - a5.x).toBeGreaterThan(1.5 * pitch);
    expect(a6.x - a5.x).toBeCloseTo(2 * pitch, 0);
    // Row A is offset by one seat: A1 sits above B2.
    expect(a1.x).toBeCloseTo(b2.x, 0);
    expect(b5.y).toBeCloseTo(a5.y + pitch, 0);
    // The circle is behind (below) the stalls' last row, with its own label band in between.
    expect(ca1.y).toBeGreaterThan(c1.y + c1.height + pitch);
    // Box A is to the right of the stalls, level with their front row.
    expect(boxA1.x).toBeGreaterThan(b12.x + b12.width + pitch);
    expect(boxA1.y).toBeCloseTo(a1.y, 0);

    const sectionLabels = page.locator(".section-label");
    await expect(sectionLabels.allTextContents()).resolves.toEqual(["Stalls", "Circle", "Box A"]);
    const circleLabel = await sectionLabels.nth(1).boundingBox();
    expect(circleLabel!.y + circleLabel!.height).toBeLessThanOrEqual(ca1.y);
    expect(circleLabel!.y).toBeGreaterThan(c1.y + c1.height);
    const stage = await page.locator(".stage").boundingBox();
    expect(stage!.y + stage!.height).toBeLessThan(a1.y);

    const when = await page.locator("#show-when").textContent();
    expect(when).toContain("19:30");
    expect(when).toContain("Europe/Vienna");
    expect(when).toContain(`${THEATRE_SEATS} seats`);
  });

  it("shows the prices: a legend of the categories and the category, section and price on each seat", async () => {
    const legend = page.locator('[data-testid="categories"] li');
    await expect(legend.count()).resolves.toBe(4);
    const rows = await legend.evaluateAll((items) =>
      items.map((item) => ({
        label: item.querySelector(".category-label")!.textContent,
        price: item.querySelector(".category-price")!.textContent,
        available: item.querySelector(".category-available")!.textContent,
      })),
    );
    expect(rows).toEqual([
      { label: "Premium", price: "€89.00", available: "24 available" },
      { label: "Standard", price: "€54.50", available: "21 available" },
      { label: "Restricted view", price: "€25.00", available: "2 available" },
      { label: "Accessible", price: "€30.00", available: "2 available" },
    ]);

    await expect(seat("B5").getAttribute("aria-label")).resolves.toBe("Seat B5, available, Stalls, Premium, €89.00");
    await expect(seat("C-B5").getAttribute("aria-label")).resolves.toBe("Seat C-B5, booked, Circle, Standard, €54.50");
    await expect(seat("C-B1").getAttribute("title")).resolves.toBe(
      "C-B1 · available · Circle · Restricted view · €25.00",
    );
    await expect(seat("A1").getAttribute("aria-label")).resolves.toBe(
      "Seat A1, available, Stalls, Accessible, €30.00, wheelchair space",
    );
    await expect(seat("A2").getAttribute("aria-label")).resolves.toMatch(/companion seat/);
    await expect(seat("A1").locator(".seat-badge.wheelchair").isVisible()).resolves.toBe(true);
    await expect(seat("A2").locator(".seat-badge.companion").isVisible()).resolves.toBe(true);
    await expect(page.locator("#legend-wheelchair").isVisible()).resolves.toBe(true);
    // The category colour is drawn on the seat while its status colours stay: PREMIUM's gold bar on an available seat,
    // faded on a booked one.
    const bar = (seatNumber: string) =>
      page.evaluate<string>(`getComputedStyle(document.querySelector('[data-seat="${seatNumber}"]')).boxShadow`);
    await expect(bar("B5")).resolves.toContain("rgb(184, 134, 11)");
    await expect(bar("C-B5")).resolves.toMatch(/^(rgba|color)\(/);

    // Someone else holds two circle seats: the legend's free Standard seats follow live.
    await hold(t!, "carol", { showId, seatNumbers: ["C-A4", "C-A5"] });
    await page.waitForSelector('[data-seat="C-A5"][data-status="HELD"]', { timeout: 5_000 });
    await expect(legend.nth(1).locator(".category-available").textContent()).resolves.toBe("19 available");
  });

  it("moves the keyboard focus by position: across the aisle and the gap, between sections", async () => {
    const press = async (from: string, key: string) => {
      await seat(from).focus();
      await page.keyboard.press(key);
      return focusedSeat();
    };
    await expect(press("A5", "ArrowRight")).resolves.toBe("A6");
    await expect(press("C4", "ArrowRight")).resolves.toBe("C7");
    await expect(press("A10", "ArrowRight")).resolves.toBe("BOXA-A1");
    await expect(press("B5", "ArrowUp")).resolves.toBe("A4");
    await expect(press("C3", "ArrowDown")).resolves.toBe("C-A1");
    await expect(press("C-A1", "ArrowUp")).resolves.toBe("C3");
    await expect(press("B5", "Home")).resolves.toBe("B1");
    await expect(press("C-B3", "End")).resolves.toBe("C-B10");
    await expect(seat("C-B10").getAttribute("tabindex")).resolves.toBe("0");
    await expect(page.locator('[data-seat][tabindex="0"]').count()).resolves.toBe(1);
  });

  it("totals the selection before the hold and shows the booking's total after it", async () => {
    await testId("dev-user").fill("alice");
    await testId("dev-token").click();
    await page.waitForSelector('[data-testid="user"]:text-is("alice")');

    await seat("B5").click();
    await seat("B6").click();
    await expect(testId("selection-total").isVisible()).resolves.toBe(true);
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €178.00");
    await seat("C-A1").click();
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €232.50");
    await seat("C-A1").click();
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €178.00");

    await testId("hold").click();
    await page.waitForSelector('[data-seat="B6"][data-status="HELD"].is-mine');
    await expect(testId("booking-total").textContent()).resolves.toBe("Total €178.00");
    await expect(testId("selection-total").isVisible()).resolves.toBe(false);
    await expect(page.locator("#booking-seats li").allTextContents()).resolves.toEqual(["B5", "B6"]);
    await expect(seat("B5").getAttribute("aria-label")).resolves.toBe("Seat B5, held by you, Stalls, Premium, €89.00");

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "venue-page.png"), fullPage: true });

    // A reload finds the hold again (myBookings), total included.
    await page.reload();
    await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 10_000 });
    await page.waitForSelector('[data-seat="B6"][data-status="HELD"].is-mine');
    await expect(testId("booking-total").textContent()).resolves.toBe("Total €178.00");

    await testId("cancel").click();
    await page.waitForSelector('[data-seat="B6"][data-status="AVAILABLE"]');
  });

  it("shows COMPANION_REQUIRES_ACCESSIBLE and ORPHAN_SEAT like other errors, flashing the seats they list", async () => {
    const refusal = async (seatNumbers: string[]) => {
      for (const n of seatNumbers) await seat(n).click();
      const response = page.waitForResponse(
        (r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("holdSeats"),
      );
      await testId("hold").click();
      const body = (await (await response).json()) as {
        data: { holdSeats: { userErrors: { code: string; message: string; seatNumbers: string[] | null }[] } };
      };
      await page.waitForSelector('[data-testid="message"][data-kind="error"]');
      return body.data.holdSeats.userErrors;
    };

    const [companion] = await refusal(["A2"]);
    expect(companion!.code).toBe("COMPANION_REQUIRES_ACCESSIBLE");
    await expect(testId("message").textContent()).resolves.toBe(companion!.message);
    for (const n of companion!.seatNumbers ?? []) await expect(seat(n).getAttribute("class")).resolves.toMatch(/flash/);
    // The companion seat stays selected: adding the wheelchair space is how to fix it.
    await expect(seat("A2").getAttribute("aria-pressed")).resolves.toBe("true");
    await seat("A2").click();
    await testId("message").click();

    // B2 alone would strand B1 at the row's end.
    const [orphan] = await refusal(["B2"]);
    expect(orphan!.code).toBe("ORPHAN_SEAT");
    await expect(testId("message").textContent()).resolves.toBe(orphan!.message);
    expect(orphan!.seatNumbers).toContain("B1");
    await expect(seat("B1").getAttribute("class")).resolves.toMatch(/flash/);
    expect(await seat("A2").getAttribute("data-status")).toBe("AVAILABLE");
  });

  it("asks for a show's layout once per page, formats money exactly, and logs no errors", async () => {
    const layoutRequests = () => operations.filter((name) => name === "ShowLayout").length;
    expect(layoutRequests()).toBe(2); // the first load and the reload
    await testId("show-select").selectOption(matineeId);
    await page.waitForSelector('[data-seat="C5"]');
    expect(page.url()).toContain(matineeId);
    expect(layoutRequests()).toBe(3);
    await testId("show-select").selectOption(showId);
    await page.waitForSelector('[data-seat="BOXA-A1"]');
    await expect(page.locator("[data-seat]").count()).resolves.toBe(THEATRE_SEATS);
    expect(layoutRequests()).toBe(3);
    expect(operations.filter((name) => name === "SeatMap")).toHaveLength(4);

    // A string, also because ts-jest would compile a function's import() into require().
    const formatted = await page.evaluate(`(async () => {
      const { formatMoney, sumMoney } = await import("/js/money.js");
      return {
        euros: formatMoney({ amount: 5, currency: "EUR" }),
        yen: formatMoney({ amount: 4500, currency: "JPY" }),
        dinars: formatMoney({ amount: 12345, currency: "BHD" }),
        // 0.1 + 0.2 in floats is not 0.3; in minor units it is.
        sum: formatMoney(sumMoney([10, 20].map((amount) => ({ amount, currency: "EUR" })))),
        big: formatMoney({ amount: 900719925474099, currency: "EUR" }),
        mixed: sumMoney([{ amount: 1, currency: "EUR" }, { amount: 1, currency: "USD" }]),
        unpriced: sumMoney([{ amount: 1, currency: "EUR" }, null]),
      };
    })()`);
    expect(formatted).toEqual({
      euros: "€0.05",
      yen: "¥4,500",
      dinars: "BHD\u00a012.345", // Intl puts a no-break space after a code
      sum: "€0.30",
      big: "€9,007,199,254,740.99",
      mixed: null,
      unpriced: null,
    });
    expect(problems).toEqual([]);
  });
});
