import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { ConfirmBookingDocument, CreateShowDocument } from "../__generated__/graphql";
import { clickSeat, launchChromium, mapSeat, waitForSeat, waitInPage } from "../support/browser";
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
    const withoutComments = query.replace(/^#.*$/gm, "");
    operations.push(/^\s*(?:query|mutation)\s+(\w+)/.exec(withoutComments)?.[1] ?? "anonymous");
  });
  await page.goto(`${new URL(t.app.address).origin}/?show=${showId}`);
  await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 10_000 });
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

const testId = (id: string) => page.locator(`[data-testid="${id}"]`);

async function box(seatNumber: string) {
  return (await mapSeat(page, seatNumber)).box;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface MapStats {
  seats: number;
  stage: Box;
  seatExtent: Box;
  sectionLabels: { label: string; box: Box }[];
}
const stats = () => page.evaluate<MapStats>("window.seatMap.stats()");

/** The seat under the keyboard cursor, as the map's active option (aria-activedescendant) names it. */
async function activeSeat() {
  return page.locator("#active-seat").getAttribute("data-seat");
}

describe("seat map page on a venue", () => {
  it("draws every seat where its layout x/y put it, with section labels and the venue's local start", async () => {
    expect((await stats()).seats).toBe(THEATRE_SEATS);
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

    const { sectionLabels, stage, seatExtent } = await stats();
    expect(sectionLabels.map((label) => label.label)).toEqual(["Stalls", "Circle", "Box A"]);
    const circleLabel = sectionLabels[1]!.box;
    expect(circleLabel.y + circleLabel.height).toBeLessThanOrEqual(ca1.y);
    expect(circleLabel.y).toBeGreaterThan(c1.y + c1.height);
    expect(stage.y + stage.height).toBeLessThan(a1.y);
    // The stage is centred on the seats (the stalls and the box together), not on the screen.
    expect(stage.x + stage.width / 2).toBeCloseTo(seatExtent.x + seatExtent.width / 2, 0);

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

    const label = async (seatNumber: string) => (await mapSeat(page, seatNumber)).label;
    await expect(label("B5")).resolves.toBe("Seat B5, available, Stalls, Premium, €89.00");
    await expect(label("C-B5")).resolves.toBe("Seat C-B5, booked, Circle, Standard, €54.50");
    await expect(label("A1")).resolves.toBe("Seat A1, available, Stalls, Accessible, €30.00, wheelchair space");
    await expect(label("A2")).resolves.toMatch(/companion seat/);
    await expect(page.locator("#legend-wheelchair").isVisible()).resolves.toBe(true);
    // The seat under the pointer is named under the map, with its section, category and price.
    const restricted = await box("C-B1");
    await page.mouse.move(restricted.x + restricted.width / 2, restricted.y + restricted.height / 2);
    await expect(testId("seat-info").textContent()).resolves.toBe(
      "C-B1 · available · Circle · Restricted view · €25.00",
    );
    // An available seat is filled with its category's colour; a booked one with the booked colour (and a ✕).
    await expect(mapSeat(page, "B5")).resolves.toHaveProperty("fill", "#B8860B");
    await expect(mapSeat(page, "C-B5")).resolves.toMatchObject({ look: "BOOKED", fill: "#cbd5e1" });

    // Someone else holds two circle seats: the legend's free Standard seats follow live.
    await hold(t!, "carol", { showId, seatNumbers: ["C-A4", "C-A5"] });
    await waitForSeat(page, "C-A5", "HELD", 5_000);
    await expect(legend.nth(1).locator(".category-available").textContent()).resolves.toBe("19 available");
  });

  it("moves the keyboard cursor by position: across the aisle and the gap, between sections", async () => {
    const map = page.locator("#seat-map");
    await map.focus();
    const press = async (...keys: string[]) => {
      for (const key of keys) await page.keyboard.press(key);
      return activeSeat();
    };
    await expect(press("Control+Home")).resolves.toBe("A1");
    await expect(press("ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight")).resolves.toBe("A5");
    await expect(press("ArrowRight")).resolves.toBe("A6");
    await expect(press("ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight")).resolves.toBe("A10");
    await expect(press("ArrowRight")).resolves.toBe("BOXA-A1");
    // Home and End go to the ends of the visual row: box A's front row is level with row A.
    await expect(press("End")).resolves.toBe("BOXA-A4");
    await expect(press("Home", "End", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft")).resolves.toBe("A10");
    await expect(press("ArrowLeft", "ArrowDown")).resolves.toBe("B11");
    await expect(press("Home")).resolves.toBe("B1");
    await expect(press("ArrowDown", "ArrowRight", "ArrowRight", "ArrowRight")).resolves.toBe("C4");
    await expect(press("ArrowRight")).resolves.toBe("C7");
    await expect(press("Home", "ArrowRight", "ArrowRight", "ArrowDown")).resolves.toBe("C-A1");
    await expect(press("ArrowUp")).resolves.toBe("C3");
    await expect(press("ArrowDown", "ArrowDown", "End")).resolves.toBe("C-B10");
    // Page Up: five rows towards the stage (circle A, stalls C, B, A; there is no sixth).
    await expect(press("PageUp")).resolves.toBe("A8");
    await expect(press("PageDown")).resolves.toBe("C-B10");
    await expect(press("Control+End")).resolves.toBe("BOXA-A4");
    // One tab stop for the whole map; the cursor's seat is its active option, named with its price.
    await expect(page.evaluate("document.activeElement.id")).resolves.toBe("seat-map");
    await expect(map.getAttribute("aria-activedescendant")).resolves.toBe("active-seat");
    await expect(page.locator("#active-seat").textContent()).resolves.toBe(
      "Seat BOXA-A4, available, Box A, Premium, €89.00",
    );
    await expect(page.locator("#active-seat").getAttribute("role")).resolves.toBe("option");
  });

  it("totals the selection before the hold and shows the booking's total after it", async () => {
    await testId("dev-user").fill("alice");
    await testId("dev-token").click();
    await page.waitForSelector('[data-testid="user"]:text-is("alice")');

    await clickSeat(page, "B5");
    await clickSeat(page, "B6");
    await expect(testId("selection-total").isVisible()).resolves.toBe(true);
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €178.00");
    await clickSeat(page, "C-A1");
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €232.50");
    await clickSeat(page, "C-A1");
    await expect(testId("selection-total").textContent()).resolves.toBe("Total €178.00");

    await testId("hold").click();
    await waitForSeat(page, "B6", "MINE");
    await expect(testId("booking-total").textContent()).resolves.toBe("Total €178.00");
    await expect(testId("selection-total").isVisible()).resolves.toBe(false);
    await expect(page.locator("#booking-seats li").allTextContents()).resolves.toEqual(["B5", "B6"]);
    await expect(mapSeat(page, "B5")).resolves.toHaveProperty("label", "Seat B5, held by you, Stalls, Premium, €89.00");

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "venue-page.png"), fullPage: true });

    // A reload finds the hold again (myBookings), total included.
    await page.reload();
    await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 10_000 });
    await waitForSeat(page, "B6", "MINE");
    await expect(testId("booking-total").textContent()).resolves.toBe("Total €178.00");

    await testId("cancel").click();
    await waitForSeat(page, "B6", "AVAILABLE");
  });

  it("shows COMPANION_REQUIRES_ACCESSIBLE and ORPHAN_SEAT like other errors, flashing the seats they list", async () => {
    const refusal = async (seatNumbers: string[]) => {
      for (const n of seatNumbers) await clickSeat(page, n);
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
    for (const n of companion!.seatNumbers ?? [])
      await expect(mapSeat(page, n)).resolves.toHaveProperty("flashing", true);
    // The companion seat stays selected: adding the wheelchair space is how to fix it.
    await expect(mapSeat(page, "A2")).resolves.toHaveProperty("look", "SELECTED");
    await clickSeat(page, "A2");
    await testId("message").click();

    // B2 alone would strand B1 at the row's end.
    const [orphan] = await refusal(["B2"]);
    expect(orphan!.code).toBe("ORPHAN_SEAT");
    await expect(testId("message").textContent()).resolves.toBe(orphan!.message);
    expect(orphan!.seatNumbers).toContain("B1");
    await expect(mapSeat(page, "B1")).resolves.toHaveProperty("flashing", true);
    await expect(mapSeat(page, "A2")).resolves.toHaveProperty("status", "AVAILABLE");
  });

  it("asks for a show's layout once per page, formats money exactly, and logs no errors", async () => {
    const layoutRequests = () => operations.filter((name) => name === "PageShowLayout").length;
    expect(layoutRequests()).toBe(2); // the first load and the reload
    await testId("show-select").selectOption(matineeId);
    await waitInPage(page, `window.seatMap.seat("C5") !== null`);
    expect(page.url()).toContain(matineeId);
    expect(layoutRequests()).toBe(3);
    await testId("show-select").selectOption(showId);
    await waitInPage(page, `window.seatMap.seat("BOXA-A1") !== null`);
    await expect(stats()).resolves.toHaveProperty("seats", THEATRE_SEATS);
    expect(layoutRequests()).toBe(3);
    expect(operations.filter((name) => name === "PageSeatMap")).toHaveLength(4);

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
