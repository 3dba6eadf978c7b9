import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { axeViolations, clickSeat, launchChromium, mapSeat, waitForSeat, waitInPage } from "../support/browser";
import { createShow } from "../support/factories";
import { startTestApp, type TestApp } from "../support/test-app";

/**
 * The seat-map page against WCAG 2.2 AA and on a phone, in a real browser: axe-core finds nothing signed out or
 * holding; the map opens on the stage, which is centred on the seats; a phone's default zoom gives seats of 24 px or
 * more; the cart (timer, Hold / Confirm) stays on screen while the map moves; the keyboard picks and holds seats,
 * focus follows the hold, and a polite announcement comes 30 seconds before the hold lapses.
 */

/** Just over the 30-second warning, so the warning comes about 3 s after the hold. */
const HOLD_TTL_SECONDS = 33;

jest.setTimeout(90_000);

let t: TestApp | undefined;
let browser: Browser | undefined;
let origin: string;
let wideShowId: string;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

beforeAll(async () => {
  // No configured JWT_SECRET: the page's dev-token sign-in is on.
  t = await startTestApp({ HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS), JWT_SECRET: "" });
  origin = new URL(t.app.address).origin;
  // 4,000 seats, 100 to a row: far wider than a phone, and than the map on a desktop at 24 px seats.
  wideShowId = (await createShow(t, { rows: 40, seatsPerRow: 100, name: "Wide Hall" })).id;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

async function open(options: Parameters<Browser["newContext"]>[0], showId = wideShowId): Promise<Page> {
  const context = await browser!.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${origin}/?show=${showId}`);
  await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 15_000 });
  return page;
}

async function signIn(page: Page, user: string) {
  await page.locator('[data-testid="dev-user"]').fill(user);
  await page.locator('[data-testid="dev-token"]').click();
  await page.waitForSelector(`[data-testid="user"]:text-is("${user}")`);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const centreX = (box: Box) => box.x + box.width / 2;
const stats = (page: Page) =>
  page.evaluate<{ seatPixels: number; stage: Box; seatExtent: Box; map: Box }>("window.seatMap.stats()");

/** Whether the element is inside the viewport and nothing covers its middle. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
    return element.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
  })()`);
}

describe("seat map page: accessibility and phones", () => {
  it("opens on the stage, drawn centred on the seats, with seats of at least 24 px", async () => {
    const page = await open({ viewport: { width: 1440, height: 900 } });
    const { stage, seatExtent, map, seatPixels } = await stats(page);
    expect(centreX(stage)).toBeCloseTo(centreX(seatExtent), 0);
    // The hall is wider than the map: it opens on its front centre, stage in view, not at its left edge.
    expect(seatExtent.width).toBeGreaterThan(map.width);
    expect(centreX(stage)).toBeCloseTo(centreX(map), 0);
    expect(stage.y).toBeGreaterThanOrEqual(map.y);
    expect(seatPixels).toBeGreaterThanOrEqual(24);
    await expect(mapSeat(page, "A50")).resolves.toHaveProperty("inView", true);
    await expect(mapSeat(page, "A1")).resolves.toHaveProperty("inView", false);
    // The overview and the buttons get there: "show the whole hall" fits every seat, clear of the zoom buttons (and
    // the overview, which is not needed then).
    await expect(page.locator("#seat-overview").isVisible()).resolves.toBe(true);
    await page.locator('[data-testid="zoom-fit"]').click();
    // The map redraws on the next animation frame, and hides the overview then (the whole hall is in view).
    await page.locator("#seat-overview").waitFor({ state: "hidden", timeout: 5000 });
    await expect(mapSeat(page, "A1")).resolves.toHaveProperty("inView", true);
    await expect(mapSeat(page, "AN100")).resolves.toHaveProperty("inView", true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("keeps seats of 24 px on a phone and the timer and Confirm on screen while the map and page move", async () => {
    const page = await open({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await expect(stats(page)).resolves.toMatchObject({ seatPixels: expect.any(Number) });
    expect((await stats(page)).seatPixels).toBeGreaterThanOrEqual(24);
    await signIn(page, "phone-user");
    await page.evaluate(`document.getElementById("map-viewport").scrollIntoView({ block: "start" })`);
    await expect(mapSeat(page, "B50")).resolves.toHaveProperty("inView", true);
    await clickSeat(page, "B50", "tap");
    await waitForSeat(page, "B50", "SELECTED");
    expect(await onScreen(page, '[data-testid="hold"]')).toBe(true);
    await page.locator('[data-testid="hold"]').tap();
    await waitForSeat(page, "B50", "MINE");

    // Drag the map a long way, then scroll the page to its end: the cart stays where the thumb is.
    const { map } = await stats(page);
    const from = { x: map.x + map.width / 2, y: map.y + 60 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(from.x - step * 40, from.y + step * 8);
    await page.mouse.up();
    await expect(mapSeat(page, "B50")).resolves.toHaveProperty("inView", false);
    for (const scroll of ["0", "document.body.scrollHeight"]) {
      await page.evaluate(`window.scrollTo(0, ${scroll})`);
      expect(await onScreen(page, '[data-testid="countdown"]')).toBe(true);
      expect(await onScreen(page, '[data-testid="confirm"]')).toBe(true);
    }
    await page.locator('[data-testid="cancel"]').tap();
    await waitForSeat(page, "B50", "AVAILABLE");
    expect(problems).toEqual([]);
  });

  it("picks and holds with the keyboard, moves focus to the hold, and warns 30 seconds before it lapses", async () => {
    const page = await open({ viewport: { width: 1440, height: 900 } });
    await signIn(page, "keyboard-user");
    await page.locator("#seat-map").focus();
    // The cursor starts at the available seat nearest the middle of the view; Enter picks it.
    await page.keyboard.press("ArrowRight");
    const picked = (await page.locator("#active-seat").getAttribute("data-seat"))!;
    await page.keyboard.press("Enter");
    await expect(page.locator("#active-seat").getAttribute("aria-selected")).resolves.toBe("true");
    await expect(page.locator("#active-seat").textContent()).resolves.toBe(`Seat ${picked}, selected, Main, Standard`);
    await page.keyboard.press("Space");
    await expect(page.locator("#active-seat").getAttribute("aria-selected")).resolves.toBe("false");
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowRight");
    const second = (await page.locator("#active-seat").getAttribute("data-seat"))!;
    await page.keyboard.press("Enter");

    await page.locator('[data-testid="hold"]').focus();
    await page.keyboard.press("Enter");
    await waitForSeat(page, second, "MINE");
    // Focus is on the hold panel's heading: the countdown and its buttons come next.
    await expect(page.evaluate("document.activeElement.id")).resolves.toBe("booking-title");
    await expect(
      page.evaluate(`document.getElementById("booking-panel").contains(document.activeElement)`),
    ).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    const warning = page.locator('[data-testid="hold-warning"]');
    await expect(warning.getAttribute("aria-live")).resolves.toBe("polite");
    await expect(warning.textContent()).resolves.toBe("");
    await waitInPage(page, `document.querySelector('[data-testid="hold-warning"]').textContent !== ""`);
    await expect(warning.textContent()).resolves.toMatch(
      new RegExp(`^Your hold on ${picked}, ${second} ends in (30|29|28) seconds\\. Extend or confirm\\.$`),
    );

    // Extending gives the hold a new time to live: the warning goes until it is due again.
    await page.locator('[data-testid="extend"]').click();
    await waitInPage(page, `document.querySelector('[data-testid="hold-warning"]').textContent === ""`);

    // Cancelling removes the panel: focus goes back to the map, to pick again.
    await page.locator('[data-testid="cancel"]').click();
    await waitForSeat(page, second, "AVAILABLE");
    await page.waitForSelector('[data-testid="booking"]', { state: "hidden" });
    await expect(page.evaluate("document.activeElement.id")).resolves.toBe("seat-map");
    expect(problems).toEqual([]);
  });
});
