// The seat-map page at 10,000 seats: first paint, click and throttled-tap to paint, idle and
// pan frame rates, axe-core violations and the palette's contrast, in headless Chromium against the compiled API.
//
//   npm run bench:page                                    100 × 100 seats, median of 5 fresh loads per measure
//   npm run bench:page -- --smoke                         20 × 100 seats, one load (keeps the script working in CI)
//   npm run bench:page -- --loads 9 --rows 200            more loads, a bigger hall
//
// Writes bench/results/page-latest.md and .json (not with --smoke). The machine is shared and renders in software
// (--disable-gpu): the load average is recorded with the numbers.

import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Browser, type BrowserContext } from "playwright-core";
import { axeViolations, type AxeViolation, launchChromium } from "../../test/support/browser";
import { prepareDatabase, startApi, token } from "../lib/environment";
import { createPricedHall } from "./hall";
import {
  availableSeatInView,
  type ContrastCheck,
  idleFps,
  interactionToPaint,
  openMap,
  paletteContrast,
  panFps,
} from "./measure";
import { pageReport, type PageResults, summarise } from "./report";

const { values: args } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    loads: { type: "string" },
    rows: { type: "string" },
  },
});
const smoke = args.smoke!;
const rows = Number(args.rows ?? (smoke ? 20 : 100));
const seatsPerRow = 100;
const loads = Number(args.loads ?? (smoke ? 1 : 5));
/** Seats a click or tap lands on: the front centre, where the map opens. */
const TARGETS = ["E50", "E51", "F50", "F51", "D50", "G50", "E49", "F49", "C50", "H50"];
const TOKEN_KEY = "seat-booking.token";
const HOLD_SEATS = `mutation ($input: HoldSeatsInput!) { holdSeats(input: $input) { booking { id } userErrors { code } } }`;

async function main() {
  const loadBefore = os.loadavg()[0]!;
  log(`page bench: ${rows} × ${seatsPerRow} seats, ${loads} load(s), load average ${loadBefore.toFixed(2)}`);
  const db = await prepareDatabase();
  const api = await startApi(db.url, { HOLD_TTL_SECONDS: "600", RATE_LIMIT_IP_POINTS: "100000000" });
  const client = api.client(4);
  let browser: Browser | undefined;
  try {
    const showId = await createPricedHall(client, rows, seatsPerRow);
    await sellSome(client, showId);
    const url = `${new URL(api.url).origin}/?show=${showId}`;
    browser = await launchChromium();

    const firstPaint: number[] = [];
    const click: (number | null)[] = [];
    const idle: number[] = [];
    const pan: number[] = [];
    const tap: (number | null)[] = [];
    const throttledFirstPaint: number[] = [];
    const phoneSeatPixels: number[] = [];
    let axeSignedOut: AxeViolation[] = [];
    let axeHolding: AxeViolation[] = [];
    let contrast: ContrastCheck[] = [];

    for (let load = 0; load < loads; load++) {
      const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      const { page, firstPaintMs } = await openMap(desktop, url);
      firstPaint.push(firstPaintMs);
      idle.push(await idleFps(page));
      if (load === 0) {
        axeSignedOut = await axeViolations(page);
        contrast = await paletteContrast(page);
      }
      click.push(await interactionToPaint(page, await availableSeatInView(page, TARGETS), "click"));
      pan.push(await panFps(page));
      await desktop.close();

      const phone = await phoneContext(browser);
      const opened = await openMap(phone, url, 4);
      throttledFirstPaint.push(opened.firstPaintMs);
      // The buyer scrolls the map into view (the cart stays fixed at the bottom).
      await opened.page.evaluate(`document.getElementById("map-viewport").scrollIntoView({ block: "start" })`);
      phoneSeatPixels.push(await opened.page.evaluate<number>("window.seatMap.stats().seatPixels"));
      tap.push(await interactionToPaint(opened.page, await availableSeatInView(opened.page, TARGETS), "tap"));
      await phone.close();
      log(
        `load ${load + 1}: first paint ${firstPaintMs.toFixed(0)} ms, click ${click.at(-1) ?? "<16"} ms, tap ${tap.at(-1) ?? "<16"} ms`,
      );
    }

    axeHolding = await axeWithHold(browser, url);
    const results: PageResults = {
      date: new Date().toISOString(),
      seats: rows * seatsPerRow,
      loads,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
      cpus: os.cpus().length,
      firstPaintMs: summarise(firstPaint),
      clickToPaintMs: summarise(click),
      throttledTapToPaintMs: summarise(tap),
      throttledFirstPaintMs: summarise(throttledFirstPaint),
      idleFps: summarise(idle),
      panFps: summarise(pan),
      phoneSeatPixels: Math.min(...phoneSeatPixels),
      axe: { signedOut: axeSignedOut, holding: axeHolding },
      contrast,
    };
    const markdown = pageReport(results);
    process.stdout.write(`\n${markdown}\n`);
    if (!smoke) {
      const dir = path.resolve(__dirname, "../results");
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "page-latest.md"), markdown);
      await writeFile(path.join(dir, "page-latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    }
  } finally {
    await browser?.close();
    await client.close();
    await api.stop();
    await db.stop();
  }
}

/** A phone: 390 × 844 CSS pixels at DPR 2, touch. */
function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
}

/** Other buyers' holds and sales across the hall, so the map has every status to draw. */
async function sellSome(client: ReturnType<Awaited<ReturnType<typeof startApi>>["client"]>, showId: string) {
  for (let i = 0; i < 12; i++) {
    const result = await client.request<{ holdSeats: { userErrors: unknown[] } }>(
      HOLD_SEATS,
      { input: { showId, seats: { quantity: 8 } } },
      token(`page-bench-buyer-${i}`),
    );
    if (result.errors?.length) throw new Error(`holdSeats failed: ${JSON.stringify(result.errors)}`);
  }
}

/** axe-core on a page signed in (a token in the session, as the sign-in form leaves it) with a hold running. */
async function axeWithHold(browser: Browser, url: string): Promise<AxeViolation[]> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(
    `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token("page-bench-axe"))})`,
  );
  try {
    const { page } = await openMap(context, url);
    const seat = await availableSeatInView(page, TARGETS);
    await page.mouse.click(seat.box.x + seat.box.width / 2, seat.box.y + seat.box.height / 2);
    await page.locator('[data-testid="hold"]').click();
    await page.waitForSelector('[data-testid="booking"]:not([hidden])');
    await page.waitForSelector('[data-testid="confirm"]:enabled');
    return await axeViolations(page);
  } finally {
    await context.close();
  }
}

function log(message: string) {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
