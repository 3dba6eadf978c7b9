// The README's picture (docs/seat-map.png): the seat-map page at 1440 × 900 on a priced hall, other buyers' holds and
// sales on the map, and the visitor's own hold counting down.
//
//   npm run build && npx tsx bench/page/screenshot.ts [output.png]

import path from "node:path";
import { clickSeat, launchChromium, waitForSeat } from "../../test/support/browser";
import { prepareDatabase, startApi, token } from "../lib/environment";
import { createPricedHall } from "./hall";

const OUTPUT = path.resolve(process.argv[2] ?? path.join(__dirname, "../../docs/seat-map.png"));
const HOLD = `mutation ($input: HoldSeatsInput!) { holdSeats(input: $input) { booking { id } userErrors { code } } }`;
const CONFIRM = `mutation ($input: ConfirmBookingInput!) {
  confirmBooking(input: $input) { booking { id } userErrors { code } } }`;

async function main() {
  const db = await prepareDatabase();
  const api = await startApi(db.url, { HOLD_TTL_SECONDS: "600" });
  const client = api.client(2);
  const browser = await launchChromium();
  try {
    const showId = await createPricedHall(client, 12, 22);
    // Other buyers: three sales and two holds across the hall.
    const others: [string, string[], boolean][] = [
      ["bob", ["A10", "A11", "A12", "A13"], true],
      ["carol", ["C3", "C4"], true],
      ["dan", ["F15", "F16", "F17"], false],
      ["erin", ["H8", "H9", "H10", "H11"], true],
      ["fay", ["K19", "K20"], false],
    ];
    for (const [user, seatNumbers, confirm] of others) {
      const held = await client.request<{ holdSeats: { booking: { id: string } | null } }>(
        HOLD,
        { input: { showId, seats: { seatNumbers } } },
        token(user),
      );
      const id = held.data?.holdSeats.booking?.id;
      if (!id) throw new Error(`hold for ${user} failed: ${JSON.stringify(held)}`);
      if (confirm) await client.request(CONFIRM, { input: { bookingId: id } }, token(user));
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await context.addInitScript(`sessionStorage.setItem("seat-booking.token", ${JSON.stringify(token("alice"))})`);
    const page = await context.newPage();
    await page.goto(`${new URL(api.url).origin}/?show=${showId}`);
    await page.waitForSelector('[data-testid="connection"]:text-is("live")', { timeout: 30_000 });
    for (const seatNumber of ["D11", "D12", "D13"]) await clickSeat(page, seatNumber);
    await page.locator('[data-testid="hold"]').click();
    await waitForSeat(page, "D13", "MINE");
    await clickSeat(page, "E16");
    const hovered = (await page.evaluate<{ box: { x: number; y: number } }>(`window.seatMap.seat("B8")`)).box;
    await page.mouse.move(hovered.x + 10, hovered.y + 10);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: OUTPUT });
    process.stdout.write(`wrote ${OUTPUT}\n`);
    await context.close();
  } finally {
    await browser.close();
    await client.close();
    await api.stop();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
