import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/**
 * A real headless Chromium for page tests. CHROMIUM_PATH picks a browser installed on the machine (e.g.
 * /usr/bin/chromium); otherwise the one shipped inside the @sparticuz/chromium npm package is unpacked and used, so
 * a machine with only Node.js runs the page tests too.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-zygote",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let unpacked: string | undefined;

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  // @sparticuz/chromium is an ES module, which jest's CommonJS runtime cannot import: ask a plain node process.
  unpacked ??= execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'import c from "@sparticuz/chromium"; process.stdout.write(await c.executablePath())',
    ],
    { encoding: "utf8", cwd: __dirname },
  ).trim();
  return unpacked;
}

/** A seat as the canvas seat map shows it (`window.seatMap.seat`, a read-only view of the page). */
export interface MapSeat {
  seatNumber: string;
  status: string;
  /** AVAILABLE, SELECTED, MINE, HELD, BOOKED or BLOCKED: the status with the page's own overlays. */
  look: string;
  fill: string;
  label: string;
  version: string | null;
  flashing: boolean;
  box: { x: number; y: number; width: number; height: number };
  inView: boolean;
}

/** Browser-side code goes in as strings: the tests are type-checked without the DOM library. */
export async function mapSeat(page: Page, seatNumber: string): Promise<MapSeat> {
  const seat = await page.evaluate<MapSeat | null>(`window.seatMap?.seat(${JSON.stringify(seatNumber)}) ?? null`);
  if (!seat) throw new Error(`seat ${seatNumber} is not on the map`);
  return seat;
}

/**
 * Waits until `expression` (browser code, as text) is true in the page, checking every 20 ms. Through page.evaluate
 * (DevTools' Runtime.evaluate, which the page's Content-Security-Policy does not govern), not page.waitForFunction,
 * which evaluates a text with eval inside the page: the page's script-src 'self' refuses that.
 */
export async function waitInPage(page: Page, expression: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${expression}`);
    await page.waitForTimeout(20);
  }
}

/** Waits until the map shows `seatNumber` with this look (or status). */
export async function waitForSeat(page: Page, seatNumber: string, look: string, timeout = 10_000): Promise<void> {
  const seat = JSON.stringify(seatNumber);
  await waitInPage(
    page,
    `(() => { const s = window.seatMap?.seat(${seat}); return Boolean(s) && (s.look === "${look}" || s.status === "${look}"); })()`,
    timeout,
  );
}

/** Clicks (or taps) the middle of a seat on the canvas, as a buyer would; the seat must be in view. */
export async function clickSeat(page: Page, seatNumber: string, how: "click" | "tap" = "click"): Promise<void> {
  const { box, inView } = await mapSeat(page, seatNumber);
  if (!inView) throw new Error(`seat ${seatNumber} is not in view`);
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  if (how === "tap") await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: number;
  help: string;
}

/** The rules axe runs: WCAG 2.0–2.2 A and AA, and best practices. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
let axeSource: string | undefined;

/** axe-core's violations on the page as it is now (the axe-core package, injected). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // Runtime.evaluate is not subject to the page's Content-Security-Policy, unlike an injected <script>.
  await page.evaluate(axeSource);
  return page.evaluate<
    AxeViolation[]
  >(`axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })))`);
}
