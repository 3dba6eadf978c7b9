import { type BrowserContext, type Page } from "playwright-core";
import { waitInPage } from "../../test/support/browser";

// What the page benchmark measures in one loaded page. Browser-side code goes in as strings (this file is compiled
// without the DOM library, and ts would rewrite a function's import() for CommonJS).

/** The events of a click or tap, as Event Timing reports them (durations under 16 ms are not reported). */
const INTERACTION_EVENTS = ["pointerdown", "pointerup", "mousedown", "mouseup", "click", "touchstart", "touchend"];

/** Opens the page and waits for its first complete drawing of the seats; ms from navigation start. */
export async function openMap(
  context: BrowserContext,
  url: string,
  cpuSlowdown = 1,
): Promise<{ page: Page; firstPaintMs: number }> {
  const page = await context.newPage();
  if (cpuSlowdown > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
  }
  await page.goto(url);
  await waitInPage(page, `performance.getEntriesByName("seat-map-drawn").length > 0`, 60_000);
  const firstPaintMs = await page.evaluate<number>(`performance.getEntriesByName("seat-map-drawn")[0].startTime`);
  await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 60_000 });
  return { page, firstPaintMs };
}

export interface SeatOnScreen {
  seatNumber: string;
  look: string;
  box: { x: number; y: number; width: number; height: number };
  inView: boolean;
}

export async function seatOnScreen(page: Page, seatNumber: string): Promise<SeatOnScreen> {
  const seat = await page.evaluate<SeatOnScreen | null>(`window.seatMap.seat(${JSON.stringify(seatNumber)})`);
  if (!seat) throw new Error(`no seat ${seatNumber} on the map`);
  return seat;
}

/** The first available seat of `candidates` that is fully in view. */
export async function availableSeatInView(page: Page, candidates: string[]): Promise<SeatOnScreen> {
  for (const seatNumber of candidates) {
    const seat = await seatOnScreen(page, seatNumber);
    if (seat.inView && seat.look === "AVAILABLE") return seat;
  }
  throw new Error(`none of ${candidates.join(", ")} is available and in view`);
}

/**
 * Clicks (or taps) a seat and returns the longest Event Timing `duration` of that interaction's events (input to
 * the next paint), or null when every one took under 16 ms. Checks that the seat was drawn selected.
 */
export async function interactionToPaint(page: Page, seat: SeatOnScreen, how: "click" | "tap"): Promise<number | null> {
  await page.evaluate(`(() => {
    window.__events = [];
    new PerformanceObserver((list) => window.__events.push(...list.getEntries().map((e) => ({ name: e.name, duration: e.duration }))))
      .observe({ type: "event", durationThreshold: 16 });
  })()`);
  const x = seat.box.x + seat.box.width / 2;
  const y = seat.box.y + seat.box.height / 2;
  if (how === "tap") await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
  await waitInPage(page, `window.seatMap.seat(${JSON.stringify(seat.seatNumber)}).look === "SELECTED"`).catch(
    async (error: Error) => {
      const now = await page.evaluate(
        `JSON.stringify([window.seatMap.seat(${JSON.stringify(seat.seatNumber)}), scrollY])`,
      );
      throw new Error(`${how} at ${x},${y} on ${JSON.stringify(seat)} did not select it: now ${now}`, { cause: error });
    },
  );
  // Event Timing reports an event once the frame after it is presented; give it a few frames.
  await page.waitForTimeout(300);
  const events = await page.evaluate<{ name: string; duration: number }[]>("window.__events");
  const durations = events.filter((e) => INTERACTION_EVENTS.includes(e.name)).map((e) => e.duration);
  return durations.length ? Math.max(...durations) : null;
}

/** Frames per second over `ms`, counted with requestAnimationFrame, while nothing happens. */
export async function idleFps(page: Page, ms = 2000): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      frames++;
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else resolve((frames * 1000) / (now - start));
    };
    requestAnimationFrame(tick);
  })`);
}

/**
 * Frames per second over `ms` while the map is panned by wheel events every frame (back and forth, so it never
 * stops at an edge). Each wheel event moves the view, so every frame redraws the visible seats.
 */
export async function panFps(page: Page, ms = 2000): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    const map = document.getElementById("seat-map");
    const rect = map.getBoundingClientRect();
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      frames++;
      const direction = Math.floor(frames / 30) % 2 === 0 ? 1 : -1;
      map.dispatchEvent(new WheelEvent("wheel", {
        deltaX: 12 * direction, deltaY: 9 * direction, clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2,
        bubbles: true, cancelable: true,
      }));
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else resolve((frames * 1000) / (now - start));
    };
    requestAnimationFrame(tick);
  })`);
}

export interface ContrastCheck {
  what: string;
  ratio: number;
  needed: number;
}

/** The page's own palette (web/js/palette.json) through its own contrast function: every ratio that matters. */
export async function paletteContrast(page: Page): Promise<ContrastCheck[]> {
  return page.evaluate<ContrastCheck[]>(`import("/js/palette.js").then(({ PALETTE, contrastRatio }) => {
    const checks = [];
    const check = (what, a, b, needed) => checks.push({ what, ratio: Math.round(contrastRatio(a, b) * 100) / 100, needed });
    for (const [look, style] of Object.entries(PALETTE.seats)) {
      check(look + " outline / hall", style.outline, PALETTE.hall, 3);
      if (style.marker) check(look + " marker / its fill", style.marker, style.fill, 3);
    }
    check("focus ring / hall", PALETTE.focus.ring, PALETTE.hall, 3);
    check("row labels / hall", PALETTE.label, PALETTE.hall, 4.5);
    check("stage text / stage", PALETTE.stage.text, PALETTE.stage.fill, 4.5);
    return checks;
  })`);
}
